package dev.rtm.plugins.ewma;

import dev.rtm.api.Assessment;
import dev.rtm.api.Detector;
import dev.rtm.api.Forecast;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;

/**
 * EWMA/3-sigma. For each point x, with the mean m and variance v from <em>before</em> the point:
 * <pre>
 *   sigma = max(sqrt(v), min-std)
 *   score = |x - m| / sigma,   band = m ± threshold·sigma,   flag = score ≥ threshold
 * (during warm-up, the first {@code warmup} points: no expectation, score 0, no flag)
 *   m' = α·x + (1-α)·m,   v' = (1-α)·(v + α·(x-m)²)
 * </pre>
 * The variance update is the numerically stable form of {@code max(ewmsq - ewma², 0)} with
 * {@code ewmsq' = α·x² + (1-α)·ewmsq}: algebraically identical, without the cancellation that
 * the difference of squares suffers on large values (byte counters).
 */
final class EwmaDetector implements Detector {

    static final String MODEL = "ewma";
    private static final int FORMAT = 1;

    private final double alpha;
    private final double threshold;
    private final int warmup;
    private final double minStd;

    EwmaDetector(double alpha, double threshold, int warmup, double minStd) {
        this.alpha = alpha;
        this.threshold = threshold;
        this.warmup = warmup;
        this.minStd = minStd;
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
        Series s = new Series();
        s.n = r.readLong();
        s.mean = r.readDouble();
        s.var = r.readDouble();
        r.end();
        if (s.n < 0 || !Double.isFinite(s.mean) || !(s.var >= 0) || Double.isInfinite(s.var)) {
            throw new StateFormatException("ewma state holds impossible values");
        }
        return s;
    }

    private final class Series implements SeriesDetector {
        long n;
        double mean;
        double var;

        @Override
        public Assessment update(long timestamp, double x) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("value must be finite, was " + x);
            }
            if (n == 0) {
                mean = x;
                var = 0;
                n = 1;
                return Assessment.NONE;
            }
            double sigma = Math.max(Math.sqrt(var), minStd);
            double d = x - mean;
            double score = Math.abs(d) / sigma;
            if (Double.isInfinite(score)) {
                score = Double.MAX_VALUE;
            }
            // during warm-up the variance rests on a few points (the second point's sigma is the floor):
            // no band and score 0, rather than scores of millions that would swamp every chart
            Assessment a = n < warmup ? Assessment.NONE
                    : new Assessment(mean, mean - threshold * sigma, mean + threshold * sigma, score, score >= threshold);
            double inc = alpha * d;
            mean += inc;
            var = (1 - alpha) * (var + d * inc);
            n++;
            return a;
        }

        @Override
        public Forecast forecast(int horizon) {
            if (n == 0 || horizon <= 0) {
                return Forecast.EMPTY;
            }
            double sigma = Math.max(Math.sqrt(var), minStd);
            double[] e = new double[horizon];
            double[] lo = new double[horizon];
            double[] hi = new double[horizon];
            java.util.Arrays.fill(e, mean);
            java.util.Arrays.fill(lo, mean - threshold * sigma);
            java.util.Arrays.fill(hi, mean + threshold * sigma);
            return new Forecast(e, lo, hi);
        }

        @Override
        public byte[] snapshot() {
            return StateWriter.begin(MODEL, FORMAT).writeLong(n).writeDouble(mean).writeDouble(var).toBytes();
        }
    }
}
