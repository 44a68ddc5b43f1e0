package dev.rtm.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One or more bad config values. Each {@link Problem} names the key (relative to the section it
 * was found in; the host prefixes the path, e.g. {@code detectors.ewma.alpha}) and what is allowed.
 * Messages never contain a secret value.
 */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * One bad key.
     *
     * @param key the key, relative to its section
     * @param message what is wrong and what is allowed
     */
    public record Problem(String key, String message) {
        @Override
        public String toString() {
            return key + ": " + message;
        }
    }

    private final List<Problem> problems;

    /** @param problems at least one problem */
    public ConfigException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /** A single problem. */
    public ConfigException(String key, String message) {
        this(List.of(new Problem(key, message)));
    }

    /** Every problem found. */
    public List<Problem> problems() {
        return problems;
    }
}
