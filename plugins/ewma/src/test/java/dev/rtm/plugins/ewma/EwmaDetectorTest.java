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
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EwmaDetectorTest {

    static final SeriesKey KEY = new SeriesKey("h", "m");
    final EwmaDetectorFactory factory = new EwmaDetectorFactory();

    Detector detector(Map<String, ?> cfg) throws ConfigException {
        return factory.create(factory.configSpec().validate(cfg));
    }

    @Test
    void matchesHandComputedValues() throws ConfigException {
        // alpha 0.5, warmup 0. Seed formula: ewma, ewmsq, var = max(ewmsq - ewma^2, 0).
        SeriesDetector s = detector(Map.of("alpha", 0.5, "warmup", 0, "threshold", 2.0)).create(KEY);
        assertThat(s.update(1, 10)).isEqualTo(Assessment.NONE);   // ewma 10, ewmsq 100, var 0
        Assessment a = s.update(2, 12);                            // before: mean 10, sigma = min-std
        assertThat(a.expected()).isEqualTo(10);
        assertThat(a.score()).isEqualTo(2 / 1e-6, within(1e-3));
        assertThat(a.anomaly()).isTrue();
        // after: ewma 11, ewmsq 0.5*144 + 0.5*100 = 122, var 122 - 121 = 1
        Assessment b = s.update(3, 14);
        assertThat(b.expected()).isEqualTo(11);
        assertThat(b.score()).isEqualTo(3.0, within(1e-12));       // |14 - 11| / 1
        assertThat(b.lower()).isEqualTo(9.0, within(1e-12));       // 11 - 2*1
        assertThat(b.upper()).isEqualTo(13.0, within(1e-12));
        assertThat(b.anomaly()).isTrue();
        // after: ewma 12.5, ewmsq 0.5*196 + 0.5*122 = 159, var 159 - 156.25 = 2.75
        Assessment c = s.update(4, 12.5 + Math.sqrt(2.75));
        assertThat(c.expected()).isEqualTo(12.5, within(1e-12));
        assertThat(c.score()).isEqualTo(1.0, within(1e-12));
        assertThat(c.anomaly()).isFalse();
    }

    @Test
    void matchesTheSeedFormulaOnALongNoisySeries() throws ConfigException {
        double alpha = 0.2;
        SeriesDetector s = detector(Map.of("alpha", alpha)).create(KEY);
        Random rnd = new Random(1);
        double ewma = 0;
        double ewmsq = 0;
        for (int i = 0; i < 5000; i++) {
            double x = 1000 + 50 * rnd.nextGaussian();
            Assessment a = s.update(i, x);
            if (i > 0) {
                double std = Math.max(Math.sqrt(Math.max(ewmsq - ewma * ewma, 0)), 1e-6);
                if (i >= 20) { // after the default warm-up
                    assertThat(a.expected()).isEqualTo(ewma, within(1e-9));
                    assertThat(a.score()).isEqualTo(Math.abs(x - ewma) / std, within(1e-6));
                }
                ewma = alpha * x + (1 - alpha) * ewma;
                ewmsq = alpha * x * x + (1 - alpha) * ewmsq;
            } else {
                ewma = x;
                ewmsq = x * x;
            }
        }
    }

    @Test
    void noFlagDuringWarmup() throws ConfigException {
        SeriesDetector s = detector(Map.of("warmup", 5)).create(KEY);
        double[] xs = {1, 100, -100, 1000, -1000, 5000, 1e6};
        boolean[] flags = new boolean[xs.length];
        for (int i = 0; i < xs.length; i++) {
            flags[i] = s.update(i, xs[i]).anomaly();
        }
        assertThat(flags).containsExactly(false, false, false, false, false, true, true);
        SeriesDetector t = detector(Map.of("warmup", 5)).create(KEY);
        for (int i = 0; i < 5; i++) {
            assertThat(t.update(i, xs[i])).as("point %d is in the warm-up", i).isEqualTo(Assessment.NONE);
        }
        assertThat(t.update(5, xs[5]).score()).isPositive();
    }

    @Test
    void constantSeriesHasZeroScoreAndFlagsAChange() throws ConfigException {
        SeriesDetector s = detector(Map.of()).create(KEY);
        for (int i = 0; i < 100; i++) {
            Assessment a = s.update(i, 42.0);
            assertThat(a.score()).isZero();
            assertThat(a.anomaly()).isFalse();
        }
        Assessment jump = s.update(100, 43.0);
        assertThat(jump.anomaly()).isTrue();
        assertThat(jump.score()).isFinite();
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
    void snapshotRestoreGivesIdenticalOutputs() throws Exception {
        Detector d = detector(Map.of("alpha", 0.1));
        SeriesDetector a = d.create(KEY);
        Random rnd = new Random(7);
        for (int i = 0; i < 500; i++) {
            a.update(i, Math.sin(i / 10.0) + rnd.nextGaussian());
        }
        SeriesDetector b = d.restore(KEY, a.snapshot());
        for (int i = 500; i < 1000; i++) {
            double x = Math.sin(i / 10.0) + rnd.nextGaussian() + (i == 700 ? 20 : 0);
            assertThat(b.update(i, x)).isEqualTo(a.update(i, x));
        }
        assertThat(b.forecast(3)).isEqualTo(a.forecast(3));
        assertThat(b.snapshot()).isEqualTo(a.snapshot());
    }

    @Test
    void refusesForeignOrCorruptState() throws ConfigException {
        Detector d = detector(Map.of());
        assertThatThrownBy(() -> d.restore(KEY, new byte[] {1, 2, 3})).isInstanceOf(StateFormatException.class);
        byte[] good = d.create(KEY).snapshot();
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> d.restore(KEY, longer)).isInstanceOf(StateFormatException.class);
    }

    @Test
    void flagsASpikeInNoise() throws ConfigException {
        SeriesDetector s = detector(Map.of()).create(KEY);
        Random rnd = new Random(3);
        int flaggedNoise = 0;
        for (int i = 0; i < 2000; i++) {
            if (s.update(i, 50 + rnd.nextGaussian()).anomaly()) {
                flaggedNoise++;
            }
        }
        assertThat(s.update(2000, 70).anomaly()).isTrue();
        assertThat(flaggedNoise).isLessThan(60); // ~1% of points beyond 3 sigma for Gaussian noise
    }

    @Test
    void configIsValidatedWithKeyNames() {
        assertThatThrownBy(() -> detector(Map.of("alpha", 0))).hasMessageContaining("alpha: 0 is out of range");
        assertThatThrownBy(() -> detector(Map.of("min-std", -1))).hasMessageContaining("min-std");
        assertThatThrownBy(() -> detector(Map.of("warm-up", 3))).hasMessageContaining("allowed keys: alpha, threshold, warmup, min-std");
    }
}
