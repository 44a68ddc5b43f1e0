package dev.rtm.plugins.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rtm.api.Assessment;
import dev.rtm.api.ConfigException;
import dev.rtm.api.Detector;
import dev.rtm.api.Forecast;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LstmDetectorTest {

    static final SeriesKey KEY = new SeriesKey("h", "m");
    final LstmDetectorFactory factory = new LstmDetectorFactory();

    Detector detector(Map<String, ?> cfg) throws ConfigException {
        return factory.create(factory.configSpec().validate(cfg));
    }

    static double[] noisySine(int n, long seed) {
        Random rnd = new Random(seed);
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = 10 * Math.sin(2 * Math.PI * t / 40) + rnd.nextGaussian();
        }
        return x;
    }

    /**
     * The Java forward scores every point, so it is checked against two references: the LSTM
     * equations in PyTorch tensor ops, and DJL's LSTM block as training runs it (the function the
     * copied-out weights were fitted to). State sizes 8 and 32 lie either side of 16, below which
     * oneDNN's AVX-512 inference kernel goes wrong on the CI machine; every bias is non-zero so a
     * missing or swapped bias shows.
     */
    @Test
    void javaForwardEqualsDjlForward() {
        for (int units : new int[] {8, 32}) {
            for (int layers : new int[] {1, 2}) {
                LstmConfig cfg = new LstmConfig(8, 64, 16, 1, units, layers, 0.01, 8, 4, 1, 1, 10, false, 1e-6, 40, 0.5);
                LstmWeights w = LstmWeights.init(units, layers, 123);
                Random rnd = new Random(4);
                for (float[] p : w.params) {
                    for (int i = 0; i < p.length; i++) {
                        p[i] += (float) (0.3 * rnd.nextGaussian());
                    }
                }
                for (int k = 0; k < 5; k++) {
                    double[] seq = new double[8];
                    for (int i = 0; i < seq.length; i++) {
                        seq[i] = rnd.nextGaussian();
                    }
                    String at = units + " units, " + layers + " layers, sequence " + k;
                    double java = w.forward(seq);
                    assertThat(java).as(at).isCloseTo(LstmEquations.forward(w, seq), within(1e-5));
                    assertThat(java).as(at).isCloseTo(Training.djlForward(cfg, w, seq), within(1e-5));
                }
            }
        }
    }

    /**
     * σ comes from the training's one batched PyTorch pass over its samples; it must be the error
     * the Java forward (which scores every point) makes on the same samples, for state sizes either
     * side of oneDNN's faulty inference kernel (see above).
     */
    @Test
    void trainingsInSampleErrorIsTheJavaForwardsError() throws Exception {
        double[] x = noisySine(200, 3);
        double[] norm = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            norm[i] = x[i] / 2.5;
        }
        for (int units : new int[] {8, 32}) {
            for (int layers : new int[] {1, 2}) {
                LstmConfig cfg = new LstmConfig(12, 200, 16, 2, units, layers, 0.01, 32, 4, 1, 1, 10, false, 1e-6, 40, 0.5);
                Training.Result r = Training.submit(cfg, LstmWeights.init(units, layers, 7), norm, 11).get();
                double java = Training.inSampleSigma(12, r.weights(), norm);
                assertThat(r.sigma()).as(units + " units, " + layers + " layers").isCloseTo(java, within(1e-5 * java));
            }
        }
    }

    @Test
    void learnsANoisySineBetterThanTheNaiveForecast() throws ConfigException {
        SeriesDetector s = detector(Map.of("async", false, "epochs", 8)).create(KEY);
        double[] x = noisySine(1400, 1);
        double mse = 0;
        double naive = 0;
        int m = 0;
        for (int t = 0; t < x.length; t++) {
            Assessment a = s.update(t, x[t]);
            if (t >= 800) {
                mse += Math.pow(x[t] - a.expected(), 2);
                naive += Math.pow(x[t] - x[t - 1], 2);
                m++;
            }
        }
        System.out.printf("lstm on a noisy sine: MSE %.3f, naive %.3f%n", mse / m, naive / m);
        assertThat(mse / m).isLessThan(0.8 * naive / m);
    }

    @Test
    void flagsASpikeAndALevelShift() throws ConfigException {
        SeriesDetector s = detector(Map.of("async", false)).create(KEY);
        double[] x = noisySine(1300, 2);
        x[900] += 15;
        for (int t = 1100; t < x.length; t++) {
            x[t] += 20;
        }
        boolean spike = false;
        boolean shift = false;
        int noise = 0;
        for (int t = 0; t < x.length; t++) {
            Assessment a = s.update(t, x[t]);
            if (t == 900) {
                spike = a.anomaly();
            } else if (t == 1100) {
                shift = a.anomaly();
            } else if (a.anomaly() && t < 1100 && !(t > 900 && t <= 900 + 24)) {
                noise++;
            }
        }
        assertThat(spike).as("spike").isTrue();
        assertThat(shift).as("level shift").isTrue();
        assertThat(noise).as("flags on plain noise").isLessThan(5);
    }

    @Test
    void restoreGivesIdenticalOutputsEvenWithATrainingInFlight() throws Exception {
        Detector d = detector(Map.of("window", 120, "retrain-every", 40, "lookback", 8, "units", 8, "epochs", 2));
        double[] x = noisySine(500, 3);
        SeriesDetector a = d.create(KEY);
        for (int t = 0; t < 165; t++) { // trainings start at 120 and 160: the one at 160 is in flight
            a.update(t, x[t]);
        }
        byte[] snap = a.snapshot();
        SeriesDetector b = d.restore(KEY, snap);
        assertThat(b.snapshot()).isEqualTo(snap);
        for (int t = 165; t < x.length; t++) {
            double v = x[t] + (t == 300 ? 25 : 0);
            assertThat(b.update(t, v)).as("point %d", t).isEqualTo(a.update(t, v));
        }
        assertThat(b.forecast(12)).isEqualTo(a.forecast(12));
        d.close();
    }

    @Test
    void readsFormatOneState() throws Exception {
        Detector d = detector(Map.of("window", 120, "retrain-every", 40, "lookback", 8, "units", 8, "epochs", 1,
                "async", false));
        double[] x = noisySine(400, 8);
        SeriesDetector a = d.create(KEY);
        for (int t = 0; t < 200; t++) {
            a.update(t, x[t]);
        }
        // format 1 is format 2 without the resolution, refractory count and peak (20 bytes) at the end
        byte[] v2 = a.snapshot();
        byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - 20);
        v1[6] = 1; // magic, "lstm" (length + 4 bytes), then the version
        SeriesDetector b = d.restore(KEY, v1);
        for (int t = 200; t < x.length; t++) {
            assertThat(b.update(t, x[t])).as("point %d", t).isEqualTo(a.update(t, x[t]));
        }
        d.close();
    }

    @Test
    void asyncAndSyncTrainingGiveTheSameOutputs() throws Exception {
        Map<String, Object> base = Map.of("window", 120, "retrain-every", 40, "lookback", 8, "units", 8, "epochs", 2);
        Map<String, Object> sync = new HashMap<>(base);
        sync.put("async", false);
        Detector da = detector(base);
        Detector ds = detector(sync);
        SeriesDetector a = da.create(KEY);
        SeriesDetector s = ds.create(KEY);
        double[] x = noisySine(400, 4);
        for (int t = 0; t < x.length; t++) {
            assertThat(a.update(t, x[t])).as("point %d", t).isEqualTo(s.update(t, x[t]));
        }
        da.close();
    }

    /**
     * Issue #17.3: the same replay once gave other lstm flags on a busy machine. Same keys, same
     * inputs: with background training racing CPU hogs (more busy threads than cores) the outputs
     * equal a quiet, synchronous run's, bit for bit.
     */
    @Test
    void sameOutputsUnderCpuContention() throws Exception {
        Map<String, Object> base = Map.of("window", 80, "retrain-every", 40, "lookback", 8, "units", 8, "epochs", 2);
        Map<String, Object> sync = new HashMap<>(base);
        sync.put("async", false);
        double[] x = noisySine(300, 6);
        List<Assessment> quiet = run(detector(sync), x);
        java.util.concurrent.atomic.AtomicBoolean hog = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> hogs = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors() * 2; i++) {
            Thread t = new Thread(() -> {
                long n = 0;
                while (hog.get()) {
                    n += System.nanoTime() % 7; // busy
                }
                if (n == 42) {
                    System.out.print("");
                }
            });
            t.setDaemon(true);
            t.start();
            hogs.add(t);
        }
        try {
            List<Assessment> busy = run(detector(base), x);
            int first = 0;
            while (first < quiet.size() && first < busy.size() && quiet.get(first).equals(busy.get(first))) {
                first++;
            }
            assertThat(first).as("async training on a busy machine: first point (index / 3) and series (index %% 3) "
                    + "whose output differs from the quiet run's, of %d", quiet.size()).isEqualTo(quiet.size());
            assertThat(busy).isEqualTo(quiet);
        } finally {
            hog.set(false);
            for (Thread t : hogs) {
                t.join();
            }
        }
    }

    private static List<Assessment> run(Detector d, double[] x) {
        List<SeriesDetector> series = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            series.add(d.create(new SeriesKey("busy-" + k, "m")));
        }
        List<Assessment> out = new ArrayList<>();
        for (int t = 0; t < x.length; t++) {
            for (SeriesDetector s : series) {
                out.add(s.update(t, x[t]));
            }
        }
        d.close();
        return out;
    }

    @Test
    void manySeriesFromTwoThreadsShareOneDetector() throws Exception {
        Detector d = detector(Map.of("window", 80, "retrain-every", 40, "lookback", 8, "units", 8, "epochs", 1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Assessment>>> runs = new ArrayList<>();
            for (int task = 0; task < 2; task++) {
                int subtask = task;
                runs.add(pool.submit(() -> {
                    List<Assessment> out = new ArrayList<>();
                    List<SeriesDetector> series = new ArrayList<>();
                    for (int k = 0; k < 6; k++) {
                        series.add(d.create(new SeriesKey("host-" + k, "m")));
                    }
                    double[] x = noisySine(200, 5);
                    for (int t = 0; t < x.length; t++) {
                        for (SeriesDetector s : series) {
                            out.add(s.update(t, x[t]));
                        }
                    }
                    return out;
                }));
            }
            List<Assessment> first = runs.get(0).get(120, TimeUnit.SECONDS);
            List<Assessment> second = runs.get(1).get(120, TimeUnit.SECONDS);
            assertThat(first).isEqualTo(second); // same keys, same inputs: same outputs, whatever the thread
            assertThat(first.stream().filter(a -> !Double.isNaN(a.expected())).count()).isGreaterThan(500);
        } finally {
            pool.shutdownNow();
            d.close();
        }
    }

    @Test
    void forecastAndEdgeCases() throws ConfigException {
        Detector d = detector(Map.of("window", 80, "retrain-every", 40, "lookback", 8, "units", 8, "epochs", 1, "async", false));
        SeriesDetector s = d.create(KEY);
        assertThat(s.forecast(5)).isEqualTo(Forecast.EMPTY);
        for (int t = 0; t < 3; t++) {
            assertThat(s.update(t, 1.0)).isEqualTo(Assessment.NONE);
        }
        byte[] before = s.snapshot();
        assertThatThrownBy(() -> s.update(3, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.snapshot()).isEqualTo(before);
        SeriesDetector flat = d.create(KEY);
        for (int t = 0; t < 200; t++) {
            assertThat(flat.update(t, 5.0).anomaly()).isFalse();
        }
        assertThat(flat.forecast(4).horizon()).isEqualTo(4);
        assertThat(flat.update(200, 6.0).anomaly()).isTrue();
        // a flat series then a step: one flag, not a storm (σ ≥ half the step it has now seen)
        int more = 0;
        for (int t = 201; t < 400; t++) {
            if (flat.update(t, 6.0).anomaly()) {
                more++;
            }
        }
        assertThat(more).isZero();
    }

    @Test
    void stateSizeAndCost() throws Exception {
        SeriesDetector s = detector(Map.of("async", false)).create(KEY);
        double[] x = noisySine(2000, 6);
        long t0 = System.nanoTime();
        for (int t = 0; t < x.length; t++) {
            s.update(t, x[t]);
        }
        double all = (System.nanoTime() - t0) / 1e9;
        LstmWeights w = ((LstmDetector.Series) s).weights;
        double[] seq = new double[24];
        long t1 = System.nanoTime();
        double sink = 0;
        for (int i = 0; i < 5000; i++) {
            seq[i % 24] = i;
            sink += w.forward(seq);
        }
        double inference = (System.nanoTime() - t1) / 1e9 / 5000;
        int bytes = s.snapshot().length;
        int weights = w.count();
        System.out.printf("lstm 1x32, lookback 24, window 480: %d weights, state %d bytes; "
                + "%.0f points/s with training amortised (%d trainings), inference %.1f us/point (%s)%n",
                weights, bytes, x.length / all, ((LstmDetector.Series) s).trainings, inference * 1e6, sink > 0);
        assertThat(bytes).isLessThanOrEqualTo(4 * weights + 8 * (480 + 60 + 1) + 400);
    }

    @Test
    void configIsCheckedByKey() {
        assertThatThrownBy(() -> detector(Map.of("window", 40, "lookback", 30)))
                .hasMessageContaining("window: 40 is too small: it must be at least lookback + 16 = 46");
        assertThatThrownBy(() -> detector(Map.of("units", 0))).hasMessageContaining("units: 0 is out of range");
        // horizon was read but never used (the host's job.forecast-horizon decides): gone
        assertThatThrownBy(() -> detector(Map.of("horizon", 12))).hasMessageContaining("horizon: unknown key");
    }
}
