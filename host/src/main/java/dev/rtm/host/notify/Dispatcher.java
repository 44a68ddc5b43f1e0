package dev.rtm.host.notify;

import dev.rtm.host.retry.Outage;
import io.github.resilience4j.core.IntervalFunction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notify stage's loop: on each {@link #runOnce} it runs the {@link Grouper}, collects the
 * attempts that finished, and starts the next due notification on every idle {@link Channel}.
 *
 * <p>Lifecycle of a notification on a channel (the outbox row):
 * <ol>
 *   <li><b>created</b> pending by the Grouper, in the transaction that changed its group;</li>
 *   <li><b>deliver</b>: one attempt at a time per channel, in sequence order per group, through
 *       the channel's rate limit and circuit breaker, within its attempt timeout;</li>
 *   <li><b>retry and back off</b>: a retryable failure is tried again after the destination's
 *       Retry-After, or after exponential backoff (1 s doubling to 5 min) with full jitter; an open
 *       breaker postpones without counting an attempt;</li>
 *   <li><b>dead-letter</b>: a refusal (4xx other than 408/429), or failures for longer than
 *       {@code retry-for}, make it dead, logged with the reason; {@code rtm alerts retry} revives it;</li>
 *   <li><b>sent</b>: recorded with the receipt, in one transaction with the attempt. A crash
 *       between the destination's answer and that commit is the one case that sends twice; its
 *       idempotency key lets destinations that de-duplicate (PagerDuty) drop the copy.</li>
 * </ol>
 * Every attempt is a row of {@code notification_attempts}. Database errors are logged and the
 * loop goes on with a new connection: the job is never failed by the notify stage.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final IntervalFunction BACKOFF = IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5));

    /** Opens database connections (auto-commit off). */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    private record InFlight(Outbox.Due due, CompletableFuture<Channel.Attempt> attempt, long startNanos) {
    }

    private final Connector connector;
    private final Grouper grouper;
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private final Clock clock;
    private final Duration retryFor;
    private final Map<String, InFlight> inFlight = new LinkedHashMap<>();
    private Consumer<String> onSent = s -> { };
    private java.util.function.BiConsumer<String, String> onOutcome = (ch, o) -> { };
    private Connection conn;
    private Thread thread;
    private volatile boolean running;
    private final Object wake = new Object();

    public Dispatcher(Connector connector, Grouper grouper, List<Channel> channels, Clock clock, Duration retryFor) {
        this.connector = connector;
        this.grouper = grouper;
        channels.forEach(ch -> this.channels.put(ch.name(), ch));
        this.clock = clock;
        this.retryFor = retryFor;
    }

    /** Called with a line for each notification sent (the demo prints them). */
    public Dispatcher onSent(Consumer<String> listener) {
        this.onSent = listener;
        return this;
    }

    /**
     * Called on the loop's thread with the channel's name and the outcome of each attempt that
     * finished: {@code sent}, {@code retry} (failed, tried again later) or {@code dead}
     * (dead-lettered); an attempt a circuit breaker kept back is not one.
     */
    public Dispatcher onOutcome(java.util.function.BiConsumer<String, String> listener) {
        this.onOutcome = listener;
        return this;
    }

    /** The outcomes {@link #onOutcome} reports. */
    public static final List<String> OUTCOMES = List.of("sent", "retry", "dead");

    /** The channels' names, in config order. */
    public List<String> channelNames() {
        return List.copyOf(channels.keySet());
    }

    /** Starts the loop on its own daemon thread, one pass every {@code every} (sooner after {@link #wake()}). */
    public synchronized Dispatcher start(Duration every) {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                runOnce();
                synchronized (wake) {
                    try {
                        wake.wait(every.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }, "rtm-notify");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Asks the loop for a pass now (new alert events arrived). */
    public void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** One pass: group, collect finished attempts, start due ones. Never throws. */
    public synchronized void runOnce() {
        try {
            Connection c = connection();
            Instant now = clock.instant();
            grouper.tick(c, now);
            collect(c);
            for (Channel ch : channels.values()) {
                if (!inFlight.containsKey(ch.name())) {
                    Outbox.Due d = Outbox.next(c, ch.name(), clock.instant());
                    c.commit();
                    if (d != null) {
                        // a finished attempt wakes the loop, so a channel's next notification need not wait a pass
                        inFlight.put(ch.name(), new InFlight(d, ch.submit(d.notification()).whenComplete((a, e) -> wake()),
                                System.nanoTime()));
                    }
                }
            }
            if (failing.ongoing()) {
                LOG.info("notify: the database answers again after {} s; notifications go on", failing.end() / 1000);
            }
        } catch (SQLException | RuntimeException e) {
            if (failing.failed()) {
                if (failing.first()) {
                    LOG.warn("notify: {} (retrying every pass; said again every 30 s while it lasts)", e.getMessage());
                } else {
                    LOG.warn("notify: still failing after {} s: {}", failing.millis() / 1000, e.getMessage());
                }
            }
            closeConnection();
        }
    }

    /** Passes failing in a row (the next pass is the retry): when to say so. */
    private final Outage failing = new Outage();

    /** Whether attempts are under way. */
    public synchronized boolean busy() {
        return !inFlight.isEmpty();
    }

    private void collect(Connection c) throws SQLException {
        for (var it = inFlight.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Channel ch = channels.get(e.getKey());
            InFlight f = e.getValue();
            Channel.Attempt a;
            if (f.attempt().isDone()) {
                a = f.attempt().join();
            } else if (System.nanoTime() - f.startNanos() > ch.attemptTimeout().toNanos()) {
                f.attempt().cancel(true);
                a = ch.timedOut(f.startNanos());
            } else {
                continue;
            }
            settle(c, ch, f.due(), a);
            it.remove();
        }
    }

    private void settle(Connection c, Channel ch, Outbox.Due d, Channel.Attempt a) throws SQLException {
        Instant now = clock.instant();
        switch (a.outcome()) {
            case SENT -> {
                Outbox.record(c, d, a, "sent", now, null, "sent");
                String line = ch.name() + ": " + d.notification().status().name().toLowerCase() + " " + d.key()
                        + " (" + d.notification().alerts().size() + " alert(s)" + (d.notification().repeat() ? ", repeat" : "") + ") sent";
                LOG.debug("notify: {}", line);
                onOutcome.accept(ch.name(), "sent");
                onSent.accept(line);
            }
            case NOT_ATTEMPTED -> { } // breaker open: tried again on a later pass, no attempt counted
            case DEAD -> {
                Outbox.record(c, d, a, "dead", now, null, "dead");
                onOutcome.accept(ch.name(), "dead");
                LOG.warn("notify: {} to channel {} dead-lettered: {} (rtm alerts retry sends it again)", d.key(), ch.name(), a.error());
            }
            case RETRY -> {
                if (!now.isBefore(d.createdAt().plus(retryFor))) {
                    Outbox.record(c, d, a, "dead", now, null, "dead");
                    onOutcome.accept(ch.name(), "dead");
                    LOG.warn("notify: {} to channel {} dead-lettered after {} attempts over {}: {} (rtm alerts retry sends it again)",
                            d.key(), ch.name(), d.attempts() + 1, retryFor, a.error());
                } else {
                    Duration wait = a.retryAfter() != null ? a.retryAfter() : backoff(d.attempts() + 1);
                    Outbox.record(c, d, a, "pending", now, now.plus(wait), "retry");
                    onOutcome.accept(ch.name(), "retry");
                    LOG.info("notify: {} to channel {} failed ({}); attempt {} in {} ms", d.key(), ch.name(), a.error(),
                            d.attempts() + 2, wait.toMillis());
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * At a stop: waits up to {@code limit} for the attempts under way and records their outcome,
     * so a notification a destination has just accepted is not sent again after a restart.
     */
    private void drain(Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < end) {
            for (InFlight f : inFlight.values()) {
                try {
                    f.attempt().get(Math.max(1, end - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (Exception notYet) {
                    // timed out or failed: collect() settles it as such
                }
            }
            try {
                collect(connection());
            } catch (SQLException | RuntimeException e) {
                LOG.warn("notify: could not record {} attempt(s) under way at the stop: {}", inFlight.size(), e.getMessage());
                return;
            }
        }
    }

    /** Exponential backoff (resilience4j's) with full jitter: uniform between 0 and the exponential bound. */
    static Duration backoff(int attempt) {
        long bound = BACKOFF.apply(attempt);
        return Duration.ofMillis(Math.max(100, (long) (ThreadLocalRandom.current().nextDouble() * bound)));
    }

    private Connection connection() throws SQLException {
        if (conn == null || conn.isClosed()) {
            conn = connector.open();
            conn.setAutoCommit(false);
        }
        return conn;
    }

    private void closeConnection() {
        try {
            if (conn != null) {
                conn.close();
            }
        } catch (SQLException ignored) {
            // a new one next time
        }
        conn = null;
    }

    @Override
    public void close() {
        // Flink cancels a task by interrupting it: set the flag aside while the loop stops and the
        // attempts under way are recorded, then restore it
        boolean interrupted = Thread.interrupted();
        try {
            running = false;
            wake();
            if (thread != null) {
                thread.join(5000);
            }
            synchronized (this) {
                drain(Duration.ofSeconds(5));
                channels.values().forEach(Channel::close);
                closeConnection();
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
