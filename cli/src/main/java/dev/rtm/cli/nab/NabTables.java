package dev.rtm.cli.nab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The NAB scores of several detectors as text tables (rows of cells, the first row the header). */
public final class NabTables {

    private NabTables() {
    }

    /** Per detector: the three normalised scores, the standard threshold and points/s. */
    public static List<String[]> summary(List<DetectorScore> scores) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"DETECTOR", "STANDARD", "LOW FP", "LOW FN", "THRESHOLD", "RAW", "NULL", "PERFECT", "POINTS/S"});
        for (DetectorScore d : scores) {
            ProfileScore std = d.of(Profile.STANDARD);
            rows.add(new String[] {d.detector(), num(std.normalized()), num(d.of(Profile.LOW_FP).normalized()),
                num(d.of(Profile.LOW_FN).normalized()), String.format(Locale.ROOT, "%.4f", std.threshold()),
                String.format(Locale.ROOT, "%.2f", std.raw()), String.format(Locale.ROOT, "%.0f", std.nullRaw()),
                String.format(Locale.ROOT, "%.0f", std.perfect()), rate(d.pointsPerSecond())});
        }
        return rows;
    }

    /** Per file, standard profile: each detector's raw score and its detections in/out of windows. */
    public static List<String[]> files(List<DetectorScore> scores) {
        List<String> head = new ArrayList<>(List.of("FILE", "WINDOWS"));
        scores.forEach(d -> head.add(d.detector() + " RAW (TP/FP)"));
        List<String[]> rows = new ArrayList<>();
        rows.add(head.toArray(String[]::new));
        if (scores.isEmpty()) {
            return rows;
        }
        List<FileScore> first = scores.get(0).of(Profile.STANDARD).files();
        for (int i = 0; i < first.size(); i++) {
            List<String> r = new ArrayList<>(List.of(first.get(i).file(), String.valueOf(first.get(i).windows())));
            for (DetectorScore d : scores) {
                List<FileScore> fs = d.of(Profile.STANDARD).files();
                FileScore f = i < fs.size() ? fs.get(i) : null;
                r.add(f == null ? "-" : String.format(Locale.ROOT, "%.2f (%d/%d)", f.score(), f.tp(), f.fp()));
            }
            rows.add(r.toArray(String[]::new));
        }
        return rows;
    }

    /**
     * Per category: each detector's normalised standard / low FP / low FN score; for a category
     * without windows, where normalising is undefined, the raw standard score in brackets.
     */
    public static List<String[]> categories(List<DetectorScore> scores) {
        List<String> head = new ArrayList<>(List.of("CATEGORY", "WINDOWS"));
        scores.forEach(d -> head.add(d.detector() + " STD/FP/FN"));
        List<String[]> rows = new ArrayList<>();
        rows.add(head.toArray(String[]::new));
        if (scores.isEmpty()) {
            return rows;
        }
        for (CategoryScore c : scores.get(0).of(Profile.STANDARD).categories().values()) {
            List<String> r = new ArrayList<>(List.of(c.category(), String.valueOf(c.windows())));
            for (DetectorScore d : scores) {
                CategoryScore std = d.of(Profile.STANDARD).categories().get(c.category());
                if (std == null) {
                    r.add("-");
                } else if (Double.isNaN(std.normalized())) {
                    r.add(String.format(Locale.ROOT, "(raw %.2f)", std.raw()));
                } else {
                    r.add(num(std.normalized()) + "/" + num(d.of(Profile.LOW_FP).categories().get(c.category()).normalized())
                            + "/" + num(d.of(Profile.LOW_FN).categories().get(c.category()).normalized()));
                }
            }
            rows.add(r.toArray(String[]::new));
        }
        return rows;
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String rate(double perSec) {
        if (Double.isNaN(perSec)) {
            return "-";
        }
        return perSec >= 1e6 ? String.format(Locale.ROOT, "%.1fM", perSec / 1e6)
                : perSec >= 1e3 ? String.format(Locale.ROOT, "%.1fk", perSec / 1e3)
                : String.format(Locale.ROOT, "%.0f", perSec);
    }
}
