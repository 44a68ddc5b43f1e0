package dev.rtm.host.notify;

import dev.rtm.host.alert.AlertEvent;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.detect.DetectFunction;
import dev.rtm.host.plugin.PluginRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Hosts the notify stage inside the job, so it is deployed with it (local, standalone cluster,
 * application mode): one instance (parallelism 1) runs a {@link Dispatcher} on its own thread and
 * database connection. Alert events reach it through {@code alert_events} (written by the job's
 * sink); each one that passes here only wakes the loop early. Nothing flows back into the job, so
 * a slow or hanging channel cannot backpressure scoring.
 *
 * <p>Metrics: {@code notifications} with {@code channel} and {@code outcome} (sent, retry, dead)
 * labels, one counter per pair, registered at start so every channel shows from the first scrape.
 */
public final class NotifyFunction extends ProcessFunction<AlertEvent, Void> {

    private static final long serialVersionUID = 1L;

    /** How often the notify stage looks for new alert events and due notifications. */
    static final Duration PASS = Duration.ofMillis(250);

    private final String configYaml;
    private final String configOrigin;
    private final String pluginsDir;
    private final PostgresSettings postgres;
    private transient PluginRegistry registry;
    private transient Dispatcher dispatcher;

    public NotifyFunction(String configYaml, String configOrigin, String pluginsDir, PostgresSettings postgres) {
        this.configYaml = configYaml;
        this.configOrigin = configOrigin;
        this.pluginsDir = pluginsDir;
        this.postgres = postgres;
    }

    @Override
    public void open(OpenContext ctx) {
        RtmConfig cfg = ConfigLoader.parseText(configYaml, configOrigin == null ? null : Path.of(configOrigin), System.getenv());
        registry = PluginRegistry.acquire(DetectFunction.pluginsDir(getRuntimeContext(), pluginsDir));
        Dispatcher d = Dispatchers.create(cfg, registry, postgres, Clock.systemUTC());
        java.util.Map<String, org.apache.flink.metrics.Counter> counters = new java.util.HashMap<>();
        for (String channel : d.channelNames()) {
            org.apache.flink.metrics.MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("channel", channel);
            for (String outcome : Dispatcher.OUTCOMES) {
                counters.put(channel + '\u0000' + outcome, g.addGroup("outcome", outcome).counter("notifications"));
            }
        }
        // the loop's thread is the only one that counts
        dispatcher = d.onOutcome((channel, outcome) -> {
            org.apache.flink.metrics.Counter c = counters.get(channel + '\u0000' + outcome);
            if (c != null) {
                c.inc();
            }
        }).start(PASS);
    }

    @Override
    public void processElement(AlertEvent e, Context ctx, Collector<Void> out) {
        dispatcher.wake();
    }

    @Override
    public void close() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (registry != null) {
            registry.release();
        }
    }
}
