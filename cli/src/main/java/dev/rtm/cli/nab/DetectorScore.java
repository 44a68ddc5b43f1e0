package dev.rtm.cli.nab;

import java.util.List;

/**
 * A detector's NAB scores under each profile.
 *
 * @param nanosInPlugin time the detector spent scoring these files (0 when unknown)
 * @param points points scored
 * @param skipped result files that have no entry in the label file, so NAB cannot score them
 */
public record DetectorScore(String detector, List<ProfileScore> profiles, long points, long nanosInPlugin,
                            List<String> skipped) {

    /** The score under {@code p}. */
    public ProfileScore of(Profile p) {
        return profiles.stream().filter(s -> s.profile().equals(p)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no score for profile " + p.name()));
    }

    /** Points per second inside the detector, single thread; NaN when not measured. */
    public double pointsPerSecond() {
        return nanosInPlugin <= 0 ? Double.NaN : points / (nanosInPlugin / 1e9);
    }
}
