package dev.rtm.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The config keys an extension accepts, in display order. {@link #validate} turns a raw config
 * section into {@link Settings}, reporting every bad key at once.
 */
public final class ConfigSpec {

    private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();

    private ConfigSpec(List<ConfigKey<?>> keys) {
        for (ConfigKey<?> k : keys) {
            if (this.keys.put(k.name(), k) != null) {
                throw new IllegalArgumentException("duplicate config key " + k.name());
            }
        }
    }

    /** A spec of the given keys. */
    public static ConfigSpec of(ConfigKey<?>... keys) {
        return new ConfigSpec(List.of(keys));
    }

    /** The keys in display order. */
    public List<ConfigKey<?>> keys() {
        return List.copyOf(keys.values());
    }

    /**
     * Checks a raw section (key to String/Number/Boolean) and fills in defaults.
     *
     * @throws ConfigException listing every unknown key, missing required key and bad value
     */
    public Settings validate(Map<String, ?> raw) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (String given : raw.keySet()) {
            if (!keys.containsKey(given)) {
                problems.add(new ConfigException.Problem(given,
                        "unknown key; allowed keys: " + (keys.isEmpty() ? "(none)" : String.join(", ", keys.keySet()))));
            }
        }
        for (ConfigKey<?> key : keys.values()) {
            Object rawValue = raw.get(key.name());
            if (rawValue == null && !key.required()) {
                values.put(key.name(), key.defaultValue());
                continue;
            }
            try {
                values.put(key.name(), key.parse(rawValue));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigException.Problem(key.name(), e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Settings(this, values);
    }

    /** The settings when nothing is configured (fails if a key is required). */
    public Settings defaults() throws ConfigException {
        return validate(Map.of());
    }

    /** Whether this spec has a key of that name. */
    public boolean has(String name) {
        return keys.containsKey(name);
    }

    @Override
    public String toString() {
        return keys.values().stream().map(ConfigKey::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
