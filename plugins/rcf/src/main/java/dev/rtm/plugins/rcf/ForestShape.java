package dev.rtm.plugins.rcf;

/**
 * How each series' forest is built: the shingle (how many consecutive values make one point of
 * the forest), the number of trees, the points each tree samples and how fast old points fade.
 *
 * @param shingleSize consecutive values per forest point
 * @param trees trees in the forest
 * @param sampleSize points each tree keeps
 * @param timeDecay RCF's sampler decay: about 1/timeDecay recent points make up the sample
 */
record ForestShape(int shingleSize, int trees, int sampleSize, double timeDecay) {
}
