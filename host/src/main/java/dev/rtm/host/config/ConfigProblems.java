package dev.rtm.host.config;

import dev.rtm.host.RtmException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a config, each with its key path, and reports them all at once. */
public final class ConfigProblems {

    private final Path file;
    private final List<String> problems = new ArrayList<>();
    private final java.util.Map<String, java.util.Map<String, String>> hidden = new java.util.HashMap<>();

    /** @param file the config file, or null for built-in defaults */
    public ConfigProblems(Path file) {
        this.file = file;
    }

    /** Records that the value at {@code path} (e.g. {@code detectors.ewma.alpha}) is wrong. */
    public void add(String path, String message) {
        String shown = message;
        for (var h : hidden.getOrDefault(path, java.util.Map.of()).entrySet()) {
            shown = shown.replace(h.getKey(), h.getValue());
        }
        problems.add(path + ": " + shown);
    }

    /**
     * A value at {@code path} that came from {@code ${env:...}} or {@code ${file:...}}: a message
     * about that key shows {@code reference} (the text as written in the file) instead of it.
     */
    void hide(String path, String value, String reference) {
        if (!value.isBlank()) {
            hidden.computeIfAbsent(path, p -> new java.util.HashMap<>()).put(value, reference);
        }
    }

    /** Whether nothing was recorded. */
    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** @throws RtmException listing every problem, if there is any */
    public void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        String where = file == null ? "the built-in config" : "config " + file;
        throw new RtmException("invalid " + where + ":\n  - " + String.join("\n  - ", problems));
    }
}
