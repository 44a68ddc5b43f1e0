package dev.rtm.plugins.rcf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.api.Assessment;
import dev.rtm.api.ConfigException;
import dev.rtm.api.Detector;
import dev.rtm.api.Forecast;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RcfDetectorTest {

    static final SeriesKey KEY = new SeriesKey("web-1", "cpu.total_pct");
    final RcfDetectorFactory factory = new RcfDetectorFactory();

    Detector detector(Map<String, ?> cfg) throws ConfigException {
        return factory.create(factory.configSpec().validate(cfg));
    }

    /** A daily-like sine with noise; spikes at the given indexes. */
    static double[] series(int n, long seed, int... spikes) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 50 + 10 * Math.sin(2 * Math.PI * i / 288) + r.nextGaussian();
        }
        for (int s : spikes) {
            x[s] += 40;
        }
        return x;
    }

    static List<Assessment> run(SeriesDetector s, double[] x, int from, int to) {
        List<Assessment> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(s.update(1_000L * i, x[i]));
        }
        return out;
    }

    static List<Integer> flags(List<Assessment> as, int offset) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < as.size(); i++) {
            if (as.get(i).anomaly()) {
                out.add(i + offset);
            }
        }
        return out;
    }

    @Test
    void aSpikeInANoisyCycleIsFlaggedAtOnceAndCarriesTheForestsExpectation() throws ConfigException {
        double[] x = series(3000, 1, 2000);
        List<Assessment> as = run(detector(Map.of()).create(KEY), x, 0, x.length);
        assertThat(flags(as, 0)).contains(2000);
        Assessment spike = as.get(2000);
        assertThat(spike.score()).isGreaterThan(4.0);
        assertThat(spike.expected()).as("the forest expects the cycle, not the spike")
                .isBetween(x[2000] - 40 - 6, x[2000] - 40 + 6);
        assertThat(spike.lower()).isLessThan(spike.expected());
        assertThat(spike.upper()).isGreaterThan(spike.expected());
        assertThat(as.get(1999).expected()).as("no expectation computed on unflagged points by default").isNaN();
        assertThat(flags(as, 0).size()).as("few false flags on 3000 noisy points").isLessThanOrEqualTo(6);
    }

    @Test
    void expectedEveryPointWhenAskedFor() throws ConfigException {
        double[] x = series(1000, 2);
        List<Assessment> as = run(detector(Map.of("expected-every-point", true)).create(KEY), x, 0, x.length);
        for (int i = 300; i < 1000; i++) {
            assertThat(as.get(i).expected()).isBetween(x[i] - 8, x[i] + 8);
        }
    }

    @Test
    void aConstantSeriesNeverFlagsAndScoresZero() throws ConfigException {
        SeriesDetector s = detector(Map.of()).create(KEY);
        for (int i = 0; i < 3000; i++) {
            Assessment a = s.update(i, 42.0);
            assertThat(a.anomaly()).isFalse();
            assertThat(a.score()).isZero();
        }
    }

    @Test
    void aFlatSeriesThenAStepGivesOneFlagNotAStorm() throws ConfigException {
        for (double level : new double[] {0.0, 1.0, 1e9}) {
            SeriesDetector s = detector(Map.of()).create(KEY);
            List<Integer> flagged = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                double x = level + (i < 1500 ? 10 : 20);
                if (s.update(i, x).anomaly()) {
                    flagged.add(i);
                }
            }
            assertThat(flagged).as("level %s", level).hasSize(1);
            assertThat(flagged.get(0)).isBetween(1500, 1502);
        }
    }

    @Test
    void aQuantisedSeriesWithARareValueDoesNotStorm() throws ConfigException {
        // mostly 0 with an occasional 1: the kind of integer counter that made ewma storm
        SeriesDetector s = detector(Map.of()).create(KEY);
        Random r = new Random(3);
        int flagged = 0;
        for (int i = 0; i < 5000; i++) {
            if (s.update(i, r.nextInt(50) == 0 ? 1 : 0).anomaly()) {
                flagged++;
            }
        }
        assertThat(flagged).isLessThan(25);
    }

    @Test
    void snapshotAndRestoreContinueExactlyLikeAnUninterruptedRun() throws Exception {
        double[] x = series(2500, 4, 1200, 1900, 1905);
        for (Map<String, ?> cfg : List.of(Map.<String, Object>of(), Map.of("shingle-size", 4, "trees", 7,
                "sample-size", 64, "expected-every-point", true))) {
            Detector d = detector(cfg);
            SeriesDetector whole = d.create(KEY);
            List<Assessment> expected = run(whole, x, 0, x.length);

            SeriesDetector first = d.create(KEY);
            run(first, x, 0, 1000);
            byte[] state = first.snapshot();
            assertThat(first.snapshot()).as("a snapshot does not change the state").isEqualTo(state);
            SeriesDetector resumed = d.restore(KEY, state);
            List<Assessment> rest = run(resumed, x, 1000, x.length);
            assertThat(rest).as("config %s", cfg).isEqualTo(expected.subList(1000, x.length));
            assertThat(flags(rest, 1000)).contains(1200, 1900);
            // a restored model snapshots to a state that restores the same way again
            SeriesDetector again = d.restore(KEY, resumed.snapshot());
            SeriesDetector reference = d.restore(KEY, resumed.snapshot());
            assertThat(again.update(1_000L * x.length, 55)).isEqualTo(reference.update(1_000L * x.length, 55));
        }
    }

    @Test
    void theSameSeriesGetsTheSameForestAndAnotherSeriesAnotherOne() throws ConfigException {
        Detector d = detector(Map.of("expected-every-point", true));
        double[] x = series(800, 5);
        List<Assessment> a = run(d.create(KEY), x, 0, x.length);
        List<Assessment> b = run(d.create(KEY), x, 0, x.length);
        List<Assessment> c = run(d.create(new SeriesKey("web-2", "cpu.total_pct")), x, 0, x.length);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void stateSizeIsBounded() throws ConfigException {
        SeriesDetector s = detector(Map.of()).create(KEY);
        double[] x = series(5000, 6);
        run(s, x, 0, x.length);
        int size = s.snapshot().length;
        assertThat(size).as("default forest (8 trees x 256 points of 12 values) state, bytes").isBetween(10_000, 400_000);
    }

    @Test
    void foreignOrMismatchedStateIsRefused() throws Exception {
        Detector d = detector(Map.of());
        assertThatThrownBy(() -> d.restore(KEY, StateWriter.begin("ewma", 1).writeLong(1).toBytes()))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("ewma");
        SeriesDetector s = d.create(KEY);
        run(s, series(500, 7), 0, 500);
        byte[] state = s.snapshot();
        assertThatThrownBy(() -> detector(Map.of("trees", 11)).restore(KEY, state))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("trees 8");
        byte[] truncated = java.util.Arrays.copyOf(state, state.length - 100);
        assertThatThrownBy(() -> d.restore(KEY, truncated)).isInstanceOf(StateFormatException.class);
        // forest bytes that are a Java-serialised object of another class are refused before it is built
        java.io.ByteArrayOutputStream evil = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(evil)) {
            o.writeObject(new java.util.HashMap<>(Map.of("a", 1)));
        }
        byte[] bad = StateWriter.begin("rcf", 1).writeInt(12).writeInt(8).writeInt(256).writeDouble(1.0 / 2560)
                .writeLong(10).writeDouble(0).writeDouble(0).writeLong(0).writeDouble(0).writeDouble(0).writeDouble(0)
                .writeInt(0).writeBytes(evil.toByteArray()).toBytes();
        assertThatThrownBy(() -> d.restore(KEY, bad)).isInstanceOf(StateFormatException.class);
    }

    @Test
    void forecastsContinueTheCycle() throws ConfigException {
        SeriesDetector s = detector(Map.of()).create(KEY);
        double[] x = series(2000, 8);
        run(s, x, 0, x.length);
        Forecast f = s.forecast(12);
        assertThat(f.horizon()).isEqualTo(12);
        double next = 50 + 10 * Math.sin(2 * Math.PI * 2000 / 288);
        assertThat(f.expected()[0]).isBetween(next - 5, next + 5);
        assertThat(f.lower()[11]).isLessThan(f.expected()[11]);
        assertThat(detector(Map.of("shingle-size", 1, "warmup", 10)).create(KEY).forecast(5)).isEqualTo(Forecast.EMPTY);
    }

    @Test
    void nonFiniteValuesAreRefusedWithoutChangingTheState() throws ConfigException {
        SeriesDetector s = detector(Map.of()).create(KEY);
        run(s, series(400, 9), 0, 400);
        byte[] before = s.snapshot();
        assertThatThrownBy(() -> s.update(400_000, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.snapshot()).isEqualTo(before);
    }

    @Test
    void warmupShorterThanTheShingleIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> detector(Map.of("shingle-size", 16, "warmup", 8)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("warmup");
    }
}
