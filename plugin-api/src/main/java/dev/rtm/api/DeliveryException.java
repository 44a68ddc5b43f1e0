package dev.rtm.api;

import java.time.Duration;

/**
 * A notification was not delivered. The host retries with backoff when {@link #retryable()} is
 * true (honouring {@link #retryAfter()} when the destination said how long to wait) and otherwise
 * dead-letters it. The message must not contain secrets.
 */
public class DeliveryException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final Duration retryAfter;
    private final int httpStatus;

    /**
     * @param message what went wrong, with the destination's own error text when it gave one
     *        (e.g. "HTTP 404 from Slack: channel_not_found")
     * @param retryable whether trying again later may succeed (timeouts, 429, 5xx)
     * @param retryAfter how long the destination asked us to wait, or null
     * @param httpStatus the HTTP status the destination answered, or 0 when there was no answer
     */
    public DeliveryException(String message, boolean retryable, Duration retryAfter, int httpStatus) {
        super(message);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
        this.httpStatus = httpStatus;
    }

    /** Without an HTTP status. */
    public DeliveryException(String message, boolean retryable, Duration retryAfter) {
        this(message, retryable, retryAfter, 0);
    }

    /**
     * The usual mapping of an HTTP answer: 429 and 5xx are retryable (429 with its Retry-After),
     * other statuses are not.
     *
     * @param destination who answered, e.g. "Slack"
     * @param status the HTTP status
     * @param detail the destination's error text, or null; must not contain secrets
     * @param retryAfter the Retry-After the destination sent, or null
     */
    public static DeliveryException ofHttp(String destination, int status, String detail, Duration retryAfter) {
        boolean retry = status == 429 || status >= 500 || status == 408;
        String msg = "HTTP " + status + " from " + destination + (detail == null || detail.isBlank() ? "" : ": " + detail);
        return new DeliveryException(msg, retry, retryAfter, status);
    }

    /** Whether a later attempt may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** The wait the destination asked for, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The HTTP status of the answer, or 0 when there was none (timeout, connection refused). */
    public int httpStatus() {
        return httpStatus;
    }
}
