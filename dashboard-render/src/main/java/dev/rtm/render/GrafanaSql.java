package dev.rtm.render;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a panel's SQL the way Grafana's PostgreSQL data source does before sending it, in
 * Grafana's order:
 * <ol>
 *   <li>template variables ({@code $name}, {@code ${name}}): a multi-value (or include-All) variable
 *       as quoted literals joined by commas ({@code 'a','b'}, even with one value selected), any
 *       other with its single quotes doubled and no quotes added (so {@code '$host'} stays a literal);</li>
 *   <li>{@code $__interval_ms}, {@code $__interval}, {@code $__unixEpochFrom()}, {@code $__unixEpochTo()};</li>
 *   <li>the macros {@code $__name(args)}: {@code $__time}, {@code $__timeEpoch}, {@code $__timeFilter},
 *       {@code $__timeFrom}, {@code $__timeTo}, {@code $__timeGroup}, {@code $__timeGroupAlias}
 *       ({@code time_bucket} when the data source has {@code timescaledb: true}), {@code $__unixEpochFilter},
 *       {@code $__unixEpochNanoFilter}, {@code $__unixEpochNanoFrom}, {@code $__unixEpochNanoTo},
 *       {@code $__unixEpochGroup}, {@code $__unixEpochGroupAlias}. Times are UTC RFC 3339 with the
 *       fraction's trailing zeros dropped; a fill argument ({@code 0}, {@code NULL}, {@code previous})
 *       is checked but changes only Grafana's post-processing, not the SQL; an unknown macro is an
 *       error, as in Grafana.</li>
 * </ol>
 * The interval a panel's query gets follows the range and the panel's width ({@link #interval}).
 * {@code GrafanaSqlTest} holds the documented examples this is checked against.
 */
public final class GrafanaSql {

    /** Any {@code $identifier(args)} after variables are replaced: Grafana's macro syntax (args without ')'). */
    private static final Pattern MACRO = Pattern.compile("\\$([_a-zA-Z0-9]+)\\(([^)]*)\\)");
    /** A template variable as Grafana finds it: {@code $name}, {@code ${name}} or {@code ${name:format}}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)|\\$\\{(\\w+)(?::([^}]+))?}");
    private static final Pattern INTERVAL = Pattern.compile("([0-9]+)(ms|s|m|h|d|w)");
    /** The steps {@link #interval} rounds up to. */
    private static final long[] NICE_MS = {1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000,
        600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000};

    private GrafanaSql() {
    }

    /** Grafana's {@code $__interval}: the range over the panel's width in pixels, rounded up to a readable step. */
    public static String interval(Duration range, int pixels) {
        long raw = range.toMillis() / Math.max(1, pixels);
        long pick = NICE_MS[NICE_MS.length - 1];
        for (long n : NICE_MS) {
            if (n >= raw) {
                pick = n;
                break;
            }
        }
        return pick % 86_400_000 == 0 ? pick / 86_400_000 + "d" : pick % 3_600_000 == 0 ? pick / 3_600_000 + "h"
                : pick % 60_000 == 0 ? pick / 60_000 + "m" : pick / 1000 + "s";
    }

    /** Milliseconds in an interval as Grafana writes it: {@code 200ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 1w}. */
    public static long millis(String interval) {
        Matcher m = INTERVAL.matcher(interval.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("interval '" + interval + "' is not like 200ms, 10s, 5m, 2h, 1d or 1w");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            case "d" -> n * 86_400_000;
            default -> n * 7 * 86_400_000;
        };
    }

    /** {@link #expand(String, Map, Set, Instant, Instant, String, boolean)} for a data source without TimescaleDB. */
    public static String expand(String sql, Map<String, List<String>> vars, Set<String> multi,
                                Instant from, Instant to, String interval) {
        return expand(sql, vars, multi, from, to, interval, false);
    }

    /**
     * Expands {@code sql}: variables, then the interval and the macros. Variables named in
     * {@code multi} are multi-value (or include-All) ones. {@code timescaledb} is the data source's
     * {@code jsonData.timescaledb}: with it {@code $__timeGroup} is TimescaleDB's {@code time_bucket}.
     *
     * @throws IllegalArgumentException for an unknown macro or a malformed macro argument
     */
    public static String expand(String sql, Map<String, List<String>> vars, Set<String> multi,
                                Instant from, Instant to, String interval, boolean timescaledb) {
        Matcher v = VARIABLE.matcher(sql);
        StringBuilder vs = new StringBuilder();
        while (v.find()) {
            String name = v.group(1) != null ? v.group(1) : v.group(2);
            if (v.group(3) != null && vars.containsKey(name)) {
                throw new IllegalArgumentException("variable format ${" + name + ":" + v.group(3) + "} is not supported here");
            }
            List<String> values = vars.get(name);
            String value = values == null ? v.group()  // not a variable: $__interval, a macro, or left as Grafana leaves it
                    : multi.contains(name) ? String.join(",", values.stream().map(GrafanaSql::quote).toList())
                    : values.get(0).replace("'", "''");
            v.appendReplacement(vs, Matcher.quoteReplacement(value));
        }
        v.appendTail(vs);
        String s = vs.toString();
        s = s.replace("$__interval_ms", Long.toString(millis(interval))).replace("$__interval", interval)
                .replace("$__unixEpochFrom()", Long.toString(from.getEpochSecond()))
                .replace("$__unixEpochTo()", Long.toString(to.getEpochSecond()));
        String input = s;
        Matcher m = MACRO.matcher(input);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            // Grafana before 5.3 let $__timeGroup add the alias; Grafana still does when a ',' follows
            // the first occurrence of the call
            int at = input.indexOf(m.group());
            if (name.equals("__timeGroup") && at + m.group().length() < input.length()
                    && input.charAt(at + m.group().length()) == ',') {
                name = "__timeGroupAlias";
            }
            List<String> args = List.of(m.group(2).split(",", -1)).stream().map(String::strip).toList();
            m.appendReplacement(out, Matcher.quoteReplacement(macro(name, args, from, to, timescaledb)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String macro(String name, List<String> args, Instant from, Instant to, boolean timescaledb) {
        String column = args.get(0);
        return switch (name) {
            case "__time" -> needColumn(name, column) + " AS \"time\"";
            case "__timeEpoch" -> "extract(epoch from " + needColumn(name, column) + ") as \"time\"";
            case "__timeFilter" -> needColumn(name, column) + " BETWEEN '" + rfc3339(from) + "' AND '" + rfc3339(to) + "'";
            case "__timeFrom" -> "'" + rfc3339(from) + "'";
            case "__timeTo" -> "'" + rfc3339(to) + "'";
            case "__timeGroup" -> {
                double secs = groupSeconds(name, args);
                yield timescaledb ? String.format(Locale.ROOT, "time_bucket('%.3fs',%s)", secs, column)
                        : "floor(extract(epoch from " + column + ")/" + goFloat(secs) + ")*" + goFloat(secs);
            }
            case "__timeGroupAlias" -> macro("__timeGroup", args, from, to, timescaledb) + " AS \"time\"";
            case "__unixEpochFilter" -> needColumn(name, column) + " >= " + from.getEpochSecond() + " AND "
                    + column + " <= " + to.getEpochSecond();
            case "__unixEpochNanoFilter" -> needColumn(name, column) + " >= " + nanos(from) + " AND " + column + " <= " + nanos(to);
            case "__unixEpochNanoFrom" -> Long.toString(nanos(from));
            case "__unixEpochNanoTo" -> Long.toString(nanos(to));
            case "__unixEpochGroup" -> {
                double secs = groupSeconds(name, args);
                yield "floor((" + column + ")/" + goFloat(secs) + ")*" + goFloat(secs);
            }
            case "__unixEpochGroupAlias" -> macro("__unixEpochGroup", args, from, to, timescaledb) + " AS \"time\"";
            default -> throw new IllegalArgumentException("unknown macro \"" + name + "\"");
        };
    }

    private static String needColumn(String macro, String column) {
        if (column.isEmpty()) {
            throw new IllegalArgumentException("missing time column argument for macro " + macro);
        }
        return column;
    }

    /** The interval of a group macro in seconds, its optional fill argument checked as Grafana checks it. */
    private static double groupSeconds(String macro, List<String> args) {
        if (args.size() < 2) {
            throw new IllegalArgumentException("macro " + macro + " needs time column and interval and optional fill value");
        }
        if (args.size() == 3 && !args.get(2).equals("NULL") && !args.get(2).equals("previous")) {
            try {
                Double.parseDouble(args.get(2));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("error parsing fill value " + args.get(2), e);
            }
        }
        String interval = args.get(1).replaceAll("^'+|'+$", "");
        if (!INTERVAL.matcher(interval).matches()) {
            throw new IllegalArgumentException("error parsing interval " + args.get(1));
        }
        return millis(interval) / 1000.0;
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** Go's RFC 3339 with nanoseconds, in UTC: {@code 2017-04-21T05:01:17Z}, {@code 2017-04-21T05:01:17.12Z}. */
    static String rfc3339(Instant t) {
        String seconds = t.truncatedTo(ChronoUnit.SECONDS).toString();
        if (t.getNano() == 0) {
            return seconds;
        }
        String fraction = String.format(Locale.ROOT, "%09d", t.getNano()).replaceAll("0+$", "");
        return seconds.substring(0, seconds.length() - 1) + "." + fraction + "Z";
    }

    /** A number as Go's {@code %v} prints a float64: {@code 300}, {@code 0.2}, {@code 1e+06}. */
    static String goFloat(double v) {
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exp = d.precision() - d.scale() - 1;
        if (exp >= -4 && exp < 6) {
            return d.toPlainString();
        }
        String mantissa = d.movePointLeft(exp).toPlainString();
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
