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

    /** Scores {@code series} with {@code detector}. */
    public static Scores score(ConfiguredDetector detector, SeriesData series) {
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
}
