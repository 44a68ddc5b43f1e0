package dev.rtm.plugins.rcf;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.config.Precision;
import dev.rtm.api.Assessment;
import dev.rtm.api.Detector;
import dev.rtm.api.Forecast;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;

/**
 * Random Cut Forest on shingled input, its score calibrated to sigmas.
 *
 * <p>Per series: a forest over points made of the last {@code shingle-size} values (RCF's internal
 * shingling), seeded from the series key so a series always gets the same forest. For each value x:
 * <ol>
 *   <li>expected = the forest's one-step extrapolation (imputation of the newest shingle entry);</li>
 *   <li>s = the forest's anomaly score of the shingle ending in x, before x is learnt;</li>
 *   <li>score = (s − m) / σ, with m and σ² the exponentially weighted mean and variance of earlier
 *       forest scores over about {@code window} points, σ floored at a fraction of m so a
 *       quiet (flat) series does not turn a tiny score change into a huge one;</li>
 *   <li>flag when score ≥ threshold, unless within {@code refractory} points of the last flag: there
 *       the score is capped just below the threshold, so one event gives one flag;</li>
 *   <li>band = expected ± threshold · (the EW root mean square of recent forecast errors);</li>
 *   <li>the value joins the forest; s joins m and σ.</li>
 * </ol>
 * Values are stored relative to the series' first value, so large levels (byte counters) keep their
 * resolution in the forest's 32-bit floats. A constant series gives the same forest score at every
 * point, hence score 0.
 */
final class RcfDetector implements Detector {

    static final String MODEL = "rcf";
    private static final int FORMAT = 1;
    /** σ of the forest score is at least this fraction of its mean. */
    static final double RELATIVE_FLOOR = 0.1;
    /** ... and at least this (forest scores are O(1)). */
    static final double ABSOLUTE_FLOOR = 1e-3;
    /** Inside the refractory period the score is capped at this fraction of the threshold. */
    static final double REFRACTORY_CAP = 0.9;

    private final ForestShape shape;
    private final Calibration cal;

    RcfDetector(ForestShape shape, Calibration cal) {
        this.shape = shape;
        this.cal = cal;
    }

    @Override
    public double threshold() {
        return cal.threshold();
    }

    @Override
    public SeriesDetector create(SeriesKey series) {
        return new Series(newForest(series.seed()));
    }

    RandomCutForest newForest(long seed) {
        return RandomCutForest.builder()
                .dimensions(shape.shingleSize())
                .shingleSize(shape.shingleSize())
                .internalShinglingEnabled(true)
                .numberOfTrees(shape.trees())
                .sampleSize(shape.sampleSize())
                .timeDecay(shape.timeDecay())
                .precision(Precision.FLOAT_32)
                .parallelExecutionEnabled(false)
                .randomSeed(seed)
                .build();
    }

    @Override
    public SeriesDetector restore(SeriesKey series, byte[] state) throws StateFormatException {
        StateReader r = StateReader.open(state, MODEL, FORMAT);
        int shingle = r.readInt();
        int trees = r.readInt();
        int sample = r.readInt();
        double decay = r.readDouble();
        if (shingle != shape.shingleSize() || trees != shape.trees() || sample != shape.sampleSize()
                || decay != shape.timeDecay()) {
            throw new StateFormatException("rcf state was made with shingle-size " + shingle + ", trees " + trees
                    + ", sample-size " + sample + ", time-decay " + decay + "; the config now differs");
        }
        long n = r.readLong();
        double origin = r.readDouble();
        double last = r.readDouble();
        long scored = r.readLong();
        double mean = r.readDouble();
        double var = r.readDouble();
        double stepSq = r.readDouble();
        int sinceFlag = r.readInt();
        byte[] forest = r.readBytes();
        r.end();
        if (n < 0 || scored < 0 || sinceFlag < 0 || !Double.isFinite(origin) || !Double.isFinite(last)
                || !Double.isFinite(mean) || !(var >= 0) || !(stepSq >= 0) || Double.isInfinite(var)
                || Double.isInfinite(stepSq)) {
            throw new StateFormatException("rcf state holds impossible values");
        }
        Series s = new Series(ForestCodec.read(forest));
        s.n = n;
        s.origin = origin;
        s.last = last;
        s.scored = scored;
        s.mean = mean;
        s.var = var;
        s.stepSq = stepSq;
        s.sinceFlag = sinceFlag;
        return s;
    }

    final class Series implements SeriesDetector {
        private final RandomCutForest forest;
        private final float[] one = new float[1];
        /** Values seen. */
        long n;
        /** The first value: the forest sees values relative to it. */
        double origin;
        /** The previous value, relative to origin. */
        double last;
        /** Values scored by the forest (drives the start-up of the running statistics). */
        long scored;
        /** EW mean and variance of the forest score. */
        double mean;
        double var;
        /** EW mean square of one-step changes: the scale of the band. */
        double stepSq;
        /** Values since the last flag (saturates). */
        int sinceFlag = Integer.MAX_VALUE;

        Series(RandomCutForest forest) {
            this.forest = forest;
        }

        @Override
        public Assessment update(long timestamp, double x) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("value must be finite, was " + x);
            }
            if (n == 0) {
                origin = x;
            }
            double v = x - origin;
            Assessment a = Assessment.NONE;
            if (n >= shape.shingleSize() && forest.isOutputReady()) {
                one[0] = (float) v;
                a = assess(forest.getAnomalyScore(one), v);
            }
            if (n > 0) {
                double step = v - last;
                double alpha = Math.max(1.0 / n, 1.0 / cal.window());
                stepSq += alpha * (step * step - stepSq);
            }
            last = v;
            one[0] = (float) v;
            forest.update(one);
            n++;
            return a;
        }

        /** Calibrates forest score {@code s} of value {@code v} (relative to origin), before learning it. */
        private Assessment assess(double s, double v) {
            double sigma = Math.max(Math.sqrt(var), Math.max(RELATIVE_FLOOR * mean, ABSOLUTE_FLOOR));
            double z = scored == 0 ? 0 : (s - mean) / sigma;
            if (!(z > 1e-9)) { // below the mean, or the same score again (a constant series): rounding is not news
                z = 0;
            }
            double alpha = Math.max(1.0 / (scored + 1), 1.0 / cal.window());
            double d = s - mean;
            mean += alpha * d;
            var = (1 - alpha) * (var + alpha * d * d);
            scored++;
            if (sinceFlag < Integer.MAX_VALUE) {
                sinceFlag++;
            }
            if (n < cal.warmup()) {
                return Assessment.NONE;
            }
            boolean refractory = sinceFlag <= cal.refractory();
            double score = refractory ? Math.min(z, REFRACTORY_CAP * cal.threshold()) : Math.min(z, Double.MAX_VALUE);
            boolean flag = !refractory && score >= cal.threshold();
            if (flag) {
                sinceFlag = 0;
            }
            if ((!flag && !cal.expectEveryPoint()) || shape.shingleSize() < 2) { // a 1-shingle has nothing to impute from
                return new Assessment(Double.NaN, Double.NaN, Double.NaN, score, false);
            }
            // the forest's expectation of this value from the values before it (the newest entry of
            // the shingle imputed): one more pass over the trees, so only where it is asked for
            double e = forest.extrapolate(1)[0] + origin;
            double half = cal.threshold() * Math.sqrt(stepSq);
            return new Assessment(e, e - half, e + half, score, flag);
        }

        @Override
        public Forecast forecast(int horizon) {
            if (horizon <= 0 || shape.shingleSize() < 2 || n < shape.shingleSize() || !forest.isOutputReady()) {
                return Forecast.EMPTY;
            }
            double[] f = forest.extrapolate(horizon);
            double half = cal.threshold() * Math.sqrt(stepSq);
            double[] e = new double[horizon];
            double[] lo = new double[horizon];
            double[] hi = new double[horizon];
            for (int i = 0; i < horizon; i++) {
                e[i] = f[i] + origin;
                lo[i] = e[i] - half * Math.sqrt(i + 1);
                hi[i] = e[i] + half * Math.sqrt(i + 1);
            }
            return new Forecast(e, lo, hi);
        }

        @Override
        public byte[] snapshot() {
            return StateWriter.begin(MODEL, FORMAT)
                    .writeInt(shape.shingleSize()).writeInt(shape.trees()).writeInt(shape.sampleSize())
                    .writeDouble(shape.timeDecay())
                    .writeLong(n).writeDouble(origin).writeDouble(last).writeLong(scored)
                    .writeDouble(mean).writeDouble(var).writeDouble(stepSq).writeInt(sinceFlag)
                    .writeBytes(ForestCodec.write(forest))
                    .toBytes();
        }
    }
}
