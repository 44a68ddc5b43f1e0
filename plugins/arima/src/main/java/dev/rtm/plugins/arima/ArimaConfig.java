package dev.rtm.plugins.arima;

/** Validated settings of one arima instance. */
record ArimaConfig(int p, int d, int q, boolean auto, int maxP, int maxQ, int window, int refitEvery,
                   int driftRefit, int warmup, double level, double threshold, int refractory, double resolutionFloor,
                   double minStd) {

    /** Points the largest order tried needs, on the differenced series. */
    int minFitLength() {
        return auto ? Fitter.minLength(maxP, maxQ) : Fitter.minLength(p, q);
    }
}
