package dev.rtm.plugins.arima;

import smile.timeseries.AR;
import smile.timeseries.ARMA;

/**
 * Fits ARMA models with Smile (Hannan–Rissanen for q &gt; 0, OLS for q = 0). Only the
 * coefficients are taken from Smile; residuals and sigma are recomputed with the same recursion
 * the detector uses online, so a refit continues seamlessly and a restore is exact.
 */
final class Fitter {

    private Fitter() {
    }

    /** Smallest series length a fit of this order accepts. */
    static int minLength(int p, int q) {
        return p + q + 20 + Math.max(p, q) + 50;
    }

    /**
     * Fits ARMA(p, q) to z, or returns null when Smile fails or the result is not usable
     * (non-finite, non-stationary, non-invertible). Never throws.
     */
    static ArmaModel fit(double[] z, int p, int q) {
        if (z.length < minLength(p, q)) {
            return null;
        }
        double c;
        double[] ar;
        double[] ma;
        try {
            if (q == 0) {
                AR m = AR.ols(z, p, false);
                c = m.intercept();
                ar = m.ar();
                ma = new double[0];
            } else {
                ARMA m = ARMA.fit(z, p, q);
                c = m.intercept();
                ar = m.ar();
                ma = m.ma();
            }
        } catch (RuntimeException | LinkageError e) {
            return null; // singular matrices on flat data, Cholesky failures, ...
        }
        ArmaModel draft = new ArmaModel(c, ar, ma, 0);
        double sigma = residualSigma(draft, z, Math.max(p, q) * 3 + 10);
        ArmaModel m = new ArmaModel(c, ar, ma, sigma);
        return m.isUsable() ? m : null;
    }

    /** The no-dynamics model: z_t = mean(z) + e_t. Always usable. */
    static ArmaModel mean(double[] z) {
        double mean = 0;
        for (double v : z) {
            mean += v;
        }
        mean = z.length == 0 ? 0 : mean / z.length;
        double ss = 0;
        for (double v : z) {
            ss += (v - mean) * (v - mean);
        }
        return new ArmaModel(mean, new double[0], new double[0], z.length < 2 ? 0 : Math.sqrt(ss / (z.length - 1)));
    }

    /**
     * Runs the model over z from zero initial residuals and returns the residuals, so that the
     * last p values of z and last q residuals continue the online recursion.
     */
    static double[] residuals(ArmaModel m, double[] z) {
        int p = m.p();
        int q = m.q();
        double[] e = new double[z.length];
        double[] zl = new double[p];
        double[] el = new double[q];
        for (int t = 0; t < z.length; t++) {
            for (int i = 0; i < p; i++) {
                zl[i] = t - 1 - i >= 0 ? z[t - 1 - i] : z[0];
            }
            for (int j = 0; j < q; j++) {
                el[j] = t - 1 - j >= 0 ? e[t - 1 - j] : 0;
            }
            e[t] = t < p ? 0 : z[t] - m.predict(zl, el);
        }
        return e;
    }

    static double residualSigma(ArmaModel m, double[] z, int burnIn) {
        double[] e = residuals(m, z);
        double ss = 0;
        int n = 0;
        for (int t = Math.min(burnIn, e.length / 2); t < e.length; t++) {
            ss += e[t] * e[t];
            n++;
        }
        return n < 2 ? 0 : Math.sqrt(ss / (n - 1));
    }

    /** AIC per observation over a common evaluation range, for choosing an order. */
    static double aic(ArmaModel m, double[] z, int burnIn) {
        double[] e = residuals(m, z);
        double ss = 0;
        int n = 0;
        for (int t = burnIn; t < e.length; t++) {
            ss += e[t] * e[t];
            n++;
        }
        if (n < 2 || ss <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return Math.log(ss / n) + 2.0 * (m.p() + m.q() + 1) / n;
    }
}
