package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.local.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtm agent} against a real broker: agent.buffer-samples is read, and the closing line accounts for every sample. */
class AgentCliIT {

    @TempDir
    Path tmp;

    @Test
    void theAgentPublishesThroughItsBufferAndAccountsForEverySample() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"))) {
            broker.createTopics(1, "metrics");
            Path cfg = Files.writeString(tmp.resolve("rtm.yaml"),
                    "kafka: { bootstrap: \"" + broker.bootstrap() + "\" }\nagent: { buffer-samples: 500 }\n");
            Cli r = Cli.run("agent", "-c", cfg.toString(), "--duration", "3s", "--interval", "50ms", "--synthetic", "3",
                    "--anomalies", "0", "--no-local", "--metrics-port", "0");
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).containsPattern("rtm agent: published [1-9]\\d+ samples in [0-9.]+ s \\(\\d+/s\\), 0 failed, "
                    + "0 dropped \\(buffer full\\), 0 not sent at stop\n");
        }
    }
}
