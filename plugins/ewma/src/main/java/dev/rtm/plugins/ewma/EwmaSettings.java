package dev.rtm.plugins.ewma;

/**
 * The ewma detector's settings, read once from the validated config.
 *
 * @param alpha weight of the newest point in the mean
 * @param varianceAlpha weight of the newest squared deviation in the variance (slower than alpha)
 * @param threshold flag at or above this many sigmas
 * @param warmup points of a series seen before any score
 * @param refractory points after a flag that score 0 and are not flagged
 * @param resolutionFloor sigma is at least this times the smallest non-zero step seen
 * @param scaleFloor sigma is at least this times the long-run mean absolute deviation
 * @param minStd absolute floor of sigma (0: none)
 */
record EwmaSettings(double alpha, double varianceAlpha, double threshold, int warmup, int refractory,
                    double resolutionFloor, double scaleFloor, double minStd) {
}
