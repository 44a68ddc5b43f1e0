package dev.rtm.cli.nab;

import dev.rtm.host.sink.NabSeries;
import java.util.List;

/**
 * The scorable rows of one file (after the probation period) with what each would add to the
 * score if it were a detection: NAB's {@code Sweeper.calcSweepScore}, line for line.
 *
 * <p>Inside a window a detection is worth {@code scaledSigmoid(-(right - i + 1) / width) · tp / maxTP}
 * (about +1 at the window's start, 0 at its end); outside, {@code scaledSigmoid(|prevRight - i| /
 * (prevWidth - 1)) · fp} after a window and {@code -fp} before any window. Windows are entered
 * where a row's timestamp equals the window's start, and their right edge is the first row with
 * the end's timestamp, as in NAB (timestamps may repeat).
 */
final class FileSweep {

    final String file;
    final double[] anomalyScore;
    final double[] sweepScore;
    /** Global window id of each row, or -1 outside every window. */
    final int[] window;

    private FileSweep(String file, double[] anomalyScore, double[] sweepScore, int[] window) {
        this.file = file;
        this.anomalyScore = anomalyScore;
        this.sweepScore = sweepScore;
        this.window = window;
    }

    /**
     * @param windows the file's label windows, [start, end] epoch millis, in order
     * @param firstWindowId the global id of the file's first window
     * @throws IllegalArgumentException if a window's start or end is not a timestamp of the file
     */
    static FileSweep of(NabSeries s, List<long[]> windows, int firstWindowId, Profile p) {
        long[] t = s.times();
        int n = t.length;
        for (long[] w : windows) {
            if (indexOf(t, w[0]) < 0 || indexOf(t, w[1]) < 0) {
                throw new IllegalArgumentException(s.file() + ": label window timestamps must be timestamps of the file "
                        + "(NAB's rule); " + (indexOf(t, w[0]) < 0 ? "start" : "end") + " is not");
            }
        }
        double maxTp = WindowScoring.scaledSigmoid(-1.0);
        double probation = WindowScoring.probationLength(n);
        int first = (int) Math.min(n, Math.ceil(probation));
        double[] a = new double[n - first];
        double[] sw = new double[n - first];
        int[] win = new int[n - first];

        int next = 0;              // next window to enter
        int cur = -1;              // window we are in
        long curEnd = 0;
        int curRight = -1;
        double curWidth = 0;
        int prevRight = -1;
        double prevWidth = 0;
        for (int i = 0; i < n; i++) {
            if (next < windows.size() && t[i] == windows.get(next)[0]) {
                long[] w = windows.get(next);
                cur = next++;
                curEnd = w[1];
                curRight = indexOf(t, w[1]);
                curWidth = curRight - indexOf(t, w[0]) + 1;
            }
            double weighted;
            if (cur >= 0) {
                double position = -(curRight - i + 1) / curWidth;
                weighted = WindowScoring.scaledSigmoid(position) * p.tpWeight() / maxTp;
            } else {
                double unweighted = prevRight < 0 ? -1.0
                        : WindowScoring.scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1));
                weighted = unweighted * p.fpWeight();
            }
            if (i >= probation) {
                int k = i - first;
                a[k] = s.scores()[i];
                sw[k] = weighted;
                win[k] = cur < 0 ? -1 : firstWindowId + cur;
            }
            if (cur >= 0 && t[i] == curEnd) {
                prevRight = i;
                prevWidth = curWidth;
                cur = -1;
            }
        }
        return new FileSweep(s.file(), a, sw, win);
    }

    private static int indexOf(long[] t, long v) {
        for (int i = 0; i < t.length; i++) {
            if (t[i] == v) {
                return i;
            }
        }
        return -1;
    }

    int size() {
        return anomalyScore.length;
    }
}
