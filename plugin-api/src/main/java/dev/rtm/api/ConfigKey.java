package dev.rtm.api;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One config key of an extension: its name, type, default, allowed values and documentation.
 * Immutable; the refining methods ({@link #atLeast}, {@link #greaterThan}, ...) return copies.
 *
 * <pre>{@code
 * static final ConfigKey<Double> ALPHA = ConfigKey.number("alpha", 0.2, "smoothing factor")
 *         .greaterThan(0).atMost(1);
 * }</pre>
 *
 * @param <T> the Java type of the parsed value: Double, Integer, Boolean or String
 */
public final class ConfigKey<T> {

    /** The value types a key can have. */
    public enum Type {
        /** A finite floating point number. */
        NUMBER,
        /** A whole number that fits an int. */
        INTEGER,
        /** true or false. */
        BOOLEAN,
        /** Free text. */
        STRING,
        /** One of a fixed list of strings. */
        CHOICE
    }

    private final String name;
    private final Type type;
    private final T defaultValue;
    private final String doc;
    private final boolean secret;
    private final double min;
    private final boolean minInclusive;
    private final double max;
    private final boolean maxInclusive;
    private final List<String> choices;

    private ConfigKey(String name, Type type, T defaultValue, String doc, boolean secret,
                      double min, boolean minInclusive, double max, boolean maxInclusive, List<String> choices) {
        if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("config key names are lower-case words joined by '-': " + name);
        }
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.doc = Objects.requireNonNull(doc, "doc");
        this.secret = secret;
        this.min = min;
        this.minInclusive = minInclusive;
        this.max = max;
        this.maxInclusive = maxInclusive;
        this.choices = List.copyOf(choices);
    }

    /** A number key with a default. */
    public static ConfigKey<Double> number(String name, double defaultValue, String doc) {
        return new ConfigKey<>(name, Type.NUMBER, defaultValue, doc, false,
                Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, List.of());
    }

    /** An integer key with a default. */
    public static ConfigKey<Integer> integer(String name, int defaultValue, String doc) {
        return new ConfigKey<>(name, Type.INTEGER, defaultValue, doc, false,
                Integer.MIN_VALUE, true, Integer.MAX_VALUE, true, List.of());
    }

    /** A boolean key with a default. */
    public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String doc) {
        return new ConfigKey<>(name, Type.BOOLEAN, defaultValue, doc, false,
                Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, List.of());
    }

    /** A text key; {@code defaultValue} null makes it required. */
    public static ConfigKey<String> string(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, Type.STRING, defaultValue, doc, false,
                Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, List.of());
    }

    /** A key whose value is one of {@code choices}. */
    public static ConfigKey<String> choice(String name, String defaultValue, List<String> choices, String doc) {
        if (choices.isEmpty() || (defaultValue != null && !choices.contains(defaultValue))) {
            throw new IllegalArgumentException("default of " + name + " must be one of " + choices);
        }
        return new ConfigKey<>(name, Type.CHOICE, defaultValue, doc, false,
                Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, choices);
    }

    /**
     * A required secret text (a password, a webhook URL). Its value is never shown: not by
     * {@code rtm plugins}, not in errors, not in logs. Users give it as {@code ${env:NAME}} or
     * {@code ${file:/path}} in the config.
     */
    public static ConfigKey<String> secret(String name, String doc) {
        return new ConfigKey<>(name, Type.STRING, null, doc, true,
                Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, List.of());
    }

    /** An optional secret with an empty default (e.g. a password that may be blank). Never shown. */
    public static ConfigKey<String> optionalSecret(String name, String doc) {
        return new ConfigKey<>(name, Type.STRING, "", doc, true,
                Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, List.of());
    }

    /** Copy that requires {@code value >= bound}. */
    public ConfigKey<T> atLeast(double bound) {
        return new ConfigKey<>(name, type, checkedDefault(bound, true, max, maxInclusive), doc, secret,
                bound, true, max, maxInclusive, choices);
    }

    /** Copy that requires {@code value > bound}. */
    public ConfigKey<T> greaterThan(double bound) {
        return new ConfigKey<>(name, type, checkedDefault(bound, false, max, maxInclusive), doc, secret,
                bound, false, max, maxInclusive, choices);
    }

    /** Copy that requires {@code value <= bound}. */
    public ConfigKey<T> atMost(double bound) {
        return new ConfigKey<>(name, type, checkedDefault(min, minInclusive, bound, true), doc, secret,
                min, minInclusive, bound, true, choices);
    }

    /** Copy that requires {@code value < bound}. */
    public ConfigKey<T> lessThan(double bound) {
        return new ConfigKey<>(name, type, checkedDefault(min, minInclusive, bound, false), doc, secret,
                min, minInclusive, bound, false, choices);
    }

    private T checkedDefault(double lo, boolean loIn, double hi, boolean hiIn) {
        if (type != Type.NUMBER && type != Type.INTEGER) {
            throw new IllegalStateException("ranges apply to number and integer keys, not " + name);
        }
        if (defaultValue != null && !inRange(((Number) defaultValue).doubleValue(), lo, loIn, hi, hiIn)) {
            throw new IllegalArgumentException("default of " + name + " is outside its own range");
        }
        return defaultValue;
    }

    /** The key's name as written in the config file. */
    public String name() {
        return name;
    }

    /** The key's type. */
    public Type type() {
        return type;
    }

    /** The default, or null when the key is required. */
    public T defaultValue() {
        return defaultValue;
    }

    /** Whether the key must be given. */
    public boolean required() {
        return defaultValue == null;
    }

    /** Whether the value is a secret that must never be shown. */
    public boolean secret() {
        return secret;
    }

    /** What the key means, for humans. */
    public String doc() {
        return doc;
    }

    /** The allowed values of a {@link Type#CHOICE} key; empty otherwise. */
    public List<String> choices() {
        return choices;
    }

    /** Human description of the allowed values, e.g. {@code "a number in (0, 1]"}. */
    public String allowed() {
        switch (type) {
            case BOOLEAN:
                return "true or false";
            case STRING:
                return secret ? "a secret text, e.g. ${env:NAME} or ${file:/path}" : "a text";
            case CHOICE:
                return "one of " + String.join(", ", choices);
            default:
                String what = type == Type.INTEGER ? "an integer" : "a number";
                boolean hasMin = min != Double.NEGATIVE_INFINITY && !(type == Type.INTEGER && min == Integer.MIN_VALUE);
                boolean hasMax = max != Double.POSITIVE_INFINITY && !(type == Type.INTEGER && max == Integer.MAX_VALUE);
                if (hasMin && hasMax) {
                    return what + " in " + (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max) + (maxInclusive ? "]" : ")");
                } else if (hasMin) {
                    return what + (minInclusive ? " >= " : " > ") + fmt(min);
                } else if (hasMax) {
                    return what + (maxInclusive ? " <= " : " < ") + fmt(max);
                }
                return what;
        }
    }

    /** The default as text for listings ({@code "(required)"} when there is none). */
    public String defaultText() {
        if (secret) {
            return defaultValue == null ? "(secret, required)" : "(secret)";
        }
        return defaultValue == null ? "(required)" : String.valueOf(defaultValue);
    }

    /**
     * Converts a raw value from the config file (a String, Number or Boolean) to this key's type.
     *
     * @throws IllegalArgumentException naming the problem and the allowed values, never echoing a secret
     */
    @SuppressWarnings("unchecked")
    public T parse(Object raw) {
        if (raw == null) {
            throw problem(null, "a value is required");
        }
        switch (type) {
            case NUMBER: {
                double v = toDouble(raw);
                if (!Double.isFinite(v)) {
                    throw problem(raw, "is not a finite number");
                }
                checkRange(raw, v);
                return (T) Double.valueOf(v);
            }
            case INTEGER: {
                double v = toDouble(raw);
                if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw problem(raw, "is not an integer");
                }
                checkRange(raw, v);
                return (T) Integer.valueOf((int) v);
            }
            case BOOLEAN: {
                if (raw instanceof Boolean b) {
                    return (T) b;
                }
                String s = raw.toString().trim().toLowerCase(Locale.ROOT);
                if (s.equals("true") || s.equals("false")) {
                    return (T) Boolean.valueOf(s);
                }
                throw problem(raw, "is not true or false");
            }
            case CHOICE: {
                String s = raw.toString().trim();
                if (!choices.contains(s)) {
                    throw problem(raw, "is not allowed");
                }
                return (T) s;
            }
            default: {
                if (!(raw instanceof String || raw instanceof Number || raw instanceof Boolean)) {
                    throw problem(null, "must be a single value, not a list or a map");
                }
                String s = raw.toString();
                if (s.isBlank() && !(secret && "".equals(defaultValue))) {
                    throw problem(null, "is empty");
                }
                return (T) s;
            }
        }
    }

    private double toDouble(Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw problem(raw, "is not a number");
            }
        }
        throw problem(raw, "is not a number");
    }

    private void checkRange(Object raw, double v) {
        if (!inRange(v, min, minInclusive, max, maxInclusive)) {
            throw problem(raw, "is out of range");
        }
    }

    private static boolean inRange(double v, double lo, boolean loIn, double hi, boolean hiIn) {
        return (loIn ? v >= lo : v > lo) && (hiIn ? v <= hi : v < hi);
    }

    private IllegalArgumentException problem(Object raw, String what) {
        String shown = raw == null ? "value" : secret ? "value (hidden)" : quote(raw);
        return new IllegalArgumentException(shown + " " + what + "; allowed: " + allowed());
    }

    private static String quote(Object raw) {
        return raw instanceof String ? "'" + raw + "'" : String.valueOf(raw);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    @Override
    public String toString() {
        return name + " (" + allowed() + ", default " + (secret ? "hidden" : defaultText()) + ")";
    }
}
