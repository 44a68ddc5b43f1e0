package dev.rtm.cli;

import dev.rtm.host.RtmException;
import dev.rtm.agent.Agent;
import dev.rtm.agent.AgentMetrics;
import dev.rtm.agent.BrokerProbe;
import dev.rtm.agent.MachineSampler;
import dev.rtm.agent.Publisher;
import dev.rtm.agent.SendBuffer;
import dev.rtm.agent.SyntheticHost;
import dev.rtm.host.config.HostSettings;
import dev.rtm.host.config.RtmConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtm agent}: publishes this machine's metrics (and simulated hosts') to Kafka. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Sample this machine with OSHI every interval and publish one Avro record per host to the "
                + "config's kafka metrics topic, keyed by host. --synthetic adds simulated hosts with daily patterns "
                + "and injected anomalies (logged); --rate turns them into a load generator. An unreachable broker is said "
                + "within seconds and retried with a growing wait; with --duration, the agent gives up when it is over "
                + "(exit 2). A broker that goes away later: samples are held in memory (agent.buffer-samples of the config) "
                + "and sent in order when it is back; when the buffer is full the oldest are dropped, counted and logged. "
                + "Exit 1 when any sample did not reach Kafka."})
final class AgentCommand implements Callable<Integer> {

    @Mixin
    HostOptions host = new HostOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--interval", defaultValue = "5s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "sampling interval (default: ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = "--synthetic", defaultValue = "0", paramLabel = "N", description = "simulated hosts to add (default: ${DEFAULT-VALUE})")
    int synthetic;

    @Option(names = "--anomalies", defaultValue = "3", paramLabel = "K", description = "anomalies injected per simulated host (default: ${DEFAULT-VALUE})")
    int anomalies;

    @Option(names = "--rate", paramLabel = "SAMPLES/S", description = "total samples per second of the simulated hosts (load runs)")
    Double rate;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class, description = "stop after this long (default: until Ctrl-C)")
    Duration duration;

    @Option(names = "--no-local", description = "do not sample this machine")
    boolean noLocal;

    @Option(names = "--metrics-port", defaultValue = "9250", paramLabel = "PORT",
            description = "serve the agent's send metrics for Prometheus on http://HOST:PORT/metrics; 0: off (default: ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "seed of the simulated hosts (default: ${DEFAULT-VALUE})")
    long seed;

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RtmConfig cfg = host.loadConfig();
        var k = cfg.host().kafka();
        long horizon = duration == null ? 17_280 : Math.max(1, duration.toMillis() / Math.max(1, interval.toMillis()));
        if (rate != null && duration != null) {
            horizon = (long) (rate * duration.toSeconds() / Math.max(1, synthetic));
        }
        List<SyntheticHost> hosts = Agent.syntheticHosts(synthetic, seed, anomalies, horizon,
                Math.max(10, Duration.ofHours(1).toMillis() / Math.max(1, interval.toMillis())), Instant.now(), interval,
                line -> out.println("rtm agent: " + line));
        out.flush();
        awaitBroker(out, k.get(HostSettings.Kafka.BOOTSTRAP));
        java.util.function.Consumer<String> log = line -> {
            out.println("rtm agent: " + line);
            out.flush();
        };
        try (SendBuffer buffer = new SendBuffer(Publisher.untilDelivered(k.get(HostSettings.Kafka.BOOTSTRAP),
                k.get(HostSettings.Kafka.METRICS), HostSettings.orNull(k.get(HostSettings.Kafka.REGISTRY))),
                cfg.host().agent().get(HostSettings.Agent.BUFFER_SAMPLES), log)) {
            Agent agent = new Agent(buffer, noLocal ? null : new MachineSampler(), hosts, interval, rate, duration, log);
            AgentMetrics metrics = null;
            if (metricsPort != 0) {
                try {
                    metrics = AgentMetrics.start(metricsPort, buffer, agent::samples);
                    out.println("rtm agent: metrics on http://localhost:" + metrics.port() + "/metrics");
                } catch (java.io.IOException e) {
                    out.println("rtm agent: no metrics endpoint: port " + metricsPort + " is taken (" + e.getMessage()
                            + "); give another with --metrics-port, 0 for none");
                }
                out.flush();
            }
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            Thread stopper = new Thread(() -> { // Ctrl-C: stop sampling, and let the buffer be sent (a few seconds at most)
                agent.stop();
                try {
                    done.await(15, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
            });
            Runtime.getRuntime().addShutdownHook(stopper);
            long t0 = System.nanoTime();
            agent.run();
            buffer.close(); // waits a few seconds at most for what it holds
            Publisher pub = buffer.publisher();
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf(java.util.Locale.ROOT, "rtm agent: published %d samples in %.1f s (%.0f/s), %d failed, %d dropped (buffer full), "
                    + "%d not sent at stop%s%n", pub.sent(), secs, pub.sent() / secs, pub.failed(), buffer.dropped(), buffer.unsent(),
                    pub.lastError() == null ? "" : " (last error: " + pub.lastError() + ")");
            out.flush();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
            if (metrics != null) {
                metrics.close();
            }
            return pub.failed() + buffer.dropped() + buffer.unsent() == 0 ? 0 : 1;
        }
    }

    /**
     * Waits until the broker accepts connections, saying within seconds when it does not and
     * retrying with a doubling wait (1 s up to 30 s), each wait said; gives up when --duration is over.
     *
     * @throws RtmException naming the broker and why it is unreachable, when giving up
     */
    private void awaitBroker(PrintWriter out, String bootstrap) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        Duration wait = Duration.ofSeconds(1);
        int attempts = 0;
        String why;
        while ((why = BrokerProbe.unreachable(bootstrap, PROBE_TIMEOUT)) != null) {
            attempts++;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new RtmException(String.format(Locale.ROOT, "Kafka broker at %s unreachable (%s); gave up after %d "
                        + "attempts in %.0f s (kafka.bootstrap of the config; is the broker running?)", bootstrap, why, attempts,
                        (System.nanoTime() - start) / 1e9));
            }
            Duration pause = Duration.ofNanos(Math.min(wait.toNanos(), left));
            out.printf(Locale.ROOT, "rtm agent: Kafka broker at %s unreachable (%s); retrying in %.0f s%n", bootstrap, why,
                    Math.ceil(pause.toMillis() / 1000.0));
            out.flush();
            Thread.sleep(pause.toMillis());
            wait = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
        }
        if (attempts > 0) {
            out.println("rtm agent: Kafka broker at " + bootstrap + " reachable after " + attempts + " failed attempt(s)");
            out.flush();
        }
    }
}
