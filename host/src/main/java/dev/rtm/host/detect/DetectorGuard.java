package dev.rtm.host.detect;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time budget and quarantine for detector calls, one per detect subtask.
 *
 * <p>Detector calls run inline on the operator thread (a hand-off to another thread costs ~15 µs
 * per point on these machines, more than the whole of most detectors). Around each model's work
 * on a point ({@link #begin} … {@link #end}) the guard:
 * <ul>
 *   <li>measures the call; one that took longer than the budget (a model's first call on the
 *       subtask: {@link #FIRST_CALL_FACTOR} budgets, for native libraries loading and a first
 *       training) quarantines the (series, model):
 *       the model gives that series no rows until its back-off ends, then it is tried again (from
 *       its last good state) and the back-off doubles each time it fails again, up to
 *       {@link #MAX_BACKOFF_FACTOR} times the first;</li>
 *   <li>watches the call from a watchdog thread: once over budget, the operator thread is
 *       interrupted, so a plugin blocked in a sleep, a lock or I/O returns (with an exception,
 *       handled as a failure) instead of stopping the job; the interrupt never outlives the call.
 *       A plugin spinning in a loop that ignores interrupts cannot be stopped from inside the JVM:
 *       the watchdog says so in the log, naming it, every {@link #HANG_REPORT_MILLIS} ms;</li>
 *   <li>quarantines a model on every series of the subtask once it has overrun on
 *       {@link #MODEL_STRIKES} series in a row without a good call between, so a plugin that hangs on
 *       every series costs a few budgets, not one per series;</li>
 *   <li>quarantines a model on every series of the subtask at once when its call throws
 *       {@link OutOfMemoryError} ({@link #outOfMemory}): the heap is shared, so which series' model
 *       holds the memory cannot be told, and the caller drops the model's live detectors so the
 *       garbage collector can take back what they hold. A model that runs out of memory again
 *       within {@link #OOM_REPEAT_BACKOFFS} back-offs after its last such quarantine ended waits twice as
 *       long (the good calls a leaking model makes in between do not reset this back-off).</li>
 * </ul>
 * Quarantines live in the subtask, not in checkpoints: after a restart every model is tried again.
 */
public final class DetectorGuard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DetectorGuard.class);

    /** Series overruns in a row after which the model is quarantined on every series. */
    static final int MODEL_STRIKES = 3;
    /** The back-off grows to at most this many times the first. */
    static final int MAX_BACKOFF_FACTOR = 12;
    /** A model's first call on a subtask may take this many budgets (native libraries load, a first model trains). */
    static final int FIRST_CALL_FACTOR = 6;
    /** A model that runs out of memory again within this many back-offs after its last such quarantine waits twice as long. */
    static final int OOM_REPEAT_BACKOFFS = 10;
    /** How often a call that ignores its interrupt is reported. */
    static final long HANG_REPORT_MILLIS = 30_000;

    /** A quarantine starting or ending: what the alert path turns into a {@code detector} alert. */
    public record Change(String host, String metric, String model, boolean quarantined, long since, long at,
                         long tookMillis, String reason) {

        /** Whether the call that started the quarantine ran out of memory (else it overran its time budget). */
        public boolean outOfMemory() {
            return reason != null && reason.startsWith(OUT_OF_MEMORY);
        }
    }

    /** How the reason of an out-of-memory quarantine begins. */
    static final String OUT_OF_MEMORY = "ran out of memory";

    private final long budgetNanos;
    private final long backoffMillis;
    private final LongSupplier clock;
    private final Map<String, Quarantine> bySeries = new HashMap<>();
    private final Map<String, Strikes> byModel = new HashMap<>();
    private final Object lock = new Object();
    private final java.util.Set<String> used = new java.util.HashSet<>();
    private final Thread watchdog;

    // the call in flight, shared with the watchdog under lock
    private Thread caller;
    private String callModel;
    private String callSeries;
    private long callStart;
    private long callBudget;
    private boolean interrupted;
    private long lastHangReport;
    private volatile boolean closed;

    private long overruns;
    private long outOfMemories;

    private static final class Quarantine {
        long until;
        long backoff;
        long since;
        boolean outOfMemory;
    }

    private static final class Strikes {
        int inARow;
        long until;
        long backoff;
        long oomBackoff;
        long oomUntil;
    }

    /**
     * @param budgetMillis the longest one model's work on one point may take
     * @param backoffMillis first quarantine length; doubles on each repeat
     * @param clock milliseconds, for the quarantine times (the points' time is not used: a replay
     *        of old data would otherwise never leave quarantine)
     */
    public DetectorGuard(long budgetMillis, long backoffMillis, LongSupplier clock) {
        if (budgetMillis < 1 || backoffMillis < 0) {
            throw new IllegalArgumentException("budget must be >= 1 ms and back-off >= 0");
        }
        this.budgetNanos = budgetMillis * 1_000_000L;
        this.backoffMillis = backoffMillis;
        this.clock = clock;
        this.watchdog = new Thread(this::watch, "rtm-detector-watchdog");
        this.watchdog.setDaemon(true);
        this.watchdog.start();
    }

    /** Whether the model may run on the series now. */
    public boolean allowed(String series, String model) {
        long now = clock.getAsLong();
        Strikes s = byModel.get(model);
        if (s != null && now < s.until) {
            return false;
        }
        if (bySeries.isEmpty()) {
            return true; // the usual case: no key to build per point
        }
        Quarantine q = bySeries.get(series + '\u0000' + model);
        return q == null || now >= q.until;
    }

    /** Starts timing {@code model}'s work on {@code series}. */
    public void begin(String series, String model) {
        synchronized (lock) {
            caller = Thread.currentThread();
            callModel = model;
            callSeries = series;
            callStart = System.nanoTime();
            callBudget = used.add(model) ? budgetNanos * FIRST_CALL_FACTOR : budgetNanos;
            interrupted = false;
            lastHangReport = 0;
        }
    }

    /**
     * Ends the call begun last; clears an interrupt the watchdog sent it.
     *
     * @return how long it took, in nanoseconds
     */
    public long end() {
        long took;
        boolean wasInterrupted;
        synchronized (lock) {
            took = System.nanoTime() - callStart;
            wasInterrupted = interrupted;
            caller = null;
            callModel = null;
            callSeries = null;
        }
        if (wasInterrupted) {
            Thread.interrupted(); // the interrupt was for the plugin's call, not for Flink
        }
        return took;
    }

    /** Whether the call just ended, of this length, was over its budget (a model's first call has more). */
    public boolean over(long tookNanos) {
        synchronized (lock) {
            return tookNanos > callBudget;
        }
    }

    /**
     * Records an overrun (or a call the watchdog had to interrupt) and quarantines the (series,
     * model); returns the change to report, or null if the series was already quarantined.
     */
    public Change overran(String host, String metric, String series, String model, long at, long tookNanos) {
        overruns++;
        long now = clock.getAsLong();
        String key = series + '\u0000' + model;
        Quarantine q = bySeries.computeIfAbsent(key, k -> new Quarantine());
        boolean fresh = q.since == 0;
        q.backoff = q.backoff == 0 ? backoffMillis : Math.min(q.backoff * 2, backoffMillis * MAX_BACKOFF_FACTOR);
        q.until = now + q.backoff;
        if (fresh) {
            q.since = at;
        }
        Strikes s = byModel.computeIfAbsent(model, k -> new Strikes());
        s.inARow++;
        String reason = "took " + tookNanos / 1_000_000 + " ms, over its budget of " + budgetNanos / 1_000_000 + " ms";
        if ((s.inARow >= MODEL_STRIKES || s.backoff > 0) && now >= s.until) { // a model quarantined before, and not
            // healthy since, goes back at once
            s.backoff = s.backoff == 0 ? backoffMillis : Math.min(s.backoff * 2, backoffMillis * MAX_BACKOFF_FACTOR);
            s.until = now + s.backoff;
            s.inARow = 0;
            LOG.error("detector '{}' overran its time budget on {} series in a row ({}); it is quarantined on every "
                    + "series of this subtask for {} s, the other detectors go on", model, MODEL_STRIKES, reason, s.backoff / 1000);
        } else {
            LOG.warn("detector '{}' on {}/{} {}: quarantined on this series for {} s, the other detectors go on",
                    model, host, metric, reason, q.backoff / 1000);
        }
        return fresh ? new Change(host, metric, model, true, q.since, at, tookNanos / 1_000_000, reason) : null;
    }

    /**
     * Records a good call; returns the end of the series' quarantine to report, or null if it was
     * not quarantined.
     */
    public Change succeeded(String host, String metric, String series, String model, long at) {
        Strikes s = byModel.get(model);
        if (s != null) {
            s.inARow = 0;
            s.backoff = 0;
        }
        Quarantine q = bySeries.isEmpty() ? null : bySeries.remove(series + '\u0000' + model);
        if (q == null) {
            return null;
        }
        LOG.info("detector '{}' on {}/{} answers {}again: out of quarantine", model, host, metric,
                q.outOfMemory ? "" : "within its budget ");
        return new Change(host, metric, model, false, q.since, at, 0, q.outOfMemory ? OUT_OF_MEMORY + "; answers again"
                : "back within its budget");
    }

    /**
     * Records an {@link OutOfMemoryError} thrown in {@code model}'s call and quarantines the model on
     * every series of the subtask; the caller has already dropped its live detectors. With a
     * {@code series} (the call was on one point) that series is quarantined too, so the change is
     * reported there and ends when the model answers there again; null (a snapshot ran out): the
     * model only, nothing to report.
     *
     * @return the change to report, or null
     */
    public Change outOfMemory(String host, String metric, String series, String model, long at, long tookNanos, OutOfMemoryError e) {
        outOfMemories++;
        long now = clock.getAsLong();
        Strikes s = byModel.computeIfAbsent(model, k -> new Strikes());
        boolean again = s.oomBackoff > 0 && now - s.oomUntil < OOM_REPEAT_BACKOFFS * s.oomBackoff;
        s.oomBackoff = again ? Math.min(s.oomBackoff * 2, backoffMillis * MAX_BACKOFF_FACTOR) : backoffMillis;
        s.oomUntil = now + s.oomBackoff;
        s.until = Math.max(s.until, s.oomUntil);
        s.inARow = 0;
        String reason = OUT_OF_MEMORY + " (" + e.getMessage() + ")";
        LOG.error("detector '{}' {} {}: it is quarantined on every series of this subtask for {} s and its models in memory "
                + "are dropped so that what they hold can be reclaimed; the other detectors go on", model, reason,
                series == null ? "while saving its state" : "on " + printable(series), s.oomBackoff / 1000);
        if (series == null) {
            return null;
        }
        Quarantine q = bySeries.computeIfAbsent(series + '\u0000' + model, k -> new Quarantine());
        boolean fresh = q.since == 0;
        q.backoff = s.oomBackoff;
        q.until = s.oomUntil;
        if (fresh) {
            q.since = at;
            q.outOfMemory = true;
        }
        return fresh ? new Change(host, metric, model, true, q.since, at, tookNanos / 1_000_000, reason) : null;
    }

    /** Calls that ran out of memory so far. */
    public long outOfMemories() {
        return outOfMemories;
    }

    /** Overruns so far. */
    public long overruns() {
        return overruns;
    }

    /** (series, model) pairs quarantined now. */
    public int quarantined() {
        long now = clock.getAsLong();
        return (int) bySeries.values().stream().filter(q -> now < q.until).count();
    }

    private void watch() {
        long tick = Math.max(1, Math.min(budgetNanos / 4_000_000L, 100));
        while (!closed) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                if (caller == null) {
                    continue;
                }
                long running = System.nanoTime() - callStart;
                if (running <= callBudget) {
                    continue;
                }
                long ms = running / 1_000_000;
                if (!interrupted) {
                    interrupted = true;
                    LOG.warn("detector '{}' has been running for {} ms on {} (budget {} ms): interrupting it",
                            callModel, ms, printable(callSeries), callBudget / 1_000_000);
                    caller.interrupt();
                } else if (ms - lastHangReport >= HANG_REPORT_MILLIS) {
                    lastHangReport = ms;
                    LOG.error("detector '{}' has been running for {} s on {} and ignores interrupts: this subtask "
                            + "cannot go on until it returns; remove it from the config (detectors/select) and restart",
                            callModel, ms / 1000, printable(callSeries));
                }
            }
        }
    }

    private static String printable(String series) {
        return series == null ? "?" : series.replace('\u0000', '/');
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
    }
}
