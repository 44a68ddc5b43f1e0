package dev.rtm.api;

/**
 * What a detector says about one point, computed before it learned from that point.
 *
 * @param expected the value the model expected, or NaN while it has no forecast yet (first points)
 * @param lower lower edge of the band of normal values, or NaN with {@code expected}
 * @param upper upper edge of the band of normal values, or NaN with {@code expected}
 * @param score how abnormal the point is, in "sigmas": {@code |value - expected| / sigma}; finite and
 *        &gt;= 0, comparable across models; 0 when there is nothing to compare with
 * @param anomaly whether the model flags the point (normally {@code score >= threshold} after warm-up)
 */
public record Assessment(double expected, double lower, double upper, double score, boolean anomaly) {

    /** The assessment of a point the model has no expectation for yet. */
    public static final Assessment NONE = new Assessment(Double.NaN, Double.NaN, Double.NaN, 0.0, false);

    /** Checks the score contract. */
    public Assessment {
        if (!(score >= 0) || Double.isInfinite(score)) {
            throw new IllegalArgumentException("score must be finite and >= 0, was " + score);
        }
    }
}
