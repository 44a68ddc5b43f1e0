package dev.rtm.cli.nab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A detector's NAB score under one profile.
 *
 * @param threshold the anomaly-score threshold NAB's optimiser picks for the corpus
 * @param raw the sum of the files' raw scores at that threshold
 * @param nullRaw the null detector's raw score (its best threshold detects nothing, so it is minus
 *        the cost of missing every window)
 * @param perfect the raw score of catching every window at its start: windows × tpWeight
 * @param files per file, in input order
 */
public record ProfileScore(Profile profile, double threshold, double raw, double nullRaw, double perfect,
                           List<FileScore> files) {

    /** NAB's final score: {@code 100 · (raw - null) / (perfect - null)}; 0 = null detector, 100 = perfect. */
    public double normalized() {
        return normalize(raw, nullRaw, perfect);
    }

    /** The same normalisation per category (a file's category is its folder), in file order. */
    public Map<String, CategoryScore> categories() {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (FileScore f : files) {
            double[] v = sums.computeIfAbsent(f.category(), k -> new double[3]);
            v[0] += f.score();
            v[1] += f.nullScore();
            v[2] += f.windows();
        }
        Map<String, CategoryScore> out = new LinkedHashMap<>();
        sums.forEach((c, v) -> out.put(c, new CategoryScore(c, (int) v[2], v[0], v[1], v[2] * profile.tpWeight())));
        return out;
    }

    static double normalize(double raw, double nullRaw, double perfect) {
        return 100 * (raw - nullRaw) / (perfect - nullRaw);
    }
}
