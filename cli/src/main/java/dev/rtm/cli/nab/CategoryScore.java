package dev.rtm.cli.nab;

/**
 * One category's score under one profile: its files' raw scores summed, normalised like the corpus
 * ({@code 100 · (raw - null) / (perfect - null)}).
 *
 * @param raw the category's files' raw scores at the corpus threshold, summed
 * @param nullRaw the null detector's, summed the same way
 * @param perfect windows × tpWeight
 */
public record CategoryScore(String category, int windows, double raw, double nullRaw, double perfect) {

    /** The normalised score; NaN for a category without windows, where only {@link #raw()} means something. */
    public double normalized() {
        return perfect == nullRaw ? Double.NaN : ProfileScore.normalize(raw, nullRaw, perfect);
    }
}
