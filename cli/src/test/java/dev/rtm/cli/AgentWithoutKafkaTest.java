package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent says within seconds that the broker is unreachable, retries visibly, and fails with the reason (issue 17, point 4). */
class AgentWithoutKafkaTest {

    @TempDir
    Path tmp;

    @Test
    void anUnreachableBrokerIsSaidRetriedAndTheExitNamesIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String broker = "127.0.0.1:" + port;
        Path cfg = Files.writeString(tmp.resolve("rtm.yaml"), "kafka: { bootstrap: \"" + broker + "\" }\n");
        long t0 = System.nanoTime();
        Cli r = Cli.run("agent", "-c", cfg.toString(), "--duration", "4s", "--no-local");
        double secs = (System.nanoTime() - t0) / 1e9;

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.USER_ERROR);
        assertThat(secs).as("seconds until the agent gave up").isLessThan(15);
        assertThat(r.out()).startsWith("rtm agent: Kafka broker at " + broker + " unreachable (" + broker + ": Connection refused); retrying in 1 s\n")
                .contains("; retrying in 2 s\n");
        assertThat(r.err()).startsWith("rtm: Kafka broker at " + broker + " unreachable (" + broker + ": Connection refused); gave up after ")
                .doesNotContain("\tat ");
    }
}
