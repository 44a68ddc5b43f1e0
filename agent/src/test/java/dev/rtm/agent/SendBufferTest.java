package dev.rtm.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.local.Poll;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The agent's buffer with no broker at all (a port nothing listens on, the real Kafka client): the
 * sampling side never waits, the buffer stays at its size by dropping the oldest, says so, and
 * stopping takes the bounded wait and says how many samples were not sent.
 */
class SendBufferTest {

    @Test
    void aSampleOfThisMachineTakesAboutTwentyFiveBytesAMetric() throws Exception {
        MachineSampler sampler = new MachineSampler();
        Map<String, Double> sample = sampler.sample();
        try (Publisher p = Publisher.untilDelivered("127.0.0.1:1", "metrics", null)) {
            int size = p.encode(sampler.hostName(), System.currentTimeMillis(), sample, Map.of("agent", "rtm")).size();
            System.out.printf("a sample of this machine: %d metrics, %d bytes encoded%n", sample.size(), size);
            assertThat((double) size / sample.size()).as("bytes a metric of one encoded sample (rtm.yaml says about 25)")
                    .isBetween(15.0, 40.0);
        }
    }

    @Test
    void withTheBrokerAwayTheBufferDropsTheOldestSaysSoAndStopsInBoundedTime() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        List<String> log = new CopyOnWriteArrayList<>();
        SendBuffer.Timings timings = new SendBuffer.Timings(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
        SendBuffer buffer = new SendBuffer(Publisher.untilDelivered("127.0.0.1:" + port, "metrics", null), 100, log::add, timings);
        long slowest = 0;
        long t = 1_700_000_000_000L;
        for (int i = 0; i < 500; i++) {
            long t0 = System.nanoTime();
            buffer.publish("h", t + i, Map.of("cpu.total_pct", (double) i), Map.of());
            slowest = Math.max(slowest, System.nanoTime() - t0);
        }
        assertThat(buffer.held()).isEqualTo(100);
        assertThat(buffer.dropped()).isEqualTo(400);
        assertThat(buffer.heldBytes()).isBetween(100L * 20, 100L * 200);
        Poll.until("the away and buffer-full lines", Duration.ofSeconds(10),
                () -> log.stream().anyMatch(l -> l.contains("has acknowledged nothing"))
                        && log.stream().anyMatch(l -> l.startsWith("buffer full (100 samples")));
        assertThat(log).anyMatch(l -> l.startsWith("Kafka broker at 127.0.0.1:" + port + " has acknowledged nothing for ")
                && l.contains("(127.0.0.1:" + port + ": Connection refused); holding samples in memory, up to 100 (agent.buffer-samples)"));
        String text = AgentMetrics.text(buffer.publisher(), buffer, 500);
        assertThat(text).contains("\nrtm_agent_samples_dropped_total 400\n", "\nrtm_agent_buffer_samples 100\n",
                "\nrtm_agent_buffer_capacity_samples 100\n", "# TYPE rtm_agent_buffer_bytes gauge\n");

        // more drops after the first line: counted in a line once a reportEvery
        for (int i = 500; i < 600; i++) {
            buffer.publish("h", t + i, Map.of("cpu.total_pct", (double) i), Map.of());
        }
        Poll.until("the count of dropped samples", Duration.ofSeconds(10),
                () -> log.stream().anyMatch(l -> l.startsWith("dropped 100 oldest samples in the last ")));
        assertThat(log).anyMatch(l -> l.matches("dropped 100 oldest samples in the last \\d+ s \\(500 in all\\); holding 100"));

        long c0 = System.nanoTime();
        buffer.close();
        double closeSecs = (System.nanoTime() - c0) / 1e9;
        System.out.printf("no broker: slowest publish %.2f ms, close %.1f s%n", slowest / 1e6, closeSecs);
        assertThat(closeSecs).as("seconds to stop with the broker away (stopWait 2 s)").isLessThan(5);
        assertThat(slowest).as("nanoseconds of the slowest publish").isLessThan(Duration.ofMillis(200).toNanos());
        assertThat(buffer.unsent()).isEqualTo(100);
        assertThat(buffer.publisher().failed()).isZero();
        assertThat(log).contains("stopping with 100 samples not sent: the Kafka broker at 127.0.0.1:" + port
                + " did not take them within 2 s");
        buffer.close(); // a second close (try-with-resources after an explicit one) changes nothing
        assertThat(buffer.unsent()).isEqualTo(100);
        assertThat(log).filteredOn(l -> l.startsWith("stopping with")).hasSize(1);
        Poll.until("the sender and watcher threads gone", Duration.ofSeconds(5),
                () -> Thread.getAllStackTraces().keySet().stream().noneMatch(th -> th.getName().startsWith("rtm-agent-")));
    }
}
