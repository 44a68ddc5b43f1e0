package dev.rtm.local;

/**
 * A local service could not be started or reached. Its message is for the user (the CLI prints it
 * without a stack trace): what is missing and how to provide it.
 */
public class LocalServiceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message the whole message shown to the user */
    public LocalServiceException(String message) {
        super(message);
    }
}
