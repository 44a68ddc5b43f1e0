package dev.rtm.plugins.lstm;

import dev.rtm.api.Assessment;
import dev.rtm.api.Detector;
import dev.rtm.api.Forecast;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;
import dev.rtm.support.Refractory;
import dev.rtm.support.RingBuffer;
import dev.rtm.support.StepResolution;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * LSTM forecaster per series.
 *
 * <p>Warm-up collects {@code window} points; then a training starts every {@code retrain-every}
 * points, from the current weights, on the newest {@code window} points. The network reads the
 * last {@code lookback} values relative to the newest one and forecasts the next change, all in
 * units of the window's spread of one-step changes (see {@link Training#anchored}). <b>Determinism rule:</b> a training started at point n takes effect exactly at point
 * n + {@code swap} (a quarter of {@code retrain-every}). Trainings run on the JVM's one training
 * thread (see {@link Training}); with {@code async} the series goes on scoring meanwhile and the
 * swap waits only if the training is late, without it the caller waits at once. Either way the
 * outputs are the same, and a restore that finds a training in flight starts it again from the
 * same inputs.
 *
 * <p>Each point costs one forward pass, in Java, over the last {@code lookback} points. The band is
 * expected ± threshold·σ, σ a slow exponential average (over {@code residual-window} points) of
 * squared residuals (each capped at threshold·σ so an outlier does not blow up the band), reset to
 * the training's in-sample error at every swap, so in effect the model's error over its training
 * window, and never below {@code resolution-floor} times the smallest non-zero step the series
 * has made (a flat or quantised series gives one flag for a step, not a storm). A point the forecast
 * matches exactly scores 0. After a reported flag, {@code refractory} points report score 0 and no
 * flag unless their score exceeds the flag's (one event, one flag; a bigger event gets through).
 */
final class LstmDetector implements Detector {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LstmDetector.class);

    static final String MODEL = "lstm";
    /** 2 adds the resolution, the refractory count and the flag's peak (1 is read, see restore). */
    private static final int FORMAT = 2;

    private final LstmConfig cfg;
    private final int swap;

    LstmDetector(LstmConfig cfg) {
        this.cfg = cfg;
        this.swap = Math.max(1, cfg.retrainEvery() / 4);
    }

    @Override
    public double threshold() {
        return cfg.threshold();
    }

    @Override
    public SeriesDetector create(SeriesKey series) {
        return new Series(series.seed() ^ cfg.seed());
    }

    @Override
    public SeriesDetector restore(SeriesKey series, byte[] state) throws StateFormatException {
        StateReader r = StateReader.open(state, MODEL, FORMAT);
        Series s = new Series(series.seed() ^ cfg.seed());
        if (r.readBoolean()) {
            int units = r.readInt();
            int layers = r.readInt();
            int count = r.readInt();
            if (units != cfg.units() || layers != cfg.layers()) {
                throw new StateFormatException("lstm state is for " + layers + "x" + units
                        + " but the config says " + cfg.layers() + "x" + cfg.units());
            }
            List<float[]> ps = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ps.add(r.readFloats());
            }
            try {
                s.weights = new LstmWeights(units, layers, ps);
            } catch (IllegalArgumentException e) {
                throw new StateFormatException("lstm state: " + e.getMessage());
            }
            s.spread = r.readDouble();
            s.resVar = r.readDouble();
        }
        s.ring.readFrom(r);
        s.n = r.readLong();
        s.lastStart = r.readLong();
        s.trainings = r.readLong();
        long pendingStart = r.readLong();
        if (r.version() >= 2) {
            s.resolution.readFrom(r);
            s.refractory.readFrom(r);
        } else {
            s.resolution.learn(s.ring.toArray()); // format 1 had no floor or refractory: re-learnt from the kept values
        }
        r.end();
        if (pendingStart >= 0) {
            s.start(pendingStart, s.n - pendingStart);
        }
        return s;
    }

    /** What a training produces. */
    private record Trained(LstmWeights weights, double spread, double sigma) {
    }

    final class Series implements SeriesDetector {
        private final long seed;
        final RingBuffer ring = new RingBuffer(cfg.window() + swap + 1);
        final StepResolution resolution = new StepResolution();
        final Refractory refractory = new Refractory();
        LstmWeights weights;
        double spread = 1;
        double resVar;
        long n;
        long lastStart = -1;
        long trainings;
        private Future<Trained> pending;
        private long pendingStart = -1;

        Series(long seed) {
            this.seed = seed;
        }

        double sigma() {
            return resolution.floor(Math.max(Math.sqrt(resVar), cfg.minStd()), cfg.resolutionFloor());
        }

        private double[] input() {
            double[] raw = ring.newest(cfg.lookback(), 0);
            double[] seq = new double[raw.length];
            Training.anchored(raw, raw.length, raw.length, spread, seq);
            return seq;
        }

        @Override
        public Assessment update(long timestamp, double x) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("value must be finite, was " + x);
            }
            if (pending != null && n - pendingStart >= swap) {
                swapIn();
            }
            Assessment a = Assessment.NONE;
            if (weights != null && ring.size() >= cfg.lookback()) {
                double xHat = ring.back(0) + weights.forward(input()) * spread;
                double sigma = sigma();
                double dev = Math.abs(x - xHat);
                double score = dev == 0 ? 0 : Math.min(dev / sigma, Double.MAX_VALUE);
                double reported = refractory.report(score, cfg.threshold(), cfg.refractory());
                a = new Assessment(xHat, xHat - cfg.threshold() * sigma, xHat + cfg.threshold() * sigma,
                        reported, reported >= cfg.threshold());
                double cap = cfg.threshold() * sigma;
                double e = Math.min(Math.abs(x - xHat), cap);
                double beta = 2.0 / (cfg.residualWindow() + 1);
                resVar = (1 - beta) * resVar + beta * e * e;
            }
            if (ring.size() > 0) {
                resolution.note(x - ring.back(0));
            }
            ring.push(x);
            n++;
            boolean due = lastStart < 0 || n - lastStart >= cfg.retrainEvery();
            if (n >= cfg.window() && pending == null && due) {
                start(n, 0);
            }
            return a;
        }

        /**
         * Starts the training that began at point {@code at}, whose window ends {@code skip} points
         * before the newest (non-zero after a restore).
         */
        void start(long at, long skip) {
            double[] w = ring.newest(cfg.window(), (int) skip);
            // scale: the spread of one-step changes, which is what the network predicts
            double m = 0;
            for (int i = 1; i < w.length; i++) {
                m += w[i] - w[i - 1];
            }
            m /= w.length - 1;
            double ss = 0;
            for (int i = 1; i < w.length; i++) {
                double dlt = w[i] - w[i - 1] - m;
                ss += dlt * dlt;
            }
            double sd = Math.max(Math.sqrt(ss / (w.length - 1)), cfg.minStd());
            double[] norm = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                norm[i] = w[i] / sd;
            }
            LstmWeights from = weights != null ? weights : LstmWeights.init(cfg.units(), cfg.layers(), seed);
            long trainSeed = seed * 31 + trainings;
            Future<Training.Result> training = Training.submit(cfg, from, norm, trainSeed);
            pending = new Future<>() {
                @Override
                public Trained get() throws InterruptedException, ExecutionException {
                    Training.Result r = training.get();
                    return new Trained(r.weights(), sd, r.sigma() * sd);
                }

                @Override
                public Trained get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException {
                    return get();
                }

                @Override
                public boolean cancel(boolean interrupt) {
                    return training.cancel(interrupt);
                }

                @Override
                public boolean isCancelled() {
                    return training.isCancelled();
                }

                @Override
                public boolean isDone() {
                    return training.isDone();
                }
            };
            pendingStart = at;
            lastStart = at;
            if (!cfg.async()) {
                try {
                    pending.get(); // train now; the result still takes effect at the swap point
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    // reported at the swap
                }
            }
        }

        private void swapIn() {
            try {
                Trained t = pending.get();
                weights = t.weights();
                spread = t.spread();
                resVar = t.sigma() * t.sigma();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an lstm training", e);
            } catch (ExecutionException e) {
                // keep the old weights; the next training is due after retrain-every points
                Throwable c = e.getCause();
                LOG.warn("lstm training failed, keeping the previous weights: {}", String.valueOf(c), c);
                if (c instanceof IllegalStateException ise && ise.getMessage() != null && ise.getMessage().contains("PyTorch")) {
                    throw ise;
                }
            } finally {
                trainings++;
                pending = null;
                pendingStart = -1;
            }
        }

        @Override
        public Forecast forecast(int horizon) {
            if (weights == null || ring.size() < cfg.lookback() || horizon <= 0) {
                return Forecast.EMPTY;
            }
            double[] hist = ring.newest(cfg.lookback(), 0);
            double[] seq = new double[hist.length];
            double sigma = sigma();
            double[] e = new double[horizon];
            double[] lo = new double[horizon];
            double[] hi = new double[horizon];
            for (int i = 0; i < horizon; i++) {
                Training.anchored(hist, hist.length, hist.length, spread, seq);
                double next = hist[hist.length - 1] + weights.forward(seq) * spread;
                System.arraycopy(hist, 1, hist, 0, hist.length - 1);
                hist[hist.length - 1] = next;
                e[i] = next;
                double half = cfg.threshold() * sigma * Math.sqrt(i + 1.0); // errors compound roughly like a random walk
                lo[i] = e[i] - half;
                hi[i] = e[i] + half;
            }
            return new Forecast(e, lo, hi);
        }

        @Override
        public byte[] snapshot() {
            StateWriter w = StateWriter.begin(MODEL, FORMAT).writeBoolean(weights != null);
            if (weights != null) {
                w.writeInt(weights.units).writeInt(weights.layers).writeInt(weights.params.size());
                for (float[] p : weights.params) {
                    w.writeFloats(p);
                }
                w.writeDouble(spread).writeDouble(resVar);
            }
            ring.writeTo(w).writeLong(n).writeLong(lastStart).writeLong(trainings).writeLong(pendingStart);
            resolution.writeTo(w);
            return refractory.writeTo(w).toBytes();
        }
    }
}
