package dev.rtm.plugins.rcf;

/**
 * How a forest score becomes a score in sigmas and a flag.
 *
 * @param threshold flag at this many sigmas of the forest score above its usual level
 * @param warmup points of a series seen before any score or flag
 * @param window points the usual level and spread of the forest score average over
 * @param refractory points after a flag during which the model does not flag again and the
 *        score is capped just below the threshold
 * @param expectEveryPoint compute the expected value (a second pass over the trees) at every
 *        point, not only at flagged ones
 */
record Calibration(double threshold, int warmup, int window, int refractory, boolean expectEveryPoint) {
}
