package dev.rtm.host.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.LogCapture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What rtm's log says when checkpoints stop completing, and when they complete again. */
class CheckpointWatchTest {

    @Test
    void namesTheTimeoutOnlyWhenTheCheckpointOutlivedIt() {
        long[] now = {1_000};
        CheckpointWatch watch = new CheckpointWatch("file:///cp", 600_000, () -> now[0]);
        try (LogCapture logs = new LogCapture()) {
            watch.started(3, 1_000);
            now[0] += 200;
            watch.aborted(3); // a part of it failed, 0.2 s in
            watch.started(4, now[0]);
            now[0] += 600_000;
            watch.aborted(4); // outlived the timeout
            watch.aborted(5); // never reached this operator (e.g. its job was being cancelled)
            watch.started(6, now[0]);
            watch.completed(6);

            List<String> aborted = logs.lines("CheckpointWatch", "did not complete");
            assertThat(aborted).hasSize(3);
            assertThat(aborted.get(0)).contains("checkpoint 3 to file:///cp did not complete after 0.2 s: a part of it failed")
                    .doesNotContain("timeout").contains("1 in a row");
            assertThat(aborted.get(1)).contains("checkpoint 4 to file:///cp did not complete after 600.0 s (timeout 600 s): "
                    + "it outlived the checkpoint timeout").contains("2 in a row");
            assertThat(aborted.get(2)).contains("checkpoint 5 to file:///cp did not complete: a part of it failed")
                    .doesNotContain("timeout").contains("3 in a row");
            assertThat(logs.lines("CheckpointWatch", "checkpoint 6 completed")).singleElement().asString()
                    .contains("after 3 that did not: state is saved to file:///cp again");
        }
    }
}
