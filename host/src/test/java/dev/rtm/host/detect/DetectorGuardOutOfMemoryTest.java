package dev.rtm.host.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A detector whose call ran out of memory: quarantined on every series at once, reported once on
 * the series where it happened (and resolved there when it answers again), tried again after its
 * back-off, which doubles when it runs out again soon after, even if it answered well in between.
 */
class DetectorGuardOutOfMemoryTest {

    @Test
    void outOfMemoryQuarantinesTheModelEverywhereAndTheBackOffGrowsWhileItKeepsRunningOut() {
        AtomicLong now = new AtomicLong(1_000_000);
        try (DetectorGuard guard = new DetectorGuard(1_000, 2_000, now::get)) {
            DetectorGuard.Change c = guard.outOfMemory("h3", "m0", "h3\u0000m0", "hog", 42, 5_000_000,
                    new OutOfMemoryError("Java heap space"));
            assertThat(c).isEqualTo(new DetectorGuard.Change("h3", "m0", "hog", true, 42, 42, 5,
                    "ran out of memory (Java heap space)"));
            assertThat(c.outOfMemory()).isTrue();
            assertThat(guard.allowed("h0\u0000m1", "hog")).as("every series").isFalse();
            assertThat(guard.allowed("h0\u0000m1", "ewma")).as("other models").isTrue();
            assertThat(guard.outOfMemories()).isEqualTo(1);

            now.addAndGet(2_000);
            assertThat(guard.allowed("h0\u0000m1", "hog")).as("after its back-off").isTrue();
            assertThat(guard.succeeded("h0", "m1", "h0\u0000m1", "hog", 50)).as("not quarantined there on its own").isNull();
            DetectorGuard.Change back = guard.succeeded("h3", "m0", "h3\u0000m0", "hog", 51);
            assertThat(back.quarantined()).isFalse();
            assertThat(back.since()).isEqualTo(42);
            assertThat(back.outOfMemory()).as("the resolution keeps the cause").isTrue();

            now.addAndGet(5_000); // it leaked for 5 s after it came back: within 10 back-offs, so it waits 4 s
            assertThat(guard.outOfMemory("h3", "m0", "h3\u0000m0", "hog", 60, 0, new OutOfMemoryError("Java heap space")))
                    .isNotNull();
            now.addAndGet(3_999);
            assertThat(guard.allowed("h0\u0000m1", "hog")).isFalse();
            now.addAndGet(1);
            assertThat(guard.allowed("h0\u0000m1", "hog")).isTrue();

            now.addAndGet(10 * 4_000); // healthy for 10 back-offs: the next one starts again at 2 s
            guard.outOfMemory("h3", "m0", "h3\u0000m0", "hog", 70, 0, new OutOfMemoryError("Java heap space"));
            now.addAndGet(2_000);
            assertThat(guard.allowed("h0\u0000m1", "hog")).isTrue();

            assertThat(guard.outOfMemory(null, null, null, "hog", 0, 0, new OutOfMemoryError("Java heap space")))
                    .as("a snapshot that ran out: the model only, nothing to report").isNull();
            assertThat(guard.allowed("h0\u0000m1", "hog")).isFalse();
        }
    }
}
