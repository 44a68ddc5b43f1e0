package dev.rtm.host.detect;

import dev.rtm.api.Assessment;
import dev.rtm.api.Detector;
import dev.rtm.api.SeriesDetector;
import dev.rtm.host.source.SeriesData;

/**
 * Runs one detector over all points of one series, in order. A plugin that throws is isolated:
 * its remaining points on that series stay unscored and the failure is reported, while other
 * detectors and series go on.
 */
public final class BatchScorer {

    private BatchScorer() {
    }

    /** Scores {@code series} with {@code detector} (not an ensemble: see the other overload). */
    public static Scores score(ConfiguredDetector detector, SeriesData series) {
        return score(detector, series, java.util.List.of());
    }

    /**
     * Scores {@code series} with {@code detector}; an {@link Ensemble} combines its members' scores
     * from {@code earlier} (the series' scores so far, which hold every member: a catalog's
     * selection lists members before their ensemble).
     */
    public static Scores score(ConfiguredDetector detector, SeriesData series, java.util.List<Scores> earlier) {
        if (detector.ensemble() != null) {
            return combine(detector, series, earlier);
        }
        int n = series.size();
        Detector d;
        try {
            d = detector.detector();
        } catch (RuntimeException e) {
            Scores s = new Scores(detector.name(), Double.NaN, n);
            s.failure = e.getMessage();
            return s;
        }
        Scores s = new Scores(detector.name(), d.threshold(), n);
        long start = System.nanoTime();
        int i = 0;
        try {
            SeriesDetector sd = d.create(series.key());
            for (; i < n; i++) {
                Assessment a = sd.update(series.time(i), series.value(i));
                s.expected[i] = a.expected();
                s.lower[i] = a.lower();
                s.upper[i] = a.upper();
                s.score[i] = a.score();
                if (a.anomaly()) {
                    s.anomaly[i] = true;
                    s.flagged++;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            s.failure = "detector '" + detector.name() + "' failed on " + series.key() + " at point " + i
                    + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); its remaining points on this series are not scored";
        }
        s.scored = i;
        s.nanos = System.nanoTime() - start;
        return s;
    }

    private static Scores combine(ConfiguredDetector detector, SeriesData series, java.util.List<Scores> earlier) {
        Ensemble e = detector.ensemble();
        int n = series.size();
        Scores s = new Scores(detector.name(), Ensemble.THRESHOLD, n);
        Scores[] members = new Scores[e.members().size()];
        for (int m = 0; m < members.length; m++) {
            String name = e.members().get(m).name();
            members[m] = earlier.stream().filter(x -> x.model().equals(name)).findFirst().orElse(null);
        }
        long start = System.nanoTime();
        Assessment[] rows = new Assessment[members.length];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < members.length; m++) {
                Scores x = members[m];
                rows[m] = x == null || i >= x.scored() || Double.isNaN(x.threshold()) ? null
                        : new Assessment(x.expected(i), x.lower(i), x.upper(i), x.score(i), x.anomaly(i));
            }
            Assessment a = e.assess(rows);
            if (a != null) {
                s.expected[i] = a.expected();
                s.lower[i] = a.lower();
                s.upper[i] = a.upper();
                s.score[i] = a.score();
                if (a.anomaly()) {
                    s.anomaly[i] = true;
                    s.flagged++;
                }
            }
        }
        s.scored = n;
        s.nanos = System.nanoTime() - start;
        return s;
    }
}
