package dev.rtm.plugins.ewma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rtm.api.Assessment;
import dev.rtm.api.ConfigException;
import dev.rtm.api.Detector;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateWriter;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EwmaDetectorTest {

    static final SeriesKey KEY = new SeriesKey("h", "m");
    final EwmaDetectorFactory factory = new EwmaDetectorFactory();

    Detector detector(Map<String, ?> cfg) throws ConfigException {
        return factory.create(factory.configSpec().validate(cfg));
    }

    static int flags(SeriesDetector s, double[] xs) {
        int flags = 0;
        for (int i = 0; i < xs.length; i++) {
            if (s.update(i, xs[i]).anomaly()) {
                flags++;
            }
        }
        return flags;
    }

    @Test
    void matchesHandComputedValues() throws ConfigException {
        // mean and variance at rate 0.5, no floors, no refractory, no warm-up
        SeriesDetector s = detector(Map.of("alpha", 0.5, "variance-alpha", 0.5, "warmup", 0, "threshold", 2.0,
                "refractory", 0, "resolution-floor", 0, "scale-floor", 0)).create(KEY);
        assertThat(s.update(1, 10)).isEqualTo(Assessment.NONE);   // mean 10
        Assessment a = s.update(2, 12);                            // no spread seen yet: the first change
        assertThat(a.expected()).isEqualTo(10);
        assertThat(a.score()).isEqualTo(EwmaDetector.MAX_SCORE);
        assertThat(a.anomaly()).isTrue();
        // after: mean 11, v = 0.5*4 = 2, w = 0.5, sigma = sqrt(2/0.5) = 2
        Assessment b = s.update(3, 14);
        assertThat(b.expected()).isEqualTo(11);
        assertThat(b.score()).isEqualTo(1.5, within(1e-12));       // |14 - 11| / 2
        assertThat(b.lower()).isEqualTo(7.0, within(1e-12));       // 11 - 2*2
        assertThat(b.upper()).isEqualTo(15.0, within(1e-12));
        assertThat(b.anomaly()).isFalse();
        // after: mean 12.5, v = 0.5*2 + 0.5*9 = 5.5, w = 0.75
        Assessment c = s.update(4, 12.5 + 2.001 * Math.sqrt(5.5 / 0.75));
        assertThat(c.expected()).isEqualTo(12.5, within(1e-12));
        assertThat(c.score()).isEqualTo(2.001, within(1e-9));
        assertThat(c.anomaly()).isTrue();
    }

    @Test
    void constantSeriesNeverFlags() throws ConfigException {
        SeriesDetector s = detector(Map.of()).create(KEY);
        for (int i = 0; i < 5000; i++) {
            Assessment a = s.update(i, 42.0);
            assertThat(a.score()).isZero();
            assertThat(a.anomaly()).isFalse();
        }
    }

    @Test
    void flatThenStepGivesOneFlagNotAStorm() throws ConfigException {
        double[] xs = new double[2000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i < 1000 ? 5.0 : 9.0;
        }
        assertThat(flags(detector(Map.of()).create(KEY), xs)).isEqualTo(1);
        // the resolution floor alone (no refractory) keeps the level shift to one flag
        assertThat(flags(detector(Map.of("refractory", 0)).create(KEY), xs)).isEqualTo(1);
        SeriesDetector s = detector(Map.of()).create(KEY);
        for (int i = 0; i < 1000; i++) {
            assertThat(s.update(i, xs[i]).anomaly()).isFalse();
        }
        Assessment step = s.update(1000, 9.0);
        assertThat(step.anomaly()).isTrue();
        assertThat(step.score()).isFinite();
    }

    @Test
    void quantisedSeriesDoesNotStorm() throws ConfigException {
        Random rnd = new Random(11);
        // mostly 0, a 1 at 2% of the points: the first 1 is news, the rest are the series' normal
        double[] blips = new double[5000];
        for (int i = 0; i < blips.length; i++) {
            blips[i] = rnd.nextDouble() < 0.02 ? 1 : 0;
        }
        assertThat(flags(detector(Map.of()).create(KEY), blips)).isLessThanOrEqualTo(1);
        assertThat(flags(detector(Map.of("refractory", 0)).create(KEY), blips)).isLessThanOrEqualTo(1);
        // integer counts around 3
        double[] counts = new double[5000];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Math.max(0, Math.round(3 + rnd.nextGaussian()));
        }
        assertThat(flags(detector(Map.of()).create(KEY), counts)).isLessThanOrEqualTo(2);
    }

    @Test
    void refractoryGivesOneFlagPerEvent() throws ConfigException {
        Random rnd = new Random(5);
        double[] xs = new double[3000];
        for (int i = 0; i < xs.length; i++) {
            // bounded noise (|z| < 2), so only the burst and the spike can flag
            xs[i] = 50 + 2 * (rnd.nextDouble() - 0.5) + (i >= 1000 && i < 1010 ? 30 : 0) + (i == 2000 ? 30 : 0);
        }
        SeriesDetector s = detector(Map.of("refractory", 40)).create(KEY);
        int burstFlags = 0;
        for (int i = 0; i < xs.length; i++) {
            Assessment a = s.update(i, xs[i]);
            if (i >= 1000 && i < 1041) {
                if (a.anomaly()) {
                    burstFlags++;
                }
                if (i > 1000) {
                    assertThat(a.score()).as("point %d is in the refractory period", i).isZero();
                }
            }
            if (i == 1000 || i == 2000) {
                assertThat(a.anomaly()).as("point %d", i).isTrue();
            }
        }
        assertThat(burstFlags).as("ten anomalous points in a row, one flag").isEqualTo(1);
        // without a refractory period the same burst flags again and again
        SeriesDetector t = detector(Map.of("refractory", 0)).create(KEY);
        int stormFlags = 0;
        for (int i = 0; i < 1010; i++) {
            if (t.update(i, xs[i]).anomaly() && i >= 1000) {
                stormFlags++;
            }
        }
        assertThat(stormFlags).isGreaterThan(3);
    }

    @Test
    void noFlagDuringWarmup() throws ConfigException {
        double[] xs = {1, 100, -100, 1000, -1000, 5000, 1e6};
        SeriesDetector t = detector(Map.of("warmup", 5, "refractory", 0)).create(KEY);
        for (int i = 0; i < 5; i++) {
            assertThat(t.update(i, xs[i])).as("point %d is in the warm-up", i).isEqualTo(Assessment.NONE);
        }
        assertThat(t.update(5, xs[5]).score()).isPositive();
        assertThat(t.update(6, xs[6]).anomaly()).isTrue();
    }

    @Test
    void refusesNonFiniteValuesAndKeepsState() throws ConfigException {
        SeriesDetector s = detector(Map.of()).create(KEY);
        for (int i = 0; i < 10; i++) {
            s.update(i, i);
        }
        byte[] before = s.snapshot();
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> s.update(99, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("finite");
        }
        assertThat(s.snapshot()).isEqualTo(before);
    }

    @Test
    void snapshotRestoreGivesTheScoresOfAnUninterruptedRun() throws Exception {
        Detector d = detector(Map.of());
        SeriesDetector a = d.create(KEY);
        Random rnd = new Random(7);
        double[] xs = new double[3000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Math.round(10 * (Math.sin(i / 10.0) + rnd.nextGaussian())) / 10.0 + (i == 1495 ? 20 : 0);
        }
        Assessment[] uninterrupted = new Assessment[xs.length];
        for (int i = 0; i < xs.length; i++) {
            uninterrupted[i] = a.update(i, xs[i]);
        }
        assertThat(uninterrupted[1495].anomaly()).isTrue();
        // the same series, saved and restored at 1500, inside the refractory period of the spike
        SeriesDetector b = d.create(KEY);
        for (int i = 0; i < 1500; i++) {
            b.update(i, xs[i]);
        }
        SeriesDetector c = d.restore(KEY, b.snapshot());
        for (int i = 1500; i < xs.length; i++) {
            assertThat(c.update(i, xs[i])).as("point %d", i).isEqualTo(uninterrupted[i]);
        }
        assertThat(c.forecast(3)).isEqualTo(a.forecast(3));
        assertThat(c.snapshot()).isEqualTo(a.snapshot()).hasSize(75); // 68 bytes of state + 7 of header
    }

    @Test
    void refusesForeignCorruptOrOlderState() throws ConfigException {
        Detector d = detector(Map.of());
        assertThatThrownBy(() -> d.restore(KEY, new byte[] {1, 2, 3})).isInstanceOf(StateFormatException.class);
        byte[] good = d.create(KEY).snapshot();
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> d.restore(KEY, longer)).isInstanceOf(StateFormatException.class);
        byte[] v1 = StateWriter.begin("ewma", 1).writeLong(100).writeDouble(5).writeDouble(1).toBytes();
        assertThatThrownBy(() -> d.restore(KEY, v1)).isInstanceOf(StateFormatException.class)
                .hasMessageContaining("format 1").hasMessageContaining("starts afresh");
    }

    @Test
    void flagsASpikeInNoiseAndRarelyTheNoise() throws ConfigException {
        SeriesDetector s = detector(Map.of()).create(KEY);
        Random rnd = new Random(3);
        int flaggedNoise = 0;
        for (int i = 0; i < 5000; i++) {
            if (s.update(i, 50 + rnd.nextGaussian()).anomaly()) {
                flaggedNoise++;
            }
        }
        assertThat(s.update(5000, 60).anomaly()).isTrue();
        assertThat(flaggedNoise).isLessThan(5); // P(|z| >= 4) is 6e-5 for Gaussian noise
    }

    @Test
    void keepsMillionsOfPointsPerSecond() throws ConfigException {
        Detector d = detector(Map.of());
        Random rnd = new Random(1);
        double[] xs = new double[1 << 20];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 100 + 10 * rnd.nextGaussian();
        }
        double best = 0;
        double sink = 0;
        for (int round = 0; round < 8; round++) {
            SeriesDetector s = d.create(KEY);
            long t0 = System.nanoTime();
            for (int i = 0; i < xs.length; i++) {
                sink += s.update(i, xs[i]).score();
            }
            best = Math.max(best, xs.length / ((System.nanoTime() - t0) / 1e9));
        }
        System.out.printf("ewma: %.1fM points/s (best of 8 runs of 1M points, one thread)%n", best / 1e6);
        assertThat(sink).isPositive();
        assertThat(best).isGreaterThan(2e6); // 5M+ on an idle core; the bound leaves room for a loaded CI machine
    }

    @Test
    void configIsValidatedWithKeyNames() {
        assertThatThrownBy(() -> detector(Map.of("alpha", 0))).hasMessageContaining("alpha: 0 is out of range");
        assertThatThrownBy(() -> detector(Map.of("min-std", -1))).hasMessageContaining("min-std");
        assertThatThrownBy(() -> detector(Map.of("variance-alpha", 2))).hasMessageContaining("variance-alpha");
        assertThatThrownBy(() -> detector(Map.of("warm-up", 3))).hasMessageContaining(
                "allowed keys: alpha, threshold, warmup, min-std, variance-alpha, refractory, resolution-floor, scale-floor");
    }
}
