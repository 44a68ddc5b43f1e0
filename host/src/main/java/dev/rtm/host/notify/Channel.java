package dev.rtm.host.notify;

import dev.rtm.api.Alerter;
import dev.rtm.api.DeliveryException;
import dev.rtm.api.Notification;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One destination of notifications: an {@link Alerter} behind the host's protections, all from
 * resilience4j: a rate limit ({@code rate-per-s}), a circuit breaker (opens when half of the last
 * 10 attempts failed in a way a retry may fix, tries one attempt after {@code breakerWait}), and
 * a hard time limit per attempt ({@code attempt-timeout}, enforced by the {@link Dispatcher}).
 * Attempts run on the channel's own thread, so a channel that hangs holds up nothing else; a
 * thread stuck past its limit is abandoned and replaced.
 */
public final class Channel implements AutoCloseable {

    /** How one attempt ended. */
    public enum Outcome {
        /** Accepted by the destination. */
        SENT,
        /** Not accepted; a later attempt may succeed. */
        RETRY,
        /** Not accepted and never will be: dead-letter it. */
        DEAD,
        /** The circuit breaker is open: no attempt was made. */
        NOT_ATTEMPTED
    }

    /**
     * One attempt's result.
     *
     * @param receipt the alerter's receipt (SENT), or null
     * @param error what went wrong, or null; never a secret
     * @param retryAfter the wait the destination asked for, or null
     */
    public record Attempt(Outcome outcome, String receipt, String error, int httpStatus, Duration retryAfter, double latencyMs) {
    }

    private final String name;
    private final String destination;
    private final Alerter alerter;
    private final Duration attemptTimeout;
    private final RateLimiter limiter;
    private final CircuitBreaker breaker;
    private ExecutorService worker;

    /**
     * @param destination what to show for it: the plugin and channel name, never a secret
     */
    public Channel(String name, String destination, Alerter alerter, double ratePerSecond, Duration attemptTimeout, Duration breakerWait) {
        this.name = name;
        this.destination = destination;
        this.alerter = alerter;
        this.attemptTimeout = attemptTimeout;
        long periodNanos = Math.max(1, Math.round(1e9 / ratePerSecond));
        this.limiter = RateLimiter.of("rtm-channel-" + name, RateLimiterConfig.custom()
                .limitForPeriod(1).limitRefreshPeriod(Duration.ofNanos(periodNanos)).timeoutDuration(attemptTimeout).build());
        this.breaker = CircuitBreaker.of("rtm-channel-" + name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(10)
                .minimumNumberOfCalls(4).failureRateThreshold(50).waitDurationInOpenState(breakerWait)
                .permittedNumberOfCallsInHalfOpenState(1).recordExceptions(DeliveryException.class)
                .ignoreExceptions(Refused.class).build());
        this.worker = newWorker();
    }

    /** A refusal that says nothing about the destination's health (a 4xx): not a breaker failure. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rtm-channel-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The channel's name. */
    public String name() {
        return name;
    }

    /** Where it sends, redacted. */
    public String destination() {
        return destination;
    }

    /** The longest an attempt may take. */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    /** The breaker's state, for logs and tests. */
    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    /** Starts one attempt on the channel's thread. */
    public CompletableFuture<Attempt> submit(Notification n) {
        return CompletableFuture.supplyAsync(() -> attempt(n), worker);
    }

    private Attempt attempt(Notification n) {
        if (!breaker.tryAcquirePermission()) {
            return new Attempt(Outcome.NOT_ATTEMPTED, null, "circuit breaker open", 0, null, 0);
        }
        if (!limiter.acquirePermission()) {
            breaker.releasePermission();
            return new Attempt(Outcome.NOT_ATTEMPTED, null, "rate limit", 0, null, 0);
        }
        long start = System.nanoTime();
        try {
            String receipt = alerter.deliver(n);
            breaker.onSuccess(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            return new Attempt(Outcome.SENT, receipt, null, 200, null, ms(start));
        } catch (DeliveryException e) {
            if (e.retryable()) {
                breaker.onError(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS, e);
            } else {
                breaker.onError(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS, new Refused());
            }
            return new Attempt(e.retryable() ? Outcome.RETRY : Outcome.DEAD, null, e.getMessage(), e.httpStatus(), e.retryAfter(), ms(start));
        } catch (RuntimeException | LinkageError e) {
            breaker.onError(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS,
                    new DeliveryException(e.getClass().getSimpleName(), true, null));
            return new Attempt(Outcome.RETRY, null, "alerter failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), 0, null, ms(start));
        }
    }

    /** Records an attempt that did not answer in time and replaces the stuck thread. */
    public Attempt timedOut(long startNanos) {
        breaker.onError(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS,
                new DeliveryException("timeout", true, null));
        worker.shutdownNow();
        worker = newWorker();
        return new Attempt(Outcome.RETRY, null, "no answer within " + attemptTimeout.toMillis() + " ms", 0, null, ms(startNanos));
    }

    private static double ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            alerter.close();
        } catch (RuntimeException ignored) {
            // closing is best effort
        }
    }
}
