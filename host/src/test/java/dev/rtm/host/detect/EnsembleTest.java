package dev.rtm.host.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rtm.api.Assessment;
import dev.rtm.testing.PluginJars;
import dev.rtm.host.RtmException;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.detect.Ensemble.Combine;
import dev.rtm.host.plugin.PluginRegistry;
import dev.rtm.host.source.SeriesData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleTest {

    static PluginRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void plugins() {
        registry = PluginRegistry.load(PluginJars.distPlugins());
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    DetectorCatalog catalog(String yaml) throws Exception {
        Path f = tmp.resolve("rtm.yaml");
        Files.writeString(f, yaml);
        return DetectorCatalog.build(ConfigLoader.load(f, Map.of()), registry);
    }

    static Ensemble rule(Combine c, double[] weights, int votes) {
        return new Ensemble(List.of(), c, weights, votes);
    }

    @Test
    void combinationRules() {
        double[] p = {0.2, 0.6, 0.4};
        assertThat(rule(Combine.MAX, new double[0], 2).combine(p)).isEqualTo(0.6);
        assertThat(rule(Combine.MEAN, new double[0], 2).combine(p)).isCloseTo(0.4, within(1e-12));
        assertThat(rule(Combine.WEIGHTED, new double[] {1, 2, 1}, 2).combine(p)).isCloseTo((0.2 + 1.2 + 0.4) / 4, within(1e-12));
        assertThat(rule(Combine.WEIGHTED, new double[] {0, 0, 0}, 2).combine(p)).isZero();
        // vote: the votes-th largest, so at the flag line (0.5) exactly when that many members are
        assertThat(rule(Combine.VOTE, new double[0], 1).combine(p)).isEqualTo(0.6);
        assertThat(rule(Combine.VOTE, new double[0], 2).combine(p)).isEqualTo(0.4);
        assertThat(rule(Combine.VOTE, new double[0], 2).combine(new double[] {0.7, 0.5, 0.1})).isEqualTo(0.5);
        assertThat(rule(Combine.VOTE, new double[0], 3).combine(p)).isEqualTo(0.2);
        // a member without a row is left out (the weights stay with their members)
        double[] gap = {Double.NaN, 0.6, 0.2};
        assertThat(rule(Combine.MEAN, new double[0], 2).combine(gap)).isCloseTo(0.4, within(1e-12));
        assertThat(rule(Combine.WEIGHTED, new double[] {5, 1, 3}, 2).combine(gap)).isCloseTo((0.6 + 0.6) / 4, within(1e-12));
        assertThat(rule(Combine.VOTE, new double[0], 3).combine(gap)).as("vote among the members present").isEqualTo(0.2);
        assertThat(rule(Combine.MAX, new double[0], 2).combine(new double[] {Double.NaN, Double.NaN})).isNaN();
    }

    @Test
    void anEnsembleRowIsTheCombinedNormalisedScoreWithTheLoudestMembersExpectation() throws Exception {
        try (DetectorCatalog c = catalog("""
                detectors:
                  ewma: { threshold: 3 }
                  rcf: { threshold: 4 }
                  ens: { type: ensemble, members: [ewma, rcf], combine: max }
                  avg: { type: ensemble, members: [ewma, rcf], combine: mean }
                """)) {
            Ensemble max = c.resolve("ens").orElseThrow().ensemble();
            Ensemble mean = c.resolve("avg").orElseThrow().ensemble();
            Assessment ewma = new Assessment(10, 7, 13, 3.0, true);          // p = 3 / (3 + 3) = 0.5
            Assessment rcf = new Assessment(Double.NaN, Double.NaN, Double.NaN, 1.0, false); // p = 1 / 5 = 0.2
            Assessment m = max.assess(new Assessment[] {ewma, rcf});
            assertThat(m.score()).as("odds of p = 0.5, threshold 1").isCloseTo(1.0, within(1e-12));
            assertThat(m.anomaly()).isTrue();
            assertThat(m.expected()).isEqualTo(10);
            assertThat(m.lower()).isEqualTo(7);
            assertThat(m.upper()).isEqualTo(13);
            Assessment a = mean.assess(new Assessment[] {ewma, rcf});
            assertThat(a.score() / (a.score() + Ensemble.THRESHOLD)).isCloseTo(0.35, within(1e-12));
            assertThat(a.anomaly()).isFalse();
            assertThat(mean.assess(new Assessment[] {null, null})).isNull();
            assertThat(mean.assess(new Assessment[] {null, new Assessment(5, 4, 6, 4.0, true)}).anomaly())
                    .as("a member without a row is left out").isTrue();
        }
    }

    @Test
    void selectingAnEnsembleRunsItsMembersFirst() throws Exception {
        try (DetectorCatalog c = catalog("""
                detectors:
                  ens: { type: ensemble, members: [rcf, ewma] }
                select:
                  - { metric: "cpu.*", detectors: [ens] }
                  - { metric: "*", detectors: [ewma, ens, arima] }
                """)) {
            assertThat(c.select("h", "cpu.total_pct")).extracting(ConfiguredDetector::name).containsExactly("rcf", "ewma", "ens");
            assertThat(c.select("h", "mem.used_pct")).extracting(ConfiguredDetector::name)
                    .containsExactly("ewma", "rcf", "ens", "arima");
            assertThat(c.resolveAll(List.of("ens"))).extracting(ConfiguredDetector::name).containsExactly("rcf", "ewma", "ens");
            assertThat(c.resolve("ens").orElseThrow().type()).isEqualTo("ensemble");
            assertThatThrownBy(() -> c.resolve("ens").orElseThrow().detector()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void batchScoringCombinesTheMembersScoresPointByPoint() throws Exception {
        try (DetectorCatalog c = catalog("""
                detectors:
                  ens: { type: ensemble, members: [ewma, rcf], combine: max }
                """)) {
            List<ConfiguredDetector> ds = c.resolveAll(List.of("ens"));
            Random r = new Random(1);
            int n = 2000;
            SeriesData s = new SeriesData(new dev.rtm.api.SeriesKey("h", "m"), "h", "m.csv", "h/m.csv");
            for (int i = 0; i < n; i++) {
                s.add(60_000L * i, 50 + 5 * Math.sin(i / 30.0) + r.nextGaussian() + (i == 1500 ? 30 : 0));
            }
            List<Scores> all = new ArrayList<>();
            for (ConfiguredDetector d : ds) {
                all.add(BatchScorer.score(d, s, all));
            }
            Scores ewma = all.get(0);
            Scores rcf = all.get(1);
            Scores ens = all.get(2);
            assertThat(ens.model()).isEqualTo("ens");
            for (int i = 0; i < n; i++) {
                assertThat(ens.normalized(i)).isCloseTo(Math.max(ewma.normalized(i), rcf.normalized(i)), within(1e-9));
                assertThat(ens.anomaly(i)).isEqualTo(Math.max(ewma.normalized(i), rcf.normalized(i)) >= 0.5);
            }
            assertThat(ens.anomaly(1500)).isTrue();
        }
    }

    @Test
    void badEnsemblesAreRefusedNamingTheKey() {
        String[][] cases = {
            {"ens: { type: ensemble, members: [ewma, nope] }", "detectors.ens.members: unknown detector 'nope'"},
            {"ens: { type: ensemble, members: [ewma, ens] }", "detectors.ens.members: 'ens' is this ensemble itself"},
            {"ens: { type: ensemble }", "detectors.ens.members"},
            {"ens: { type: ensemble, members: [ewma] }", "detectors.ens.members: an ensemble needs at least two members"},
            {"ens: { type: ensemble, members: [ewma, rcf], combine: weighted, weights: [1, 2, 3] }",
                "detectors.ens.weights: 3 weights for 2 members"},
            {"ens: { type: ensemble, members: [ewma, rcf], weights: [1, 2] }", "detectors.ens.weights: only used with combine: weighted"},
            {"ens: { type: ensemble, members: [ewma, rcf], combine: vote, votes: 3 }", "detectors.ens.votes"},
            {"ens: { type: ensemble, members: [ewma, rcf], combine: median }", "detectors.ens.combine"},
            {"ens: { type: ensemble, members: [ewma, rcf], alpha: 0.3 }", "detectors.ens.alpha: unknown key"},
            {"ens: { type: ensemble, members: [ewma, other] }\n  other: { type: ensemble, members: [ewma, rcf] }",
                "detectors.ens.members: 'other' is an ensemble"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> catalog("detectors:\n  " + c[0] + "\n").close()).as(c[0])
                    .isInstanceOf(RtmException.class).hasMessageContaining(c[1]);
        }
    }
}
