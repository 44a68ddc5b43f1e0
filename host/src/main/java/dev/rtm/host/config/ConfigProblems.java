package dev.rtm.host.config;

import dev.rtm.host.RtmException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a config, each with its key path, and reports them all at once. */
public final class ConfigProblems {

    private final Path file;
    private final List<String> problems = new ArrayList<>();

    /** @param file the config file, or null for built-in defaults */
    public ConfigProblems(Path file) {
        this.file = file;
    }

    /** Records that the value at {@code path} (e.g. {@code detectors.ewma.alpha}) is wrong. */
    public void add(String path, String message) {
        problems.add(path + ": " + message);
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
