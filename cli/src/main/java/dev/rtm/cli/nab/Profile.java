package dev.rtm.cli.nab;

import java.util.List;

/**
 * A NAB application profile: how much a true positive earns and a false positive or a missed
 * window costs. The three are NAB's {@code config/profiles.json}.
 *
 * @param name NAB's name, as in its result files
 * @param label short name for tables
 */
public record Profile(String name, String label, double tpWeight, double fpWeight, double fnWeight) {

    /** NAB's standard profile. */
    public static final Profile STANDARD = new Profile("standard", "standard", 1.0, 0.11, 1.0);
    /** Rewards few false positives: each costs twice as much. */
    public static final Profile LOW_FP = new Profile("reward_low_FP_rate", "low FP", 1.0, 0.22, 1.0);
    /** Rewards few misses: a missed window costs twice as much. */
    public static final Profile LOW_FN = new Profile("reward_low_FN_rate", "low FN", 1.0, 0.11, 2.0);
    /** The three, in NAB's order of reporting. */
    public static final List<Profile> NAB = List.of(STANDARD, LOW_FP, LOW_FN);
}
