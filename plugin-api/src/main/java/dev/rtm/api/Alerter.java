package dev.rtm.api;

/**
 * Delivers alert transitions to one destination.
 *
 * <p>The host calls {@link #deliver} from one thread at a time per instance and owns retries,
 * exponential backoff, rate limiting and dead-lettering: an implementation makes exactly one
 * attempt per call and reports failure by throwing {@link DeliveryException}. It must never put a
 * secret (token, webhook URL) into an exception message or a log line.
 */
public interface Alerter extends AutoCloseable {

    /**
     * Makes one delivery attempt.
     *
     * @throws DeliveryException if the destination did not accept the alert
     */
    void deliver(Alert alert) throws DeliveryException;

    /** Releases resources (HTTP clients, ...). The default does nothing. */
    @Override
    default void close() {
    }
}
