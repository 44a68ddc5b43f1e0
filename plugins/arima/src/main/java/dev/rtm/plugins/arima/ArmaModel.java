package dev.rtm.plugins.arima;

import java.util.Arrays;

/**
 * A fitted ARMA(p, q) on the d-times differenced series z:
 * {@code z_t = c + Σ ar[i]·z_{t-1-i} + Σ ma[j]·e_{t-1-j} + e_t}, with residual sigma.
 * Immutable.
 */
final class ArmaModel {

    final double c;
    final double[] ar;
    final double[] ma;
    final double sigma;

    ArmaModel(double c, double[] ar, double[] ma, double sigma) {
        this.c = c;
        this.ar = ar.clone();
        this.ma = ma.clone();
        this.sigma = sigma;
    }

    int p() {
        return ar.length;
    }

    int q() {
        return ma.length;
    }

    /** One-step prediction of z from the last p values of z and the last q residuals (newest first). */
    double predict(double[] zLast, double[] eLast) {
        double y = c;
        for (int i = 0; i < ar.length; i++) {
            y += ar[i] * zLast[i];
        }
        for (int j = 0; j < ma.length; j++) {
            y += ma[j] * eLast[j];
        }
        return y;
    }

    /** Finite coefficients, a stationary AR part and an invertible MA part. */
    boolean isUsable() {
        if (!Double.isFinite(c) || !Double.isFinite(sigma) || sigma < 0) {
            return false;
        }
        for (double v : ar) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        for (double v : ma) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        double[] negMa = new double[ma.length];
        for (int j = 0; j < ma.length; j++) {
            negMa[j] = -ma[j];
        }
        return insideUnitCircleRule(ar) && insideUnitCircleRule(negMa);
    }

    /**
     * Step-down (Schur–Cohn) test: the polynomial 1 - Σ a[i]·B^(i+1) has all its roots outside
     * the unit circle iff every reflection coefficient has |k| < 1.
     */
    static boolean insideUnitCircleRule(double[] coef) {
        double[] a = coef.clone();
        for (int order = a.length; order >= 1; order--) {
            double k = a[order - 1];
            if (!(Math.abs(k) < 1 - 1e-9)) {
                return false;
            }
            double[] next = new double[order - 1];
            double den = 1 - k * k;
            for (int j = 0; j < order - 1; j++) {
                next[j] = (a[j] + k * a[order - 2 - j]) / den;
            }
            a = next;
        }
        return true;
    }

    /**
     * The first h weights of the MA(∞) form of the ARIMA(p, d, q) in levels, for forecast intervals:
     * the variance of the h-step error is sigma² Σ_{j<h} ψ_j².
     */
    double[] psi(int d, int h) {
        // φ*(B) = φ(B)·(1-B)^d as polynomial coefficients, index = power of B
        double[] poly = new double[ar.length + 1];
        poly[0] = 1;
        for (int i = 0; i < ar.length; i++) {
            poly[i + 1] = -ar[i];
        }
        for (int k = 0; k < d; k++) {
            double[] next = new double[poly.length + 1];
            for (int i = 0; i < poly.length; i++) {
                next[i] += poly[i];
                next[i + 1] -= poly[i];
            }
            poly = next;
        }
        double[] psi = new double[h];
        for (int j = 0; j < h; j++) {
            double v = j == 0 ? 1 : (j - 1 < ma.length ? ma[j - 1] : 0);
            for (int i = 1; i <= Math.min(j, poly.length - 1); i++) {
                v += -poly[i] * psi[j - i];
            }
            psi[j] = v;
        }
        return psi;
    }

    @Override
    public String toString() {
        return "ARMA(" + p() + "," + q() + ") c=" + c + " ar=" + Arrays.toString(ar) + " ma=" + Arrays.toString(ma)
                + " sigma=" + sigma;
    }
}
