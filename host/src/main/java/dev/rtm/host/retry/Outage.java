package dev.rtm.host.retry;

import java.util.function.LongSupplier;

/**
 * Waiting out something that cannot be reached (the database, the schema registry), for as long as
 * it takes: the pause before the next try (0.5 s doubling to 15 s), how long the outage has lasted,
 * and when to say so in the log (at its first failure, then once every 30 s). The caller keeps the
 * try, decides which failures are worth waiting for, and writes its own log lines:
 *
 * <pre>{@code
 * Outage outage = new Outage();
 * while (true) {
 *     try {
 *         write();
 *         if (outage.ongoing()) {
 *             LOG.info("reachable again after {} s", outage.end() / 1000);
 *         }
 *         return;
 *     } catch (SQLException e) {
 *         if (!unreachable(e)) {
 *             throw e;
 *         }
 *         if (outage.failed()) {
 *             LOG.warn(outage.first() ? "unreachable: waiting" : "still unreachable after {} s", outage.millis() / 1000);
 *         }
 *         outage.pause(); // InterruptedException: the task is being stopped
 *     }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one per waiting thread. Cheap to keep while nothing fails (no allocation per try).
 */
public final class Outage {

    /** The first pause; it doubles after each try up to {@link #MAX_PAUSE_MILLIS}. */
    public static final long FIRST_PAUSE_MILLIS = 500;
    /** The longest pause between tries. */
    public static final long MAX_PAUSE_MILLIS = 15_000;
    /** How often {@link #failed()} asks for a log line while an outage lasts. */
    public static final long REPORT_EVERY_MILLIS = 30_000;

    /** Sleeps; a test's counts instead. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private boolean ongoing;
    private boolean first;
    private long startNanos;
    private long lastReportNanos;
    private long pauseMillis;

    /** An outage tracker on the system clock; no outage yet. */
    public Outage() {
        this(System::nanoTime, Thread::sleep);
    }

    Outage(LongSupplier nanoClock, Sleeper sleeper) {
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    /**
     * Records a failed try. Returns whether to log it: true for the failure that starts an outage
     * ({@link #first()}), then for one failure every {@value #REPORT_EVERY_MILLIS} ms.
     */
    public boolean failed() {
        long now = nanoClock.getAsLong();
        if (!ongoing) {
            ongoing = true;
            first = true;
            startNanos = now;
            lastReportNanos = now;
            pauseMillis = FIRST_PAUSE_MILLIS;
            return true;
        }
        first = false;
        if (now - lastReportNanos >= REPORT_EVERY_MILLIS * 1_000_000L) {
            lastReportNanos = now;
            return true;
        }
        return false;
    }

    /** Whether the last {@link #failed()} started the outage. */
    public boolean first() {
        return first;
    }

    /** Whether an outage is under way (a failure since the last {@link #end()}). */
    public boolean ongoing() {
        return ongoing;
    }

    /** How long the current outage has lasted, in milliseconds; 0 when there is none. */
    public long millis() {
        return ongoing ? (nanoClock.getAsLong() - startNanos) / 1_000_000L : 0;
    }

    /**
     * Sleeps before the next try: {@value #FIRST_PAUSE_MILLIS} ms after the first failure, doubling
     * each time up to {@value #MAX_PAUSE_MILLIS} ms.
     *
     * @throws InterruptedException when the thread is stopped meanwhile (the interrupt is consumed)
     */
    public void pause() throws InterruptedException {
        long p = ongoing ? pauseMillis : FIRST_PAUSE_MILLIS;
        sleeper.sleep(p);
        pauseMillis = Math.min(p * 2, MAX_PAUSE_MILLIS);
    }

    /** Ends the outage after a try that worked; returns how long it lasted in milliseconds (0 if none). */
    public long end() {
        long lasted = millis();
        ongoing = false;
        first = false;
        return lasted;
    }
}
