package dev.rtm.plugins.arima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rtm.api.Assessment;
import dev.rtm.api.ConfigException;
import dev.rtm.api.Detector;
import dev.rtm.api.Forecast;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArimaDetectorTest {

    static final SeriesKey KEY = new SeriesKey("h", "m");
    final ArimaDetectorFactory factory = new ArimaDetectorFactory();

    Detector detector(Map<String, ?> cfg) throws ConfigException {
        return factory.create(factory.configSpec().validate(cfg));
    }

    static double[] ar2(int n, long seed) {
        Random rnd = new Random(seed);
        double[] x = new double[n];
        for (int t = 2; t < n; t++) {
            x[t] = 0.6 * x[t - 1] - 0.3 * x[t - 2] + rnd.nextGaussian();
        }
        return x;
    }

    @Test
    void fitsAnAr2AndBeatsTheNaiveForecast() throws ConfigException {
        SeriesDetector s = detector(Map.of("p", 2, "d", 0, "q", 0, "window", 2000, "warmup", 2000)).create(KEY);
        double[] x = ar2(4000, 1);
        double err = 0;
        double naive = 0;
        for (int t = 0; t < x.length; t++) {
            Assessment a = s.update(t, x[t]);
            if (t > 2000) {
                err += Math.abs(x[t] - a.expected());
                naive += Math.abs(x[t] - x[t - 1]);
            }
        }
        ArmaModel m = ((ArimaDetector.Series) s).model;
        assertThat(m.ar[0]).isCloseTo(0.6, within(0.06));
        assertThat(m.ar[1]).isCloseTo(-0.3, within(0.06));
        assertThat(m.sigma).isCloseTo(1.0, within(0.06));
        assertThat(err / naive).as("MASE").isLessThan(0.85);
    }

    @Test
    void armaFitOnAnAr2FindsASmallMaTerm() throws ConfigException {
        SeriesDetector s = detector(Map.of("p", 2, "d", 0, "q", 1, "window", 3000, "warmup", 3000)).create(KEY);
        double[] x = ar2(3000, 2);
        for (int t = 0; t < x.length; t++) {
            s.update(t, x[t]);
        }
        ArmaModel m = ((ArimaDetector.Series) s).model;
        assertThat(m.q()).isEqualTo(1);
        assertThat(m.ar[0] + m.ma[0]).as("AR(1)+MA(1) of an AR(2)").isCloseTo(0.6, within(0.1));
    }

    @Test
    void flagsASpikeAndALevelShiftButNotTheNoise() throws ConfigException {
        SeriesDetector s = detector(Map.of()).create(KEY);
        Random rnd = new Random(3);
        int flaggedNoise = 0;
        boolean spike = false;
        boolean shift = false;
        for (int t = 0; t < 1500; t++) {
            double x = 50 + 10 * Math.sin(t / 20.0) + rnd.nextGaussian() + (t == 700 ? 15 : 0) + (t >= 1100 ? 12 : 0);
            Assessment a = s.update(t, x);
            if (t == 700) {
                spike = a.anomaly();
            } else if (t == 1100) {
                shift = a.anomaly();
            } else if (a.anomaly() && !(t > 1100 && t < 1106)) { // a shift may flag a few points until the refit
                flaggedNoise++;
            }
        }
        assertThat(spike).as("spike flagged").isTrue();
        assertThat(shift).as("level shift flagged").isTrue();
        assertThat(flaggedNoise).as("flags on noise, or echoes of the spike").isLessThan(5);
    }

    @Test
    void constantsShortSeriesAndNonFiniteValuesDoNotBreakIt() throws ConfigException {
        Detector d = detector(Map.of());
        SeriesDetector flat = d.create(KEY);
        for (int t = 0; t < 400; t++) {
            Assessment a = flat.update(t, 7.0);
            assertThat(a.anomaly()).isFalse();
            assertThat(a.score()).isZero();
        }
        assertThat(flat.update(400, 8.0).anomaly()).isTrue();
        assertThat(flat.forecast(3).horizon()).isEqualTo(3);

        SeriesDetector tiny = d.create(KEY);
        for (int t = 0; t < 3; t++) {
            assertThat(tiny.update(t, t)).isEqualTo(Assessment.NONE);
        }
        assertThat(tiny.forecast(5)).isEqualTo(Forecast.EMPTY);

        SeriesDetector gaps = d.create(KEY);
        Random rnd = new Random(5);
        for (int t = 0; t < 600; t++) {
            if (t % 50 == 0) {
                byte[] before = gaps.snapshot();
                assertThatThrownBy(() -> gaps.update(99, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
                assertThat(gaps.snapshot()).isEqualTo(before);
            }
            Assessment a = gaps.update(t, rnd.nextGaussian());
            assertThat(a.score()).isFinite();
        }
    }

    @Test
    void snapshotRestoreGivesIdenticalOutputsAcrossRefits() throws Exception {
        for (Map<String, ?> cfg : java.util.List.of(Map.<String, Object>of(), Map.of("auto", true, "d", 0),
                Map.of("d", 2, "q", 0, "refit-every", 7))) {
            Detector d = detector(cfg);
            SeriesDetector a = d.create(KEY);
            Random rnd = new Random(11);
            double level = 0;
            for (int t = 0; t < 700; t++) {
                level += rnd.nextGaussian() * 0.1;
                a.update(t, level + Math.sin(t / 9.0) + rnd.nextGaussian() * 0.3);
            }
            SeriesDetector b = d.restore(KEY, a.snapshot());
            assertThat(b.snapshot()).isEqualTo(a.snapshot());
            for (int t = 700; t < 1400; t++) {
                level += rnd.nextGaussian() * 0.1;
                double x = level + Math.sin(t / 9.0) + rnd.nextGaussian() * 0.3 + (t == 1000 ? 9 : 0);
                assertThat(b.update(t, x)).as("point %d with %s", t, cfg).isEqualTo(a.update(t, x));
            }
            assertThat(b.forecast(12)).isEqualTo(a.forecast(12));
        }
    }

    @Test
    void forecastIntervalsWidenWithTheHorizon() throws ConfigException {
        SeriesDetector s = detector(Map.of()).create(KEY);
        Random rnd = new Random(9);
        double x = 0;
        for (int t = 0; t < 600; t++) {
            x += rnd.nextGaussian();
            s.update(t, x);
        }
        Forecast f = s.forecast(12);
        assertThat(f.horizon()).isEqualTo(12);
        double[] lo = f.lower();
        double[] hi = f.upper();
        for (int i = 1; i < 12; i++) {
            assertThat(hi[i] - lo[i]).isGreaterThan(hi[i - 1] - lo[i - 1]);
        }
    }

    @Test
    void configCombinationsAreCheckedByKey() {
        assertThatThrownBy(() -> detector(Map.of("window", 90, "warmup", 90, "p", 8, "q", 8)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("window: 90 is too small for the largest order: a fit needs at least 95 points");
        assertThatThrownBy(() -> detector(Map.of("warmup", 600))).hasMessageContaining("warmup: must not exceed window (512)");
        assertThatThrownBy(() -> detector(Map.of("level", 1.0))).hasMessageContaining("level: 1.0 is out of range");
    }

    @Test
    void stateIsBoundedByTheWindow() throws ConfigException {
        for (int window : new int[] {128, 512, 2048}) {
            SeriesDetector s = detector(Map.of("window", window, "auto", true, "max-p", 8, "max-q", 8)).create(KEY);
            Random rnd = new Random(1);
            for (int t = 0; t < 3 * window; t++) {
                s.update(t, rnd.nextGaussian());
            }
            int bytes = s.snapshot().length;
            System.out.printf("arima state with window %d: %d bytes%n", window, bytes);
            assertThat(bytes).isLessThanOrEqualTo(8 * window + 400);
        }
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
    void flatThenStepGivesOneFlagAndQuantisedSeriesDoNotStorm() throws ConfigException {
        double[] step = new double[1500];
        for (int i = 0; i < step.length; i++) {
            step[i] = i < 700 ? 5.0 : 9.0;
        }
        assertThat(flags(detector(Map.of()).create(KEY), step)).isEqualTo(1);
        assertThat(flags(detector(Map.of("refractory", 0)).create(KEY), step)).isEqualTo(1);
        // mostly 0 with a 1 at 2% of the points: the first 1 is news, the rest are the series' normal
        Random rnd = new Random(11);
        double[] blips = new double[4000];
        for (int i = 0; i < blips.length; i++) {
            blips[i] = rnd.nextDouble() < 0.02 ? 1 : 0;
        }
        assertThat(flags(detector(Map.of()).create(KEY), blips)).isLessThanOrEqualTo(3);
    }

    @Test
    void refractoryReportsAnEventOnceButLetsABiggerOneThrough() throws ConfigException {
        Random rnd = new Random(2);
        double[] xs = new double[1200];
        for (int i = 0; i < xs.length; i++) {
            // bounded noise; a burst (up by 12, then 8, 8, ...: every point jumps) at 600..609, then a
            // much bigger spike at 625, inside the refractory period
            double burst = i == 600 ? 12 : i > 600 && i < 610 && i % 2 == 0 ? 8 : 0;
            xs[i] = 10 + (rnd.nextDouble() - 0.5) + burst + (i == 625 ? 60 : 0);
        }
        int[] inBurst = new int[2];
        for (int k = 0; k < 2; k++) {
            SeriesDetector s = detector(Map.of("refractory", k == 0 ? 40 : 0)).create(KEY);
            for (int i = 0; i < xs.length; i++) {
                Assessment a = s.update(i, xs[i]);
                if (i >= 600 && i < 620 && a.anomaly()) {
                    inBurst[k]++;
                }
                if (i == 625) {
                    assertThat(a.anomaly()).as("a bigger event inside the refractory period").isTrue();
                }
            }
        }
        assertThat(inBurst[0]).as("with refractory").isEqualTo(1);
        assertThat(inBurst[1]).as("without refractory the burst flags again and again").isGreaterThan(3);
    }

    @Test
    void readsFormatOneStateAndDropsTheUnusedHorizonKey() throws Exception {
        Detector d = detector(Map.of());
        SeriesDetector a = d.create(KEY);
        double[] x = ar2(600, 4);
        for (int t = 0; t < 600; t++) {
            a.update(t, Math.round(x[t] * 10) / 10.0);
        }
        // the same state in format 1: no resolution, refractory or peak at the end
        byte[] v2 = a.snapshot();
        dev.rtm.api.StateReader r = dev.rtm.api.StateReader.open(v2, "arima", 2);
        dev.rtm.api.StateWriter w = dev.rtm.api.StateWriter.begin("arima", 1);
        boolean hasModel = r.readBoolean();
        w.writeBoolean(hasModel);
        if (hasModel) {
            w.writeDouble(r.readDouble()).writeDoubles(r.readDoubles()).writeDoubles(r.readDoubles()).writeDouble(r.readDouble());
        }
        w.writeDoubles(r.readDoubles()).writeDoubles(r.readDoubles()).writeDoubles(r.readDoubles()).writeLong(r.readLong())
                .writeInt(r.readInt()).writeInt(r.readInt()).writeLong(r.readLong()).writeLong(r.readLong());
        SeriesDetector b = d.restore(KEY, w.toBytes());
        // the resolution (0.1) is re-learnt from the window, so the next outputs are the same
        for (int t = 600; t < 700; t++) {
            double v = Math.round(x[t - 600] * 10) / 10.0;
            assertThat(b.update(t, v)).isEqualTo(a.update(t, v));
        }
        assertThatThrownBy(() -> detector(Map.of("horizon", 12))).hasMessageContaining("horizon: unknown key");
    }

    @Test
    void stationarityTest() {
        assertThat(ArmaModel.insideUnitCircleRule(new double[] {0.6, -0.3})).isTrue();
        assertThat(ArmaModel.insideUnitCircleRule(new double[] {1.0})).isFalse();
        assertThat(ArmaModel.insideUnitCircleRule(new double[] {0.5, 0.6})).isFalse(); // root inside
        assertThat(ArmaModel.insideUnitCircleRule(new double[] {1.2, -0.35})).isTrue(); // real roots 2 and 1.43
    }
}
