package dev.rtm.cli.nab;

/**
 * The score of a set of files when every row with {@code anomaly_score >= threshold} is a detection
 * (NAB's {@code ThresholdScore}); counts are of scorable rows.
 */
record ThresholdScore(double threshold, double score, int tp, int tn, int fp, int fn, int total) {
}
