package dev.rtm.host.report;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a panel's SQL the way Grafana's PostgreSQL data source does before sending it:
 * template variables ({@code $name}, {@code ${name}}; multi-value ones as {@code 'a','b'}), then
 * {@code $__interval_ms}, {@code $__interval}, {@code $__timeFilter(col)}, {@code $__timeGroupAlias(col, interval)},
 * {@code $__timeGroup(col, interval)}, {@code $__timeFrom()}, {@code $__timeTo()}.
 */
public final class GrafanaSql {

    private static final Pattern GROUP = Pattern.compile("\\$__timeGroup(Alias)?\\(\\s*([^,]+?)\\s*,\\s*'?([0-9]+)([smhd])'?\\s*\\)");
    private static final Pattern FILTER = Pattern.compile("\\$__timeFilter\\(\\s*([^)]+?)\\s*\\)");

    private GrafanaSql() {
    }

    /** Milliseconds in an interval as Grafana writes it: {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}. */
    public static long millis(String interval) {
        Matcher m = Pattern.compile("([0-9]+)(ms|s|m|h|d)").matcher(interval.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("interval '" + interval + "' is not like 10s, 5m, 2h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
        };
    }

    /**
     * Expands {@code sql}: variables, then the macros. Variables named in {@code multi} are
     * multi-value ones, which Grafana always renders quoted and comma-joined ({@code 'a','b'}), even
     * with one value selected; the others are inserted as they are.
     */
    public static String expand(String sql, Map<String, List<String>> vars, java.util.Set<String> multi,
                                Instant from, Instant to, String interval) {
        String s = sql;
        List<String> names = vars.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String name : names) {
            List<String> values = vars.get(name);
            String value = !multi.contains(name) ? values.get(0)
                    : String.join(",", values.stream().map(v -> "'" + v.replace("'", "''") + "'").toList());
            s = s.replace("${" + name + "}", value).replace("$" + name, value);
        }
        s = s.replace("$__interval_ms", Long.toString(millis(interval))).replace("$__interval", interval);
        Matcher g = GROUP.matcher(s);
        StringBuilder out = new StringBuilder();
        while (g.find()) {
            long secs = Long.parseLong(g.group(3)) * switch (g.group(4)) {
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                default -> 86400;
            };
            String expr = "floor(extract(epoch from " + g.group(2) + ")/" + secs + ")*" + secs;
            g.appendReplacement(out, Matcher.quoteReplacement(g.group(1) != null ? expr + " AS \"time\"" : expr));
        }
        g.appendTail(out);
        s = out.toString();
        s = FILTER.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " BETWEEN '" + from + "' AND '" + to + "'"));
        return s.replace("$__timeFrom()", "'" + from + "'").replace("$__timeTo()", "'" + to + "'");
    }
}
