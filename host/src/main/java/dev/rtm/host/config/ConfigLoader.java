package dev.rtm.host.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rtm.host.RtmException;
import dev.rtm.host.config.RtmConfig.DetectorSection;
import dev.rtm.host.config.RtmConfig.SelectRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code rtm.yaml}. Structure errors (unknown keys, wrong types, bad globs, unset
 * {@code ${env:...}} variables) are collected with their key paths and reported together.
 *
 * <pre>
 * plugins:
 *   dir: plugins              # relative to this file
 * detectors:
 *   ewma: { alpha: 0.2 }      # instance "ewma" of the plugin "ewma"
 *   ewma-slow: { type: ewma, alpha: 0.05 }
 * select:                     # first matching rule wins
 *   - { metric: "cpu.*", detectors: [ewma, ewma-slow] }
 *   - { metric: "*", detectors: [ewma] }
 * </pre>
 */
public final class ConfigLoader {

    /** The top-level sections this version understands. */
    public static final List<String> TOP_LEVEL = java.util.stream.Stream.concat(java.util.stream.Stream.of("plugins", "detectors", "select", "alert-rules", "channels", "silences"),
            HostSettings.NAMES.stream()).toList();
    private static final Set<String> RULE_KEYS = Set.of("metric", "host", "detectors");
    /** The keys of an {@code alert-rules} entry. */
    public static final List<String> ALERT_RULE_KEYS = List.of("name", "host", "metric", "models", "critical-score", "no-data-after");
    /** The keys of a {@code silences} entry. */
    public static final List<String> SILENCE_KEYS = List.of("host", "metric", "from", "until", "comment");
    private static final String NAME = "[a-z][a-z0-9-]*";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigLoader() {
    }

    /** Loads and checks a config file, with {@code ${env:...}} taken from {@code env}. */
    public static RtmConfig load(Path file, Map<String, String> env) {
        ConfigProblems problems = new ConfigProblems(file);
        RtmConfig cfg = load(file, env, problems);
        problems.throwIfAny();
        return cfg;
    }

    /**
     * Loads a config file, recording its problems in {@code problems} instead of throwing them, so
     * that the caller can add the plugins' own (detectors, channels) and report all at once. Where
     * a value was refused, the config holds a placeholder (a host section's defaults).
     *
     * @throws RtmException at once only when the file is missing or is not YAML
     */
    public static RtmConfig load(Path file, Map<String, String> env, ConfigProblems problems) {
        if (!Files.isRegularFile(file)) {
            throw new RtmException("config file " + file + " does not exist");
        }
        Object tree;
        String text;
        try {
            text = java.nio.file.Files.readString(file);
            tree = YAML.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new RtmException("config " + file + " is not valid YAML"
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")")
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RtmException("cannot read config " + file + ": " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(tree, file, base, env, text, problems);
    }

    /**
     * Parses config text, as shipped to the streaming job's operators.
     *
     * @param origin the file it came from, for messages and relative paths (may be null)
     */
    public static RtmConfig parseText(String yaml, Path origin, Map<String, String> env) {
        Object tree;
        try {
            tree = YAML.readValue(yaml, Object.class);
        } catch (JsonProcessingException e) {
            throw new RtmException("config " + (origin == null ? "" : origin + " ") + "is not valid YAML: " + e.getOriginalMessage());
        }
        Path base = origin == null ? Path.of("").toAbsolutePath() : origin.toAbsolutePath().getParent();
        ConfigProblems problems = new ConfigProblems(origin);
        RtmConfig cfg = parse(tree, origin, base, env, yaml, problems);
        problems.throwIfAny();
        return cfg;
    }

    static RtmConfig parse(Object tree, Path file, Path baseDir, Map<String, String> env, String text, ConfigProblems problems) {
        Interpolator interp = new Interpolator(env, baseDir);
        Path pluginsDir = null;
        Map<String, DetectorSection> detectors = new LinkedHashMap<>();
        List<SelectRule> select = new ArrayList<>();
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        Map<String, RtmConfig.ChannelSection> channels = new LinkedHashMap<>();
        List<RtmConfig.SilenceRule> silences = new ArrayList<>();
        List<RtmConfig.AlertRuleSection> alertRules = new ArrayList<>();

        Map<String, Object> root = tree == null ? Map.of() : asMap(tree, "(top level)", problems);
        for (var e : root.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            switch (key) {
                case "plugins" -> {
                    for (var p : asMap(v, "plugins", problems).entrySet()) {
                        if (p.getKey().equals("dir")) {
                            String dir = scalar(p.getValue(), "plugins.dir", interp, problems);
                            if (dir != null) {
                                pluginsDir = baseDir.resolve(dir).normalize();
                            }
                        } else {
                            problems.add("plugins." + p.getKey(), "unknown key; allowed keys: dir");
                        }
                    }
                }
                case "detectors" -> {
                    for (var d : asMap(v, "detectors", problems).entrySet()) {
                        String name = d.getKey();
                        String path = "detectors." + name;
                        if (!name.matches(NAME)) {
                            problems.add(path, "detector names are lower-case letters, digits and '-'");
                            continue;
                        }
                        Map<String, Object> raw = d.getValue() == null ? Map.of() : asMap(d.getValue(), path, problems);
                        Map<String, Object> settings = new LinkedHashMap<>();
                        String type = name;
                        for (var s : raw.entrySet()) {
                            String sp = path + "." + s.getKey();
                            Object sv = s.getValue() instanceof String str ? interpolate(str, sp, interp, problems) : s.getValue();
                            if (s.getKey().equals("type")) {
                                String t = sv == null ? null : sv.toString();
                                if (t == null || !t.matches(NAME)) {
                                    problems.add(sp, "must name a detector plugin, e.g. ewma");
                                } else {
                                    type = t;
                                }
                            } else {
                                settings.put(s.getKey(), sv);
                            }
                        }
                        detectors.put(name, new DetectorSection(name, type, settings));
                    }
                }
                case "select" -> {
                    if (v == null) {
                        continue;
                    }
                    if (!(v instanceof List<?> list)) {
                        problems.add("select", "must be a list of rules like {metric: \"cpu.*\", detectors: [ewma]}");
                        continue;
                    }
                    for (int i = 0; i < list.size(); i++) {
                        SelectRule r = rule(list.get(i), i, interp, problems);
                        if (r != null) {
                            select.add(r);
                        }
                    }
                }
                case "channels" -> {
                    for (var c : asMap(v, "channels", problems).entrySet()) {
                        RtmConfig.ChannelSection ch = channel(c.getKey(), c.getValue(), interp, problems);
                        if (ch != null) {
                            channels.put(ch.name(), ch);
                        }
                    }
                }
                case "alert-rules" -> alertRules.addAll(list(v, "alert-rules", "[{name: db, host: \"db-*\", models: all}]",
                        i -> o -> alertRule(o, i, interp, problems), problems));
                case "silences" -> silences.addAll(list(v, "silences",
                        "[{host: \"db-*\", metric: \"*\", until: 2026-12-31T00:00:00Z}]", i -> o -> silence(o, i, interp, problems), problems));
                default -> {
                    if (!HostSettings.NAMES.contains(key)) {
                        problems.add(key, "unknown key; allowed keys: " + String.join(", ", TOP_LEVEL));
                        continue;
                    }
                    Map<String, Object> section = new LinkedHashMap<>();
                    for (var kv : asMap(v, key, problems).entrySet()) {
                        Object sv = kv.getValue() instanceof String str
                                ? interpolate(str, key + "." + kv.getKey(), interp, problems) : kv.getValue();
                        section.put(kv.getKey(), sv);
                    }
                    sections.put(key, section);
                }
            }
        }
        HostSettings host = HostSettings.validate(sections, problems);
        HostFormats.check(host, problems);
        return new RtmConfig(file, pluginsDir, detectors, select, host, channels, silences, alertRules, text == null ? "" : text);
    }

    private static RtmConfig.ChannelSection channel(String name, Object value, Interpolator interp, ConfigProblems problems) {
        String path = "channels." + name;
        if (!name.matches(NAME)) {
            problems.add(path, "channel names are lower-case letters, digits and '-'");
            return null;
        }
        String type = name;
        double rate = 1.0;
        java.time.Duration timeout = java.time.Duration.ofSeconds(30);
        Map<String, Object> settings = new LinkedHashMap<>();
        for (var s : (value == null ? Map.<String, Object>of() : asMap(value, path, problems)).entrySet()) {
            String sp = path + "." + s.getKey();
            Object sv = s.getValue() instanceof String str ? interpolate(str, sp, interp, problems) : s.getValue();
            switch (s.getKey()) {
                case "type" -> {
                    if (sv == null || !sv.toString().matches(NAME)) {
                        problems.add(sp, "must name an alerter plugin, e.g. slack");
                    } else {
                        type = sv.toString();
                    }
                }
                case "rate-per-s" -> {
                    try {
                        rate = Double.parseDouble(String.valueOf(sv));
                        if (!(rate > 0) || Double.isInfinite(rate)) {
                            throw new NumberFormatException();
                        }
                    } catch (NumberFormatException e) {
                        problems.add(sp, "must be a number > 0 (messages per second), was '" + sv + "'");
                    }
                }
                case "attempt-timeout" -> {
                    try {
                        timeout = Durations.parse(String.valueOf(sv));
                        if (timeout.isZero()) {
                            problems.add(sp, "must be longer than 0 (the longest one attempt may take, e.g. 30s)");
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add(sp, e.getMessage());
                    }
                }
                default -> settings.put(s.getKey(), sv);
            }
        }
        return new RtmConfig.ChannelSection(name, type, rate, timeout, settings);
    }

    private static RtmConfig.AlertRuleSection alertRule(Object o, int i, Interpolator interp, ConfigProblems problems) {
        String path = "alert-rules[" + i + "]";
        Map<String, Object> m = asMap(o, path, problems);
        List<String> keys = ALERT_RULE_KEYS;
        for (String k : m.keySet()) {
            if (!keys.contains(k)) {
                problems.add(path + "." + k, "unknown key; allowed keys: " + String.join(", ", keys));
            }
        }
        String name = m.containsKey("name") ? scalar(m.get("name"), path + ".name", interp, problems) : null;
        if (name == null || !name.matches(NAME)) {
            problems.add(path + ".name", "required: lower-case letters, digits and '-' (the rule label of its alerts)");
        }
        String host = glob(m, "host", path, interp, problems);
        String metric = glob(m, "metric", path, interp, problems);
        String models = m.get("models") instanceof List<?> l // [ewma, arima] as well as "ewma,arima"
                ? String.join(",", l.stream().map(String::valueOf).toList())
                : m.containsKey("models") ? scalar(m.get("models"), path + ".models", interp, problems) : null;
        if (models != null) {
            try {
                dev.rtm.host.alert.AlertRule.Agreement.parse(models);
            } catch (IllegalArgumentException e) {
                problems.add(path + ".models", e.getMessage());
            }
        }
        Double critical = null;
        Integer noData = null;
        try {
            if (m.containsKey("critical-score")) {
                critical = Double.parseDouble(String.valueOf(m.get("critical-score")));
                if (!(critical > 0) || critical.isInfinite()) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            problems.add(path + ".critical-score", "must be a number > 0 (sigmas), was '" + m.get("critical-score") + "'");
        }
        try {
            if (m.containsKey("no-data-after")) {
                noData = Integer.parseInt(String.valueOf(m.get("no-data-after")));
                if (noData < 0) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            problems.add(path + ".no-data-after", "must be a whole number >= 0 (intervals; 0: off), was '" + m.get("no-data-after") + "'");
        }
        if (name == null || host == null || metric == null) {
            return null;
        }
        return new RtmConfig.AlertRuleSection(name, host, metric, models, critical, noData);
    }

    private static RtmConfig.SilenceRule silence(Object o, int i, Interpolator interp, ConfigProblems problems) {
        String path = "silences[" + i + "]";
        Map<String, Object> m = asMap(o, path, problems);
        for (String k : m.keySet()) {
            if (!SILENCE_KEYS.contains(k)) {
                problems.add(path + "." + k, "unknown key; allowed keys: host, metric, from, until, comment");
            }
        }
        String host = glob(m, "host", path, interp, problems);
        String metric = glob(m, "metric", path, interp, problems);
        java.time.Instant from = java.time.Instant.EPOCH;
        java.time.Instant until = null;
        for (String k : List.of("from", "until")) {
            if (!m.containsKey(k)) {
                continue;
            }
            String t = scalar(m.get(k), path + "." + k, interp, problems);
            try {
                java.time.Instant at = java.time.OffsetDateTime.parse(t).toInstant();
                if (k.equals("from")) {
                    from = at;
                } else {
                    until = at;
                }
            } catch (RuntimeException e) {
                problems.add(path + "." + k, "'" + t + "' is not a time like 2026-12-31T00:00:00Z");
            }
        }
        if (!m.containsKey("until")) {
            problems.add(path + ".until", "required: when the silence ends, e.g. 2026-12-31T00:00:00Z");
        } else if (until != null && !until.isAfter(from)) {
            problems.add(path + ".from", "is " + from + ", not before until (" + until + ")");
        }
        String comment = m.containsKey("comment") ? scalar(m.get("comment"), path + ".comment", interp, problems) : "";
        if (host == null || metric == null || until == null) {
            return null;
        }
        return new RtmConfig.SilenceRule(i, host, metric, from, until, comment == null ? "" : comment);
    }

    private static SelectRule rule(Object o, int i, Interpolator interp, ConfigProblems problems) {
        String path = "select[" + i + "]";
        Map<String, Object> m = asMap(o, path, problems);
        for (String k : m.keySet()) {
            if (!RULE_KEYS.contains(k)) {
                problems.add(path + "." + k, "unknown key; allowed keys: metric, host, detectors");
            }
        }
        String metric = glob(m, "metric", path, interp, problems);
        String host = glob(m, "host", path, interp, problems);
        Object ds = m.get("detectors");
        List<String> names = new ArrayList<>();
        if (ds instanceof String s) {
            names.add(s);
        } else if (ds instanceof List<?> l && !l.isEmpty()) {
            for (Object x : l) {
                names.add(String.valueOf(x));
            }
        } else {
            problems.add(path + ".detectors", "required: a list of detector names, e.g. [ewma]");
        }
        return new SelectRule(i, metric == null ? "*" : metric, host == null ? "*" : host, names);
    }

    /** A glob key of a list entry ({@code *} when absent), checked; null when it is invalid (the problem is recorded). */
    private static String glob(Map<String, Object> m, String key, String path, Interpolator interp, ConfigProblems problems) {
        String g = m.containsKey(key) ? scalar(m.get(key), path + "." + key, interp, problems) : "*";
        if (g != null) {
            try {
                Glob.compile(g);
            } catch (IllegalArgumentException e) {
                problems.add(path + "." + key, e.getMessage());
                return null;
            }
        }
        return g;
    }

    /** Entries of a list section, each parsed by {@code entry} (null: refused, its problems recorded). */
    private static <T> List<T> list(Object v, String section, String example, java.util.function.IntFunction<java.util.function.Function<Object, T>> entry,
                                    ConfigProblems problems) {
        List<T> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof List<?> l)) {
            problems.add(section, "must be a list like " + example);
            return out;
        }
        for (int i = 0; i < l.size(); i++) {
            T t = entry.apply(i).apply(l.get(i));
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o, String path, ConfigProblems problems) {
        if (o == null) {
            return Map.of(); // a section with only comments in it
        }
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        problems.add(path, "must be a map of key: value, not " + describe(o));
        return Map.of();
    }

    private static String scalar(Object o, String path, Interpolator interp, ConfigProblems problems) {
        if (o instanceof String || o instanceof Number || o instanceof Boolean) {
            return interpolate(o.toString(), path, interp, problems);
        }
        problems.add(path, "must be a single value, not " + describe(o));
        return null;
    }

    private static String interpolate(String s, String path, Interpolator interp, ConfigProblems problems) {
        try {
            String v = interp.apply(s);
            if (!v.equals(s)) { // from ${env:} or ${file:}: maybe a secret, never repeated in a message
                problems.hide(path, v, s);
            }
            return v;
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return null;
        }
    }

    private static String describe(Object o) {
        if (o == null) {
            return "nothing";
        }
        if (o instanceof Map) {
            return "a map";
        }
        if (o instanceof List) {
            return "a list";
        }
        return "'" + o + "'";
    }
}
