package dev.rtm.host.sink;

import dev.rtm.host.detect.Scores;
import dev.rtm.host.source.SeriesData;

/**
 * One detector's NAB output for one data file: an {@code anomaly_score} in [0, 1] for every input
 * row, in file order, with the row's timestamp (epoch millis). Rows the detector did not score (a
 * late or duplicate timestamp dropped by the replay, points after a plugin failure, warm-up) score 0.
 *
 * @param file the file's key in NAB's label files, {@code category/name.csv}
 * @param times each row's timestamp, epoch millis (repeats allowed: NAB files repeat an hour at DST)
 * @param values each row's value
 * @param scores each row's anomaly score in [0, 1]
 */
public record NabSeries(String file, long[] times, double[] values, double[] scores) {

    /** Checks the rows line up. */
    public NabSeries {
        if (times.length != scores.length || values.length != scores.length) {
            throw new IllegalArgumentException(file + ": " + times.length + " timestamps, " + values.length
                    + " values, " + scores.length + " scores");
        }
    }

    /**
     * The NAB rows of one replayed series: one per input row. {@code anomaly_score} is
     * {@link Scores#normalized(int)} ({@code score / (score + threshold)}) for scored points, 0 for the
     * rest, and 0 where the detector gave no usable number.
     */
    public static NabSeries of(SeriesData series, Scores scores) {
        int rows = series.rows();
        long[] t = new long[rows];
        double[] v = new double[rows];
        double[] s = new double[rows];
        for (int r = 0; r < rows; r++) {
            t[r] = series.rowTime(r);
            v[r] = series.rowValue(r);
            int p = series.rowPoint(r);
            double a = p >= 0 && p < scores.scored() ? scores.normalized(p) : 0.0;
            s[r] = a >= 0 ? Math.min(a, 1.0) : 0.0; // NaN (no threshold) counts as no detection
        }
        String key = series.labelKey() != null ? series.labelKey() : series.category() + "/" + series.fileName();
        return new NabSeries(key, t, v, s);
    }

    /** A detector that gives every row the same score (NAB's null detector gives 0.5). */
    public NabSeries constant(double score) {
        double[] s = new double[scores.length];
        java.util.Arrays.fill(s, score);
        return new NabSeries(file, times, values, s);
    }

    /** Number of rows. */
    public int size() {
        return scores.length;
    }
}
