package dev.rtm.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated values for every key of a {@link ConfigSpec}, defaults filled in. Immutable.
 * Read a value with the key object: {@code settings.get(ALPHA)}.
 */
public final class Settings {

    private final ConfigSpec spec;
    private final Map<String, Object> values;

    Settings(ConfigSpec spec, Map<String, Object> values) {
        this.spec = spec;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The value of a key of this spec.
     *
     * @throws IllegalArgumentException if the key is not part of the spec these settings were made from
     */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        if (!spec.has(key.name())) {
            throw new IllegalArgumentException("'" + key.name() + "' is not a key of this spec");
        }
        return (T) values.get(key.name());
    }

    /** The spec these settings were validated against. */
    public ConfigSpec spec() {
        return spec;
    }

    /** Values as text for display, secrets replaced by {@code ******}. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigKey<?> k : spec.keys()) {
            out.put(k.name(), k.secret() ? "******" : String.valueOf(values.get(k.name())));
        }
        return out;
    }

    @Override
    public String toString() {
        return describe().toString();
    }
}
