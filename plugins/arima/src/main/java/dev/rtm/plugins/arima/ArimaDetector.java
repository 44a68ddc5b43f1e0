package dev.rtm.plugins.arima;

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
import smile.stat.distribution.GaussianDistribution;

/**
 * ARIMA(p, d, q) as a streaming detector.
 *
 * <p>Per series it keeps the newest {@code window} values. After {@code warmup} points it fits an
 * ARMA(p, q) to the d-times differenced window, and refits every {@code refit-every} points, or at
 * once after {@code drift-refit} consecutive flags (a level shift). Between refits each point costs
 * one recursion step: the one-step forecast is made from the last p differences and the last q
 * residuals, then the point joins the recursion. Robust filtering: a flagged point enters the AR
 * and MA terms as its own forecast (innovation 0), so an outlier does not echo through the next p
 * forecasts, while the level (the last value, for d &ge; 1) is the raw one, so a level shift is
 * followed at once. The raw value also goes into the fitting window.
 *
 * <p>σ is at least {@code resolution-floor} times the smallest non-zero step the series has made
 * (and {@code min-std}): a flat or quantised series does not turn the next step into a storm of
 * huge scores. A point the forecast matches exactly scores 0; a change where no spread has been
 * seen at all (the first step of a flat series) scores {@link #MAX_SCORE}. After a reported flag,
 * {@code refractory} points are reported with score 0 and no flag (one event, one flag); the
 * model's own outlier handling (filtering, drift refits) still sees their real scores.
 *
 * <p>A fit that fails or is not stationary/invertible keeps the last good model (counted in the
 * state as a fallback); with none yet, AR(1), then a mean model, are used. Nothing throws out of
 * {@link SeriesDetector#update} except the documented refusal of non-finite values.
 */
final class ArimaDetector implements Detector {

    static final String MODEL = "arima";
    /** 2 adds the resolution, the previous value and the refractory count (1 is read, see restore). */
    private static final int FORMAT = 2;
    /** Score of a change where no spread has ever been seen. */
    static final double MAX_SCORE = 1e9;

    private final ArimaConfig cfg;
    private final double z;

    ArimaDetector(ArimaConfig cfg) {
        this.cfg = cfg;
        this.z = GaussianDistribution.getInstance().quantile(1 - (1 - cfg.level()) / 2);
    }

    @Override
    public double threshold() {
        return cfg.threshold();
    }

    @Override
    public SeriesDetector create(SeriesKey series) {
        return new Series();
    }

    @Override
    public SeriesDetector restore(SeriesKey series, byte[] state) throws StateFormatException {
        StateReader r = StateReader.open(state, MODEL, FORMAT);
        Series s = new Series();
        if (r.readBoolean()) {
            double c = r.readDouble();
            double[] ar = r.readDoubles();
            double[] ma = r.readDoubles();
            double sigma = r.readDouble();
            s.model = new ArmaModel(c, ar, ma, sigma);
        }
        s.ring.readFrom(r);
        s.zLast = r.readDoubles();
        s.eLast = r.readDoubles();
        s.n = r.readLong();
        s.sinceFit = r.readInt();
        s.run = r.readInt();
        s.fits = r.readLong();
        s.fallbacks = r.readLong();
        if (r.version() >= 2) {
            s.resolution.readFrom(r);
            s.refractory.readFrom(r);
        } else {
            s.resolution.learn(s.ring.toArray()); // format 1 had no floor or refractory: re-learnt from the window
        }
        r.end();
        if (s.model != null && (s.zLast.length != s.model.p() || s.eLast.length != s.model.q())) {
            throw new StateFormatException("arima state: recursion buffers do not match the model order");
        }
        return s;
    }

    final class Series implements SeriesDetector {
        final RingBuffer ring = new RingBuffer(cfg.window());
        ArmaModel model;
        double[] zLast = new double[0];
        double[] eLast = new double[0];
        long n;
        int sinceFit;
        int run;
        long fits;
        long fallbacks;
        final StepResolution resolution = new StepResolution();
        final Refractory refractory = new Refractory();

        double sigma() {
            return resolution.floor(Math.max(model.sigma, cfg.minStd()), cfg.resolutionFloor());
        }

        /** The part of x_t fixed by earlier values: x_t = z_t + level(). */
        private double level() {
            return switch (cfg.d()) {
                case 0 -> 0;
                case 1 -> ring.back(0);
                default -> 2 * ring.back(0) - ring.back(1);
            };
        }

        @Override
        public Assessment update(long timestamp, double x) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("value must be finite, was " + x);
            }
            Assessment a = Assessment.NONE;
            if (model != null && ring.size() >= cfg.d()) {
                double lvl = level();
                double zHat = model.predict(zLast, eLast);
                double xHat = zHat + lvl;
                double sigma = sigma();
                double dev = Math.abs(x - xHat);
                double score = dev == 0 ? 0 : sigma > 0 ? Math.min(dev / sigma, MAX_SCORE)
                        : dev <= 1e-9 * Math.max(1, Math.abs(x)) ? 0 : MAX_SCORE;
                boolean outlier = score >= cfg.threshold();
                double reported = refractory.report(score, cfg.threshold(), cfg.refractory());
                a = new Assessment(xHat, xHat - z * sigma, xHat + z * sigma, reported, reported >= cfg.threshold());
                shiftIn(zLast, outlier ? zHat : x - lvl);
                shiftIn(eLast, outlier ? 0 : x - xHat);
                run = outlier ? run + 1 : 0;
            }
            if (ring.size() > 0) {
                resolution.note(x - ring.back(0));
            }
            ring.push(x);
            n++;
            sinceFit++;
            if (n >= cfg.warmup()
                    && (model == null || sinceFit >= cfg.refitEvery() || (cfg.driftRefit() > 0 && run >= cfg.driftRefit()))) {
                refit();
            }
            return a;
        }

        private void refit() {
            double[] zs = difference(ring.toArray(), cfg.d());
            ArmaModel m = null;
            if (cfg.auto()) {
                int burnIn = 3 * Math.max(cfg.maxP(), cfg.maxQ()) + 10;
                double best = Double.POSITIVE_INFINITY;
                for (int p = 1; p <= cfg.maxP(); p++) {
                    for (int q = 0; q <= cfg.maxQ(); q++) {
                        ArmaModel cand = Fitter.fit(zs, p, q);
                        if (cand != null) {
                            double aic = Fitter.aic(cand, zs, burnIn);
                            if (aic < best) {
                                best = aic;
                                m = cand;
                            }
                        }
                    }
                }
            } else {
                m = Fitter.fit(zs, cfg.p(), cfg.q());
            }
            if (m == null) {
                fallbacks++;
                m = model != null ? model : Fitter.fit(zs, 1, 0);
                if (m == null) {
                    m = Fitter.mean(zs);
                }
            }
            fits++;
            model = m;
            double[] e = Fitter.residuals(m, zs);
            double cap = cfg.threshold() * Math.max(m.sigma, cfg.minStd());
            zLast = new double[m.p()];
            eLast = new double[m.q()];
            for (int i = 0; i < zLast.length; i++) {
                zLast[i] = zs.length - 1 - i >= 0 ? zs[zs.length - 1 - i] : 0;
            }
            for (int j = 0; j < eLast.length; j++) {
                eLast[j] = e.length - 1 - j >= 0 ? Math.max(-cap, Math.min(cap, e[e.length - 1 - j])) : 0;
            }
            sinceFit = 0;
            run = 0;
        }

        @Override
        public Forecast forecast(int horizon) {
            if (model == null || horizon <= 0 || ring.size() < cfg.d()) {
                return Forecast.EMPTY;
            }
            double[] zl = zLast.clone();
            double[] el = eLast.clone();
            double x1 = ring.back(0);
            double x2 = ring.size() > 1 ? ring.back(1) : x1;
            double[] psi = model.psi(cfg.d(), horizon);
            double sigma = sigma();
            double[] e = new double[horizon];
            double[] lo = new double[horizon];
            double[] hi = new double[horizon];
            double var = 0;
            for (int i = 0; i < horizon; i++) {
                double zh = model.predict(zl, el);
                shiftIn(zl, zh);
                shiftIn(el, 0);
                double xh = switch (cfg.d()) {
                    case 0 -> zh;
                    case 1 -> x1 + zh;
                    default -> zh + 2 * x1 - x2;
                };
                x2 = x1;
                x1 = xh;
                var += psi[i] * psi[i];
                double half = z * sigma * Math.sqrt(var);
                e[i] = xh;
                lo[i] = xh - half;
                hi[i] = xh + half;
            }
            return new Forecast(e, lo, hi);
        }

        @Override
        public byte[] snapshot() {
            StateWriter w = StateWriter.begin(MODEL, FORMAT).writeBoolean(model != null);
            if (model != null) {
                w.writeDouble(model.c).writeDoubles(model.ar).writeDoubles(model.ma).writeDouble(model.sigma);
            }
            ring.writeTo(w).writeDoubles(zLast).writeDoubles(eLast).writeLong(n)
                    .writeInt(sinceFit).writeInt(run).writeLong(fits).writeLong(fallbacks);
            resolution.writeTo(w);
            return refractory.writeTo(w).toBytes();
        }
    }

    static double[] difference(double[] x, int d) {
        double[] z = x;
        for (int k = 0; k < d; k++) {
            if (z.length == 0) {
                return z;
            }
            double[] next = new double[z.length - 1];
            for (int i = 0; i < next.length; i++) {
                next[i] = z[i + 1] - z[i];
            }
            z = next;
        }
        return z;
    }

    private static void shiftIn(double[] buf, double v) {
        if (buf.length == 0) {
            return;
        }
        System.arraycopy(buf, 0, buf, 1, buf.length - 1);
        buf[0] = v;
    }
}
