package dev.rtm.host.detect;

import java.util.Arrays;

/**
 * What one detector said about every point of one series. Points after a plugin failure keep
 * NaN expectations and no flag; {@link #failure()} says what happened.
 */
public final class Scores {

    final double[] expected;
    final double[] lower;
    final double[] upper;
    final double[] score;
    final boolean[] anomaly;
    private final String model;
    private final double threshold;
    int scored;
    int flagged;
    long nanos;
    String failure;

    Scores(String model, double threshold, int n) {
        this.model = model;
        this.threshold = threshold;
        expected = new double[n];
        lower = new double[n];
        upper = new double[n];
        score = new double[n];
        anomaly = new boolean[n];
        Arrays.fill(expected, Double.NaN);
        Arrays.fill(lower, Double.NaN);
        Arrays.fill(upper, Double.NaN);
    }

    /** The detector instance name. */
    public String model() {
        return model;
    }

    /** The detector's flag threshold in sigmas. */
    public double threshold() {
        return threshold;
    }

    public int size() {
        return score.length;
    }

    public double expected(int i) {
        return expected[i];
    }

    public double lower(int i) {
        return lower[i];
    }

    public double upper(int i) {
        return upper[i];
    }

    public double score(int i) {
        return score[i];
    }

    public boolean anomaly(int i) {
        return anomaly[i];
    }

    /**
     * The score mapped to [0, 1) for NAB: {@code s / (s + threshold)}. Monotone, 0.5 exactly at the
     * flag threshold, and below 1 for every finite score, so it never saturates.
     */
    public double normalized(int i) {
        double s = score[i];
        return s / (s + threshold);
    }

    /** Points the detector scored (all, unless it failed). */
    public int scored() {
        return scored;
    }

    /** Points flagged. */
    public int flagged() {
        return flagged;
    }

    /** Time spent inside the plugin, in nanoseconds. */
    public long nanos() {
        return nanos;
    }

    /** Why the detector stopped on this series, or null. */
    public String failure() {
        return failure;
    }
}
