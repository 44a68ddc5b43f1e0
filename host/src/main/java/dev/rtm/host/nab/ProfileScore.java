package dev.rtm.host.nab;

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

    /**
     * The same normalisation per category (raw, null and perfect of the category's files); NaN
     * for a category without windows, where only the raw (false positive) score means something.
     */
    public Map<String, double[]> categories() {
        Map<String, double[]> c = new LinkedHashMap<>();
        for (FileScore f : files) {
            double[] v = c.computeIfAbsent(f.category(), k -> new double[4]);
            v[0] += f.score();
            v[1] += f.nullScore();
            v[2] += f.windows() * profile.tpWeight();
        }
        for (double[] v : c.values()) {
            v[3] = v[2] == v[1] ? Double.NaN : normalize(v[0], v[1], v[2]);
        }
        return c;
    }

    static double normalize(double raw, double nullRaw, double perfect) {
        return 100 * (raw - nullRaw) / (perfect - nullRaw);
    }
}
