package dev.rtm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

    @Test
    void returnsOnceTheConditionHoldsFailuresBeforeThatMeaningNotYet() {
        AtomicInteger checks = new AtomicInteger();
        Poll.until("the third check", Duration.ofSeconds(10), () -> {
            if (checks.incrementAndGet() == 1) {
                throw new SQLException("connection refused");
            }
            return checks.get() >= 3;
        });
        assertThat(checks).hasValue(3);
    }

    @Test
    void aTimeoutNamesWhatWasAwaitedForHowLongAndTheLastFailure() {
        SQLException refused = new SQLException("connection refused");
        long start = System.nanoTime();
        assertThatThrownBy(() -> Poll.until("rows before the outage", Duration.ofMillis(300), () -> {
            throw refused;
        })).isInstanceOf(IllegalStateException.class).hasCause(refused)
                .hasMessage("gave up waiting for rows before the outage after 0.3 s; last failure: " + refused);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
    }

    @Test
    void aProbeReturnsTheFirstValueThatPassesAndATimeoutShowsTheLastValue() {
        AtomicInteger n = new AtomicInteger();
        assertThat(Poll.until("a count of 5", Duration.ofSeconds(10), n::incrementAndGet, v -> v >= 5)).isEqualTo(5);
        assertThatThrownBy(() -> Poll.until("a negative count", Duration.ofMillis(200), () -> 7, v -> v < 0))
                .hasMessage("gave up waiting for a negative count after 0.2 s; last value: 7");
    }

    @Test
    void aProcessThatExitsBeforeItIsReadyFailsAtOnceWithItsExitCode() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "exit 3").start();
        long start = System.nanoTime();
        assertThatThrownBy(() -> Poll.untilReady("sh (log: none)", Duration.ofMinutes(1), p, () -> false))
                .hasMessage("sh (log: none) exited with code 3 before it was ready");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void anInterruptEndsTheWaitAndKeepsTheFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Poll.until("never", Duration.ofMinutes(1), () -> false))
                    .hasMessage("interrupted while waiting for never");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
