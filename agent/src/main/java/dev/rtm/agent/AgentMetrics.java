package dev.rtm.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * The agent's send metrics on {@code http://HOST:PORT/metrics} in Prometheus' text format, served by
 * the JDK's HTTP server (the agent takes no metrics library: the one the job's Flink reporter bundles
 * is an old simpleclient that another version beside it would clash with):
 * <ul>
 *   <li>{@code rtm_agent_samples_total}: samples taken (one per host per interval);</li>
 *   <li>{@code rtm_agent_records_sent_total}: records the broker acknowledged;</li>
 *   <li>{@code rtm_agent_records_failed_total}: records the broker refused or that timed out;</li>
 *   <li>{@code rtm_agent_send_seconds_sum} / {@code _count}: time from send to the broker's answer;</li>
 * </ul>
 * and with a {@link SendBuffer}:
 * <ul>
 *   <li>{@code rtm_agent_buffer_samples} / {@code _bytes}: samples held now (waiting, or sent and not yet
 *       acknowledged) and their encoded size;</li>
 *   <li>{@code rtm_agent_buffer_capacity_samples}: the buffer's size ({@code agent.buffer-samples});</li>
 *   <li>{@code rtm_agent_samples_dropped_total}: the oldest samples dropped because the buffer was full.</li>
 * </ul>
 */
public final class AgentMetrics implements AutoCloseable {

    private final HttpServer server;

    private AgentMetrics(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves the metrics of {@code publisher} and {@code samples} on {@code port} (0: any free one) of
     * every interface.
     *
     * @throws IOException when the port cannot be bound
     */
    public static AgentMetrics start(int port, Publisher publisher, LongSupplier samples) throws IOException {
        return start(port, publisher, null, samples);
    }

    /** Serves the metrics of {@code buffer}, its publisher and {@code samples} on {@code port} (0: any free one). */
    public static AgentMetrics start(int port, SendBuffer buffer, LongSupplier samples) throws IOException {
        return start(port, buffer.publisher(), buffer, samples);
    }

    private static AgentMetrics start(int port, Publisher publisher, SendBuffer buffer, LongSupplier samples) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = text(publisher, buffer, samples.getAsLong()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rtm-agent-metrics");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new AgentMetrics(server);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    static String text(Publisher p, SendBuffer buffer, long samples) {
        StringBuilder sb = new StringBuilder();
        counter(sb, "rtm_agent_samples_total", "Samples the agent took (one per host per interval).", samples);
        counter(sb, "rtm_agent_records_sent_total", "Records the Kafka broker acknowledged.", p.sent());
        counter(sb, "rtm_agent_records_failed_total", "Records the Kafka broker refused or that timed out.", p.failed());
        sb.append("# HELP rtm_agent_send_seconds Time from send to the broker's answer.\n")
                .append("# TYPE rtm_agent_send_seconds summary\n")
                .append(String.format(Locale.ROOT, "rtm_agent_send_seconds_sum %.9f%n", p.answerNanos() / 1e9))
                .append("rtm_agent_send_seconds_count ").append(p.sent() + p.failed()).append('\n');
        if (buffer != null) {
            gauge(sb, "rtm_agent_buffer_samples", "Samples the agent holds: waiting for Kafka, or sent and not yet acknowledged.",
                    buffer.held());
            gauge(sb, "rtm_agent_buffer_bytes", "Encoded bytes of the samples the agent holds.", buffer.heldBytes());
            gauge(sb, "rtm_agent_buffer_capacity_samples", "Samples the agent holds at most (agent.buffer-samples).",
                    buffer.capacity());
            counter(sb, "rtm_agent_samples_dropped_total", "Oldest samples dropped because the buffer was full.", buffer.dropped());
        }
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
