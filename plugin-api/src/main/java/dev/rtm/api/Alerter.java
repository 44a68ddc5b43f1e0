package dev.rtm.api;

/**
 * Delivers notifications to one destination (a Slack channel, a PagerDuty service, a webhook).
 *
 * <p>Lifecycle, all driven by the host:
 * <ol>
 *   <li><b>create</b>: {@link AlerterFactory#create} with validated settings, once per configured
 *       channel, at start-up; a missing secret or malformed URL is refused there, naming the key.</li>
 *   <li><b>deliver</b>: one call per attempt, from one thread at a time per instance. Make exactly
 *       one attempt and return, within the timeouts given in the settings.</li>
 *   <li><b>retry and back off</b>: the host's job, not the plugin's. When {@link #deliver} throws a
 *       {@link DeliveryException} marked retryable, the host tries the same notification again
 *       later (exponential backoff with jitter, or the {@link DeliveryException#retryAfter()} the
 *       destination asked for), under a per-channel rate limit and circuit breaker.</li>
 *   <li><b>dead-letter</b>: a non-retryable failure, or retries exhausted, puts the notification in
 *       the host's dead letters with the exception's message; {@code rtm alerts retry} sends it
 *       again later.</li>
 *   <li><b>close</b>: at shutdown.</li>
 * </ol>
 *
 * <p>An implementation must never put a secret (token, webhook URL, routing key) into an
 * exception message, a receipt or a log line.
 */
public interface Alerter extends AutoCloseable {

    /**
     * Makes one delivery attempt.
     *
     * @param notification what to send; {@link Notification#key()} is its idempotency key
     * @return a receipt to hand back in {@link Notification#previousReceipt()} of the group's later
     *         notifications (e.g. a message id to reply to), or null; never a secret
     * @throws DeliveryException if the destination did not accept it: retryable for timeouts, 429
     *         and 5xx, not retryable for other 4xx and refusals that will not change on a retry
     */
    String deliver(Notification notification) throws DeliveryException;

    /** Releases resources (HTTP clients, ...). The default does nothing. */
    @Override
    default void close() {
    }
}
