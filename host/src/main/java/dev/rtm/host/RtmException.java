package dev.rtm.host;

/**
 * An error meant for the user: the CLI prints its message (no stack trace) and exits non-zero.
 * Messages name what was wrong (the file, the config key, the plugin) and never contain secrets.
 */
public class RtmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message the whole message shown to the user */
    public RtmException(String message) {
        super(message);
    }

    /** @param message the whole message shown to the user; {@code cause} is only for debugging */
    public RtmException(String message, Throwable cause) {
        super(message, cause);
    }
}
