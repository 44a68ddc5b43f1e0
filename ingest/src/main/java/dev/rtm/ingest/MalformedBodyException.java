package dev.rtm.ingest;

/** A request body that is not what its endpoint takes; the message is one line for the client (HTTP 400). */
public final class MalformedBodyException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedBodyException(String message) {
        super(message);
    }
}
