package dev.rtm.cli.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rtm.testing.PluginJars;
import dev.rtm.cli.report.LabelWindows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rtm's NAB scorer against NAB's own. Four result sets are generated on the NAB sample by fixed
 * formulas (below, deterministic), written in NAB's layout under {@code target/nab-conformance/},
 * read back with {@link NabResults} and scored with {@link NabScorer}; the figures must equal those
 * NAB's official scorer gave for the very same files, within 0.01 (the requirement is ±0.5).
 *
 * <p>The official figures were obtained on 2026-12-02 by running this test once, then
 * {@code KEEP=1 ../shared/tools/nab/score DET cli/target/nab-conformance} for each detector (NAB
 * commit ea702d7, Debian 12 python3-pandas 1.5.3): the full-precision scores are NAB's
 * {@code final_results.json} in the kept scratch dir (the script prints them to one decimal:
 * const 0.0/0.0/0.0, perfect 100.0/100.0/100.0, zscore 23.6/14.3/28.6, jump 35.5/15.8/44.2), and the
 * per-file raw standard scores are what the script prints on stderr, the thresholds NAB's
 * {@code thresholds.json} there.
 */
class NabScorerConformanceTest {

    static final Path OUT = Path.of("target/nab-conformance");
    static final Path SAMPLE = PluginJars.nabSample();

    /** detector → official {standard, lowFP, lowFN}. */
    static final Map<String, double[]> OFFICIAL = Map.of(
            "const", new double[] {0.0, 0.0, 0.0},          // NAB's null detector: a constant 0.5
            "perfect", new double[] {100.0, 100.0, 100.0},  // 1 at the first row of each window
            "zscore", new double[] {23.647503976479282, 14.316240870558845, 28.585515471499004},
            "jump", new double[] {35.48040258106595, 15.800611786624986, 44.166422233531144});

    /** Official per-file raw standard scores of zscore (stderr of the official script). */
    static final Map<String, Double> ZSCORE_FILES = Map.of(
            "artificialNoAnomaly/art_daily_small_noise.csv", -1.320,
            "realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv", 0.921,
            "realAWSCloudwatch/rds_cpu_utilization_e47b3b.csv", 1.723,
            "artificialWithAnomaly/art_daily_jumpsup.csv", -0.292,
            "realKnownCause/nyc_taxi.csv", -5.000,
            "realKnownCause/machine_temperature_system_failure.csv", -2.884);

    static LabelWindows labels;

    @BeforeAll
    static void writeResults() throws IOException {
        labels = LabelWindows.read(SAMPLE.resolve("labels/combined_windows.json"));
        List<Path> files;
        try (Stream<Path> s = Files.walk(SAMPLE.resolve("data"))) {
            files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        for (Path f : files) {
            String category = f.getParent().getFileName().toString();
            String key = category + "/" + f.getFileName();
            List<String> lines = Files.readAllLines(f);
            int n = lines.size() - 1;
            String[] ts = new String[n];
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                String[] c = lines.get(i + 1).split(",");
                ts[i] = c[0];
                x[i] = Double.parseDouble(c[1]);
            }
            write("const", category, f, ts, x, constant(n));
            write("perfect", category, f, ts, x, perfect(ts, key));
            write("zscore", category, f, ts, x, zscore(x));
            write("jump", category, f, ts, x, jump(x));
        }
    }

    @Test
    void agreesWithTheOfficialScorerOnFourDetectors() {
        NabScorer scorer = new NabScorer(labels);
        for (var e : OFFICIAL.entrySet()) {
            DetectorScore d = scorer.score(e.getKey(), NabResults.read(OUT, e.getKey()), 0, 0);
            assertThat(d.profiles()).hasSize(3);
            for (int p = 0; p < 3; p++) {
                assertThat(d.of(Profile.NAB.get(p)).normalized()).as("%s %s", e.getKey(), Profile.NAB.get(p).name())
                        .isCloseTo(e.getValue()[p], within(0.01));
            }
            assertThat(d.of(Profile.STANDARD).nullRaw()).isEqualTo(-13.0);
            assertThat(d.of(Profile.LOW_FN).nullRaw()).isEqualTo(-26.0);
            assertThat(d.of(Profile.STANDARD).perfect()).isEqualTo(13.0);
        }
    }

    @Test
    void theOptimiserPicksNabsThresholds() {
        // NAB's thresholds.json of the same runs: standard, low FP, low FN
        Map<String, double[]> official = Map.of(
                "zscore", new double[] {0.8078606789336521, 0.9702282361640324, 0.8078606789336521},
                "jump", new double[] {0.67, 0.67, 0.67});
        for (var e : official.entrySet()) {
            DetectorScore d = new NabScorer(labels).score(e.getKey(), NabResults.read(OUT, e.getKey()), 0, 0);
            for (int p = 0; p < 3; p++) {
                assertThat(d.of(Profile.NAB.get(p)).threshold()).as("%s %s", e.getKey(), Profile.NAB.get(p).name())
                        .isCloseTo(e.getValue()[p], within(1e-12)); // pandas' CSV parser may round the last bit
            }
        }
    }

    @Test
    void perFileRawScoresAgreeWithTheOfficialScorer() {
        DetectorScore d = new NabScorer(labels).score("zscore", NabResults.read(OUT, "zscore"), 0, 0);
        assertThat(d.of(Profile.STANDARD).files()).hasSize(6);
        for (FileScore f : d.of(Profile.STANDARD).files()) {
            assertThat(f.score()).as(f.file()).isCloseTo(ZSCORE_FILES.get(f.file()), within(0.0006));
        }
    }

    @Test
    void categoriesAreNormalisedLikeTheCorpus() {
        DetectorScore perfect = new NabScorer(labels).score("perfect", NabResults.read(OUT, "perfect"), 0, 0);
        for (Profile p : Profile.NAB) {
            var cats = perfect.of(p).categories();
            assertThat(cats.keySet()).containsExactly("artificialNoAnomaly", "artificialWithAnomaly",
                    "realAWSCloudwatch", "realKnownCause");
            assertThat(cats.get("artificialNoAnomaly").normalized()).isNaN(); // no windows: raw only
            assertThat(cats.get("artificialNoAnomaly").raw()).isZero();
            assertThat(cats.get("realKnownCause").windows()).isEqualTo(9);
            for (String c : List.of("artificialWithAnomaly", "realAWSCloudwatch", "realKnownCause")) {
                assertThat(cats.get(c).normalized()).as("%s %s", p.name(), c).isCloseTo(100.0, within(1e-9));
            }
        }
        DetectorScore nul = new NabScorer(labels).score("const", NabResults.read(OUT, "const"), 0, 0);
        assertThat(nul.of(Profile.STANDARD).categories().get("realKnownCause").normalized()).isZero();
    }

    @Test
    void scaledSigmoidIsNabs() {
        assertThat(WindowScoring.scaledSigmoid(-1.0)).isCloseTo(0.98661, within(1e-5));
        assertThat(WindowScoring.scaledSigmoid(-0.5)).isCloseTo(0.84828, within(1e-5));
        assertThat(WindowScoring.scaledSigmoid(0.0)).isEqualTo(0.0);
        assertThat(WindowScoring.scaledSigmoid(1.0)).isCloseTo(-0.98661, within(1e-5));
        assertThat(WindowScoring.scaledSigmoid(3.5)).isEqualTo(-1.0);
        assertThat(WindowScoring.probationLength(4032)).isEqualTo(604.0);
        assertThat(WindowScoring.probationLength(22695)).isEqualTo(750.0);
    }

    static void write(String det, String category, Path data, String[] ts, double[] x, double[] s) throws IOException {
        Path f = Files.createDirectories(OUT.resolve(det).resolve(category)).resolve(det + "_" + data.getFileName());
        StringBuilder sb = new StringBuilder("timestamp,value,anomaly_score\n");
        for (int i = 0; i < ts.length; i++) {
            sb.append(ts[i]).append(',').append(x[i]).append(',').append(s[i]).append('\n');
        }
        Files.writeString(f, sb);
    }

    static double[] constant(int n) {
        double[] s = new double[n];
        java.util.Arrays.fill(s, 0.5);
        return s;
    }

    static double[] perfect(String[] ts, String key) {
        double[] s = new double[ts.length];
        for (long[] w : labels.of(key)) {
            for (int i = 0; i < ts.length; i++) {
                if (dev.rtm.host.source.Timestamps.parse(ts[i]) == w[0]) {
                    s[i] = 1.0;
                    break;
                }
            }
        }
        return s;
    }

    /** |x - mean| / std over the previous 100 rows (at least 10), squashed z / (z + 3). */
    static double[] zscore(double[] x) {
        double[] s = new double[x.length];
        for (int i = 10; i < x.length; i++) {
            int from = Math.max(0, i - 100);
            double mean = 0;
            for (int j = from; j < i; j++) {
                mean += x[j];
            }
            mean /= i - from;
            double ss = 0;
            for (int j = from; j < i; j++) {
                ss += (x[j] - mean) * (x[j] - mean);
            }
            double sd = Math.sqrt(ss / (i - from - 1));
            double z = sd > 0 ? Math.abs(x[i] - mean) / sd : 0;
            s[i] = z / (z + 3);
        }
        return s;
    }

    /**
     * The step from the previous row over the mean step of the previous 200 rows, squashed d / (d + 4)
     * and rounded to 2 decimals, so that many rows tie (NAB's sweep must group equal scores).
     */
    static double[] jump(double[] x) {
        double[] s = new double[x.length];
        for (int i = 20; i < x.length; i++) {
            int from = Math.max(1, i - 200);
            double mean = 0;
            for (int j = from; j < i; j++) {
                mean += Math.abs(x[j] - x[j - 1]);
            }
            mean /= i - from;
            double d = mean > 0 ? Math.abs(x[i] - x[i - 1]) / mean : 0;
            s[i] = Math.round(100 * d / (d + 4)) / 100.0;
        }
        return s;
    }
}
