package dev.rtm.api;

/** Thrown by {@link Detector#restore} when state bytes cannot be read by this plugin version. */
public class StateFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the bytes */
    public StateFormatException(String message) {
        super(message);
    }
}
