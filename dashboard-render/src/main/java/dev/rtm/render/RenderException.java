package dev.rtm.render;

/**
 * A dashboard that cannot be drawn for a reason the user can fix (a variable with no values in the
 * range). Its message is for the user: the caller prints it without a stack trace.
 */
public class RenderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message the whole message shown to the user */
    public RenderException(String message) {
        super(message);
    }
}
