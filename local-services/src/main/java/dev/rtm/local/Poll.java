package dev.rtm.local;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Waiting until something holds, with a deadline: the one way the local services' launchers and
 * the tests wait for a process, a port, a row count or a log line. The condition is checked at once
 * and then every {@link #INTERVAL} (a poll interval, never a sleep that stands in for
 * synchronisation); an exception from it means "not yet" and is kept, so a timeout says what was
 * awaited, for how long and the last failure or value seen.
 *
 * <pre>{@code
 * Poll.until("rows before the outage", Duration.ofMinutes(2), () -> count(pg, "metrics") > 100);
 * Poll.untilReady("Kafka broker (log: " + log + ")", Duration.ofSeconds(120), process, () -> answers(admin));
 * JsonNode r = Poll.until("up{job=\"rtm\"} from Prometheus", WAIT, () -> query(api, "up"), x -> x.size() == 1);
 * }</pre>
 */
public final class Poll {

    /** How often a condition is checked. */
    public static final Duration INTERVAL = Duration.ofMillis(100);

    /** A condition that may throw while it cannot hold yet (connection refused, no such table, ...). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** A value read on each check; null or an exception means not there yet. */
    @FunctionalInterface
    public interface Probe<T> {
        T read() throws Exception;
    }

    private Poll() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param what what is awaited, for the timeout message ("rows before the outage")
     * @throws IllegalStateException when {@code timeout} passes first (naming {@code what} and the
     *     condition's last failure, which is also the cause), or when interrupted (interrupt flag kept)
     */
    public static void until(String what, Duration timeout, Condition condition) {
        until(what, timeout, null, () -> condition.holds() ? Boolean.TRUE : null, v -> true);
    }

    /**
     * As {@link #until(String, Duration, Condition)} for a process just started: fails at once,
     * with its exit code, when {@code process} exits before {@code ready} holds.
     */
    public static void untilReady(String what, Duration timeout, Process process, Condition ready) {
        until(what, timeout, process, () -> ready.holds() ? Boolean.TRUE : null, v -> true);
    }

    /**
     * Reads {@code probe} until its value passes {@code done}, and returns that value.
     *
     * @throws IllegalStateException when {@code timeout} passes first, naming {@code what} and the
     *     last value read (or the probe's last failure, also the cause)
     */
    public static <T> T until(String what, Duration timeout, Probe<T> probe, Predicate<? super T> done) {
        return until(what, timeout, null, probe, done);
    }

    private static <T> T until(String what, Duration timeout, Process process, Probe<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception failure = null;
        while (true) {
            try {
                last = probe.read();
                failure = null;
                if (last != null && done.test(last)) {
                    return last;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            } catch (Exception e) {
                failure = e;
            }
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(what + " exited with code " + process.exitValue() + " before it was ready");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(timedOut(what, timeout, last, failure), failure);
            }
            try {
                Thread.sleep(Math.max(1, Math.min(INTERVAL.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private static String timedOut(String what, Duration timeout, Object last, Exception failure) {
        String s = String.format(Locale.ROOT, "gave up waiting for %s after %s", what, seconds(timeout));
        if (failure != null) {
            return s + "; last failure: " + failure;
        }
        return last == null || last == Boolean.TRUE ? s : s + "; last value: " + last;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
