package dev.rtm.plugins.ewma;

import dev.rtm.api.Assessment;
import dev.rtm.api.Detector;
import dev.rtm.api.Forecast;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;
import java.util.Arrays;

/**
 * EWMA/kσ. For each point x, with the model from <em>before</em> the point:
 * <pre>
 *   d     = x - m
 *   sigma = max(sqrt(v / w), resolution-floor · q, scale-floor · s / ws, min-std)
 *   score = |d| / sigma   (0 when d = 0; the cap 1e9 when sigma is 0: the first change of a flat series)
 *   flag  = score ≥ threshold, except during warm-up and the refractory points after a flag,
 *           where the score is reported as 0
 *   m' = m + α·d                       the mean follows the level (memory ≈ 2/α points)
 *   v' = (1-β)·v + β·d²,  w' = (1-β)·w + β     the variance adapts slowly (β = variance-alpha ≪ α),
 *                                      bias-corrected by w so the first points are not overconfident
 *   s' = (1-β/10)·s + β/10·|d|, ws likewise    a long-memory mean absolute deviation (the scale)
 *   q  = the smallest non-zero |x - previous x| seen (the series' resolution)
 * </pre>
 */
final class EwmaDetector implements Detector {

    static final String MODEL = "ewma";
    /** 2: slow bias-corrected variance, relative floors, refractory (1: one α for mean and variance). */
    static final int FORMAT = 2;
    /** Score of a change where no spread has ever been seen (the first step of a flat series). */
    static final double MAX_SCORE = 1e9;

    // the settings as plain fields: the per-point path reads them without calls, which matters
    // before the JIT has compiled it (a replay of a few thousand points per series)
    private final double alpha;
    private final double beta;
    private final double scaleRate;
    private final double threshold;
    private final int warmup;
    private final int refractory;
    private final double resolutionFloor;
    private final double scaleFloor;
    private final double minStd;

    EwmaDetector(EwmaSettings cfg) {
        this.alpha = cfg.alpha();
        this.beta = cfg.varianceAlpha();
        this.scaleRate = cfg.varianceAlpha() / 10;
        this.threshold = cfg.threshold();
        this.warmup = cfg.warmup();
        this.refractory = cfg.refractory();
        this.resolutionFloor = cfg.resolutionFloor();
        this.scaleFloor = cfg.scaleFloor();
        this.minStd = cfg.minStd();
    }

    @Override
    public double threshold() {
        return threshold;
    }

    @Override
    public SeriesDetector create(SeriesKey series) {
        return new Series();
    }

    @Override
    public SeriesDetector restore(SeriesKey series, byte[] state) throws StateFormatException {
        StateReader r = StateReader.open(state, MODEL, FORMAT);
        if (r.version() < FORMAT) {
            throw new StateFormatException("ewma state format " + r.version() + " is from an older ewma whose "
                    + "variance used the mean's alpha; it cannot be carried over, the series starts afresh");
        }
        Series s = new Series();
        s.n = r.readLong();
        s.mean = r.readDouble();
        s.var = r.readDouble();
        s.varWeight = r.readDouble();
        s.scale = r.readDouble();
        s.scaleWeight = r.readDouble();
        s.resolution = r.readDouble();
        s.last = r.readDouble();
        s.cooldown = r.readInt();
        r.end();
        if (s.n < 0 || s.cooldown < 0 || !Double.isFinite(s.mean) || !Double.isFinite(s.last)
                || !(s.var >= 0) || !(s.varWeight >= 0 && s.varWeight <= 1) || !(s.scale >= 0)
                || !(s.scaleWeight >= 0 && s.scaleWeight <= 1) || !(s.resolution > 0)
                || Double.isInfinite(s.var) || Double.isInfinite(s.scale)) {
            throw new StateFormatException("ewma state holds impossible values");
        }
        return s;
    }

    private final class Series implements SeriesDetector {
        long n;
        double mean;
        double var;
        double varWeight;
        double scale;
        double scaleWeight;
        double resolution = Double.POSITIVE_INFINITY;
        double last;
        int cooldown;

        double sigma() {
            double s = varWeight > 0 ? Math.sqrt(var / varWeight) : 0;
            if (resolution != Double.POSITIVE_INFINITY) {
                s = Math.max(s, resolutionFloor * resolution);
            }
            if (scaleWeight > 0) {
                s = Math.max(s, scaleFloor * scale / scaleWeight);
            }
            return Math.max(s, minStd);
        }

        @Override
        public Assessment update(long timestamp, double x) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("value must be finite, was " + x);
            }
            if (n == 0) {
                mean = x;
                last = x;
                n = 1;
                return Assessment.NONE;
            }
            double sigma = sigma();
            double d = x - mean;
            double score = d == 0 ? 0 : sigma > 0 ? Math.min(Math.abs(d) / sigma, MAX_SCORE) : MAX_SCORE;
            Assessment a;
            if (n < warmup) {
                // the model rests on a handful of points: no band and score 0
                a = Assessment.NONE;
            } else {
                double band = threshold * sigma;
                if (cooldown > 0) {
                    cooldown--;
                    score = 0; // the event was flagged once already
                }
                boolean flag = score >= threshold;
                if (flag) {
                    cooldown = refractory;
                }
                a = new Assessment(mean, mean - band, mean + band, score, flag);
            }
            learn(x, d);
            return a;
        }

        private void learn(double x, double d) {
            mean += alpha * d;
            var = (1 - beta) * var + beta * d * d;
            varWeight = (1 - beta) * varWeight + beta;
            scale = (1 - scaleRate) * scale + scaleRate * Math.abs(d);
            scaleWeight = (1 - scaleRate) * scaleWeight + scaleRate;
            double step = Math.abs(x - last);
            if (step > 0 && step < resolution) {
                resolution = step;
            }
            last = x;
            n++;
        }

        @Override
        public Forecast forecast(int horizon) {
            if (n == 0 || horizon <= 0) {
                return Forecast.EMPTY;
            }
            double band = threshold * sigma();
            double[] e = new double[horizon];
            double[] lo = new double[horizon];
            double[] hi = new double[horizon];
            Arrays.fill(e, mean);
            Arrays.fill(lo, mean - band);
            Arrays.fill(hi, mean + band);
            return new Forecast(e, lo, hi);
        }

        @Override
        public byte[] snapshot() {
            return StateWriter.begin(MODEL, FORMAT).writeLong(n).writeDouble(mean).writeDouble(var).writeDouble(varWeight)
                    .writeDouble(scale).writeDouble(scaleWeight).writeDouble(resolution).writeDouble(last)
                    .writeInt(cooldown).toBytes();
        }
    }
}
