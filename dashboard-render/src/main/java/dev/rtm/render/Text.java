package dev.rtm.render;

import java.awt.FontMetrics;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Numbers, times and text as the panels write them. */
final class Text {

    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Text() {
    }

    /**
     * A number as Grafana's "short" unit writes it: SI prefixes from a thousand up (25 M, 1.5 K),
     * at most three significant decimals below, no trailing zeros (1.500000001 is 1.5).
     */
    static String si(Double value) {
        double v = value == null ? 0 : value;
        double a = Math.abs(v);
        String[] prefix = {"", " K", " M", " G", " T", " P"};
        int k = 0;
        while (a >= 1000 && k < prefix.length - 1) {
            a /= 1000;
            v /= 1000;
            k++;
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(3)); // 3 significant digits
        String s = d.stripTrailingZeros().toPlainString();
        return (s.equals("-0") ? "0" : s) + prefix[k];
    }

    /** A table cell: times in UTC, fractions to three decimals, the rest as is. */
    static String cell(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Timestamp ts) {
            return STAMP.format(ts.toInstant());
        }
        if (o instanceof Double || o instanceof Float || o instanceof BigDecimal) {
            return number(((Number) o).doubleValue());
        }
        return o.toString();
    }

    /** Whole numbers (and anything from a thousand up) without decimals, others to three. */
    static String number(double v) {
        return Math.abs(v) >= 1000 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    /** {@code s} cut to {@code px} pixels, with an ellipsis when cut. */
    static String clip(String s, FontMetrics fm, int px) {
        if (fm.stringWidth(s) <= px) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > px) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }

    /** {@code text} broken into lines of at most {@code px} pixels, at spaces. */
    static List<String> wrap(String text, FontMetrics fm, int px) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (cur.length() > 0 && fm.stringWidth(cur + " " + word) > px) {
                lines.add(cur.toString());
                cur.setLength(0);
            }
            cur.append(cur.length() > 0 ? " " : "").append(word);
        }
        if (cur.length() > 0) {
            lines.add(cur.toString());
        }
        return lines;
    }
}
