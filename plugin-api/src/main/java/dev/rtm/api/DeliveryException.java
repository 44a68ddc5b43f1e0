package dev.rtm.api;

import java.time.Duration;

/**
 * An alert was not delivered. The host retries with backoff when {@link #retryable()} is true
 * (honouring {@link #retryAfter()} when the destination said how long to wait) and otherwise
 * records the failure. The message must not contain secrets.
 */
public class DeliveryException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final Duration retryAfter;

    /**
     * @param message what went wrong (e.g. "HTTP 503 from Slack")
     * @param retryable whether trying again later may succeed (timeouts, 429, 5xx)
     * @param retryAfter how long the destination asked us to wait, or null
     */
    public DeliveryException(String message, boolean retryable, Duration retryAfter) {
        super(message);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** Whether a later attempt may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** The wait the destination asked for, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
