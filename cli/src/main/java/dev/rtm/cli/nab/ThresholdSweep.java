package dev.rtm.cli.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The score at every threshold: NAB's {@code Sweeper.calcScoreByThreshold}, line for line. Rows
 * are taken from the highest anomaly score down (a stable sort, as Python's); a row in a window
 * raises that window's part to its sweep score if higher (only the best, i.e. first, detection in
 * a window counts), a row outside adds its (negative) sweep score to the false-positive part. A
 * window no row reaches keeps its part at {@code -fnWeight}. The score is recorded each time the
 * anomaly score changes, starting with nothing detected at threshold 1.1.
 */
final class ThresholdSweep {

    /** NAB starts above every possible anomaly score. */
    static final double START = 1.1;

    private ThresholdSweep() {
    }

    /** Scores at every distinct threshold, highest threshold first. */
    static List<ThresholdScore> of(List<FileSweep> files, int windowCount, Profile p) {
        int n = 0;
        for (FileSweep f : files) {
            n += f.size();
        }
        double[] score = new double[n];
        double[] sweep = new double[n];
        int[] window = new int[n];
        int k = 0;
        for (FileSweep f : files) {
            System.arraycopy(f.anomalyScore, 0, score, k, f.size());
            System.arraycopy(f.sweepScore, 0, sweep, k, f.size());
            System.arraycopy(f.window, 0, window, k, f.size());
            k += f.size();
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // stable, highest first; equal scores keep file order (Python's sorted(reverse=True))
        Arrays.sort(order, (x, y) -> score[x] > score[y] ? -1 : score[x] < score[y] ? 1 : 0);

        // the parts of the score: false positives, then each window in order of first appearance
        double[] part = new double[windowCount];
        int[] partOrder = new int[windowCount];
        boolean[] seen = new boolean[windowCount];
        int parts = 0;
        int tn = 0;
        int fn = 0;
        for (int i : order) {
            int w = window[i];
            if (w >= 0) {
                fn++;
                if (!seen[w]) {
                    seen[w] = true;
                    part[w] = -p.fnWeight();
                    partOrder[parts++] = w;
                }
            } else {
                tn++;
            }
        }
        double fpPart = 0;
        int tp = 0;
        int fp = 0;
        double threshold = START;
        List<ThresholdScore> out = new ArrayList<>();
        for (int i : order) {
            if (score[i] != threshold) {
                out.add(new ThresholdScore(threshold, sum(fpPart, part, partOrder, parts), tp, tn, fp, fn, tp + tn + fp + fn));
                threshold = score[i];
            }
            int w = window[i];
            if (w >= 0) {
                tp++;
                fn--;
                part[w] = Math.max(part[w], sweep[i]);
            } else {
                fp++;
                tn--;
                fpPart += sweep[i];
            }
        }
        out.add(new ThresholdScore(threshold, sum(fpPart, part, partOrder, parts), tp, tn, fp, fn, tp + tn + fp + fn));
        return out;
    }

    /** {@code sum(scoreParts.values())} in the dict's insertion order, as Python adds them. */
    private static double sum(double fpPart, double[] part, int[] partOrder, int parts) {
        double s = fpPart;
        for (int j = 0; j < parts; j++) {
            s += part[partOrder[j]];
        }
        return s;
    }

    /** The highest score; the first (highest threshold) among equals, as NAB's optimiser. */
    static ThresholdScore best(List<ThresholdScore> scores) {
        ThresholdScore best = scores.get(0);
        for (ThresholdScore s : scores) {
            if (s.score() > best.score()) {
                best = s;
            }
        }
        return best;
    }

    /**
     * The row NAB's {@code scoreDataSet} picks for {@code threshold}: the one at that threshold, else
     * the last one above it (all rows at or above it detected). NAB crashes when every row of a file
     * is above the threshold; this returns the last row then (every row detected), which is what
     * the threshold means.
     */
    static ThresholdScore at(List<ThresholdScore> scores, double threshold) {
        ThresholdScore prev = null;
        for (ThresholdScore s : scores) {
            if (s.threshold() == threshold) {
                return s;
            } else if (s.threshold() < threshold) {
                return prev;
            }
            prev = s;
        }
        return prev;
    }
}
