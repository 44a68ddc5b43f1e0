package dev.rtm.host.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The back-off and log rhythm on a clock the test moves: no real waiting. */
class OutageTest {

    private long nanos = 1_000;
    private final List<Long> slept = new ArrayList<>();
    private final Outage outage = new Outage(() -> nanos, ms -> {
        slept.add(ms);
        nanos += ms * 1_000_000L;
    });

    @Test
    void pausesDoubleFromHalfASecondToFifteen() throws InterruptedException {
        for (int i = 0; i < 8; i++) {
            outage.failed();
            outage.pause();
        }
        assertThat(slept).containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 15_000L, 15_000L, 15_000L);
    }

    @Test
    void saysSoAtTheFirstFailureThenOnceEveryThirtySeconds() throws InterruptedException {
        List<Long> reportedAt = new ArrayList<>();
        while (nanos < 120_000_000_000L) {
            if (outage.failed()) {
                reportedAt.add(outage.millis());
                assertThat(outage.first()).isEqualTo(reportedAt.size() == 1);
            }
            outage.pause();
        }
        // tries at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 30.5, 45.5, 60.5, ... s: the first try 30 s after the last line
        assertThat(reportedAt).containsExactly(0L, 30_500L, 60_500L, 90_500L);
    }

    @Test
    void endSaysHowLongItLastedAndTheNextOutageStartsAfresh() throws InterruptedException {
        assertThat(outage.ongoing()).isFalse();
        assertThat(outage.millis()).isZero();
        outage.failed();
        outage.pause();
        outage.failed();
        outage.pause();
        assertThat(outage.ongoing()).isTrue();
        assertThat(outage.end()).isEqualTo(1_500L);
        assertThat(outage.ongoing()).isFalse();
        assertThat(outage.millis()).isZero();

        assertThat(outage.failed()).as("the next outage is said at once").isTrue();
        assertThat(outage.first()).isTrue();
        outage.pause();
        assertThat(slept).as("and its pauses start again at 0.5 s").containsExactly(500L, 1_000L, 500L);
    }

    @Test
    void anInterruptedPauseStopsTheWait() {
        Outage real = new Outage();
        real.failed();
        Thread.currentThread().interrupt();
        assertThatThrownBy(real::pause).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("the interrupt is consumed by the exception").isFalse();
    }
}
