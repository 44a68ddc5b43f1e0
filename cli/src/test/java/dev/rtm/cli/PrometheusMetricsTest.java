package dev.rtm.cli;

import dev.rtm.host.job.JobRunner;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.job.JobSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.testing.PluginJars;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import dev.rtm.local.KafkaBroker;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.sink.Schema;
import dev.rtm.recorder.HttpRecorder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The job's Prometheus endpoint (Flink's own reporter, {@code job.metrics-port}): the job runs on
 * the MiniCluster with Kafka, PostgreSQL and a webhook channel, takes points that run away at the end, a record
 * that is not Avro and a NaN, and its endpoint shows every metric the README lists, with the
 * labels and counts those inputs make. An agent beside it serves its send metrics. Then a real
 * Prometheus (Debian's package) scrapes both and its HTTP API answers for the same series.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class PrometheusMetricsTest {

    /**
     * The metric names the job exports that the README and the rtm-health dashboard use; each one
     * is checked on a real scrape here, and the dashboard's queries are checked against this list.
     */
    public static final List<String> METRICS = List.of(
            "flink_taskmanager_job_task_operator_numRecordsIn",
            "flink_taskmanager_job_task_operator_numRecordsOut",
            "flink_taskmanager_job_task_operator_recordsDecoded",
            "flink_taskmanager_job_task_operator_deadLetters",
            "flink_taskmanager_job_task_operator_reason_deadLettersByReason",
            "flink_taskmanager_job_task_operator_model_pointsScored",
            "flink_taskmanager_job_task_operator_model_scoringLatencyNanos",
            "flink_taskmanager_job_task_operator_latePointsDropped",
            "flink_taskmanager_job_task_operator_detectorFailures",
            "flink_taskmanager_job_task_operator_detectorOverruns",
            "flink_taskmanager_job_task_operator_quarantinedModels",
            "flink_taskmanager_job_task_operator_detectorStatesRefused",
            "flink_taskmanager_job_task_operator_warmUpSeries",
            "flink_taskmanager_job_task_operator_warmUpPoints",
            "flink_taskmanager_job_task_operator_rowsWritten",
            "flink_taskmanager_job_task_operator_batchLatencyMillis",
            "flink_taskmanager_job_task_operator_postgresOutageMillis",
            "flink_taskmanager_job_task_operator_channel_outcome_notifications",
            "flink_jobmanager_job_lastCheckpointDuration",
            "flink_jobmanager_job_numberOfCompletedCheckpoints",
            "flink_jobmanager_job_numberOfFailedCheckpoints",
            "flink_jobmanager_job_numRestarts",
            "flink_jobmanager_job_uptime");

    static final Path PROMETHEUS = Path.of(System.getProperty("rtm.test.prometheus", "/usr/bin/prometheus"));
    static final Duration WAIT = Duration.ofSeconds(90);
    static final int HOSTS = 2;
    static final int POINTS = 120;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path tmp;
    static KafkaBroker broker;
    static PostgresServer pg;
    static HttpRecorder receiver;
    static JobClient job;
    static int port;
    static dev.rtm.agent.Publisher publisher;
    static dev.rtm.agent.Agent agent;
    static dev.rtm.agent.AgentMetrics agentMetrics;
    static Thread agentThread;

    @BeforeAll
    static void startJob() throws Exception {
        tmp = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "prometheus-metrics-");
        broker = KafkaBroker.start(tmp.resolve("kafka"));
        pg = PostgresServer.start(tmp.resolve("pg"));
        receiver = HttpRecorder.start();
        try (Connection c = pg.connect()) {
            Schema.apply(c);
        }
        broker.createTopics(1, "metrics", "metrics-dlq", "agent-metrics");
        port = freePort();
        String yaml = "detectors: { ewma: {} }\n"
                + "job: { metrics-port: " + port + ", checkpoint-interval-ms: 500, checkpoint-dir: none }\n"
                + "alerts: { group-wait: 0s, group-interval: 1s }\n"
                + "channels:\n  ops: { type: webhook, url: \"" + receiver.url("/hook") + "\" }\n";
        Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma", "webhook-alert");
        RtmConfig cfg = ConfigLoader.parseText(yaml, null, System.getenv());
        JobSettings s = JobSettings.from(cfg).kafka(broker.bootstrap(), "prometheus-test").anomaliesTopic(null)
                .pluginsDir(plugins).postgres(new PostgresSettings(pg.url(), null, null, 100, Duration.ofMillis(100)))
                .forecasts(JobSettings.Forecasts.OFF).build();
        job = JobRunner.start(cfg, s, 1);
        long now = System.currentTimeMillis();
        WireFormat wire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
        try (var p = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < POINTS; i++) {
                for (int h = 1; h <= HOSTS; h++) {
                    // running away at the end: an alert still firing, so people are told
                    double cpu = 40 + 3 * Math.sin(i / 5.0) + (i >= POINTS - 6 ? 20 * Math.pow(2, i - (POINTS - 6)) : 0);
                    p.send(new ProducerRecord<>("metrics", ("web-" + h).getBytes(StandardCharsets.UTF_8), wire.encode(
                            Schemas.hostMetrics("web-" + h, now - (POINTS - i) * 5_000L, Map.of("cpu.total_pct", cpu), Map.of()))));
                }
            }
            p.send(new ProducerRecord<>("metrics", "junk".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8)));
            p.send(new ProducerRecord<>("metrics", "web-1".getBytes(StandardCharsets.UTF_8), wire.encode(
                    Schemas.hostMetrics("web-1", now, Map.of("cpu.total_pct", Double.NaN), Map.of())))).get();
        }
        // an agent publishing a simulated host every 100 ms to a topic of its own (the job's counts stay exact)
        publisher = new dev.rtm.agent.Publisher(broker.bootstrap(), "agent-metrics", null);
        agent = new dev.rtm.agent.Agent(publisher, null, List.of(new dev.rtm.agent.SyntheticHost("agent-1", 7, 8640, 0, 10_000)),
                Duration.ofMillis(100), null, null, line -> { });
        agentMetrics = dev.rtm.agent.AgentMetrics.start(0, publisher, agent::samples);
        agentThread = new Thread(agent, "agent");
        agentThread.start();
        // the run-away was told to people: the notify stage counted a sent notification
        try {
            receiver.awaitRequest(r -> r.bodyText().contains("\"status\":\"firing\""), WAIT);
        } catch (AssertionError e) {
            StringBuilder state = new StringBuilder();
            try (Connection c = pg.connect(); var st = c.createStatement()) {
                for (String t : List.of("metrics", "anomaly_scores", "alerts", "alert_events", "notifications")) {
                    try (var rs = st.executeQuery("SELECT count(*) FROM " + t)) {
                        rs.next();
                        state.append(t).append('=').append(rs.getLong(1)).append(' ');
                    }
                }
            }
            throw new AssertionError("no notification reached the receiver; job " + job.getJobStatus().get() + ", rows: " + state, e);
        }
    }

    @AfterAll
    static void stopJob() throws Exception {
        try {
            if (agent != null) {
                agent.stop();
                agentThread.join(10_000);
                agentMetrics.close();
                publisher.close();
            }
            if (job != null) {
                // waits on the job's result: its status cannot be asked once the MiniCluster has shut down
                PrometheusRemoteWriteTest.stop(job);
            }
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {receiver, pg, broker}) {
                if (c != null) {
                    c.close();
                }
            }
            if (tmp != null) { // broker, database and Prometheus data: tens of MB
                try (var files = Files.walk(tmp)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    @Test
    void theEndpointShowsEveryListedMetricWithItsLabels() throws Exception {
        Predicate<List<Sample>> settled = samples -> names(samples).containsAll(METRICS)
                && sum(samples, "flink_taskmanager_job_task_operator_model_pointsScored", Map.of("model", "ewma")) == HOSTS * POINTS
                && sum(samples, "flink_taskmanager_job_task_operator_channel_outcome_notifications",
                        Map.of("channel", "ops", "outcome", "sent")) >= 1
                && sum(samples, "flink_jobmanager_job_numberOfCompletedCheckpoints", Map.of()) >= 1;
        List<Sample> samples = scrapeUntil(settled);
        assertThat(names(samples)).as("names on http://127.0.0.1:%d/metrics", port).containsAll(METRICS);

        assertThat(sum(samples, "flink_taskmanager_job_task_operator_model_pointsScored", Map.of("model", "ewma")))
                .as("every point scored by ewma").isEqualTo(HOSTS * POINTS);
        assertThat(sum(samples, "flink_taskmanager_job_task_operator_model_scoringLatencyNanos_count", Map.of("model", "ewma")))
                .as("one point in 64 timed, per series' subtask").isEqualTo(HOSTS * POINTS / 64);
        assertThat(samples).anyMatch(s -> s.name().equals("flink_taskmanager_job_task_operator_model_scoringLatencyNanos")
                && "0.99".equals(s.labels().get("quantile")) && s.value() > 0);
        assertThat(sum(samples, "flink_taskmanager_job_task_operator_reason_deadLettersByReason", Map.of("reason", "not_avro")))
                .isEqualTo(1);
        assertThat(sum(samples, "flink_taskmanager_job_task_operator_reason_deadLettersByReason", Map.of("reason", "bad_value")))
                .isEqualTo(1);
        assertThat(sum(samples, "flink_taskmanager_job_task_operator_deadLetters", Map.of())).isEqualTo(2);
        assertThat(sum(samples, "flink_taskmanager_job_task_operator_channel_outcome_notifications",
                Map.of("channel", "ops", "outcome", "dead"))).isZero();
        assertThat(sum(samples, "flink_taskmanager_job_task_operator_rowsWritten",
                Map.of("operator_name", "sink:_postgres_metrics:_Writer"))).isEqualTo(HOSTS * POINTS);
        assertThat(samples).anyMatch(s -> s.name().equals("flink_taskmanager_job_task_operator_batchLatencyMillis_count")
                && s.value() >= 1);
        assertThat(sum(samples, "flink_taskmanager_job_task_operator_numRecordsIn", Map.of("operator_name", "detect")))
                .isEqualTo(HOSTS * POINTS);
        assertThat(sum(samples, "flink_taskmanager_job_task_operator_quarantinedModels", Map.of())).isZero();
        assertThat(samples).anyMatch(s -> s.name().equals("flink_jobmanager_job_lastCheckpointDuration") && s.value() >= 0);
    }

    @Test
    void theAgentServesItsSendMetrics() throws Exception {
        String url = "http://127.0.0.1:" + agentMetrics.port() + "/metrics";
        long deadline = System.nanoTime() + WAIT.toNanos();
        String body;
        do {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            body = r.body();
        } while (!body.matches("(?s).*\nrtm_agent_records_sent_total [1-9].*") && System.nanoTime() < deadline);
        assertThat(body).containsPattern("\nrtm_agent_samples_total [1-9]")
                .containsPattern("\nrtm_agent_records_sent_total [1-9]")
                .contains("\nrtm_agent_records_failed_total 0\n")
                .contains("# TYPE rtm_agent_send_seconds summary\n")
                .containsPattern("\nrtm_agent_send_seconds_count [1-9]");
    }

    @Test
    void aRealPrometheusScrapesTheJobAndTheAgent() throws Exception {
        if (!Files.isExecutable(PROMETHEUS)) {
            if ("true".equals(System.getenv("CI"))) {
                fail(PROMETHEUS + " is missing: CI must install Debian's prometheus (see .ci/run)");
            }
            assumeTrue(false, PROMETHEUS + " is missing (apt-get install prometheus); skipped outside CI");
        }
        Path dir = Files.createDirectories(tmp.resolve("prometheus"));
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: rtm-job
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                  - job_name: rtm-agent
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port, agentMetrics.port()));
        int apiPort = freePort();
        Process prometheus = new ProcessBuilder(PROMETHEUS.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + apiPort)
                .redirectErrorStream(true).start();
        try {
            awaitReady(prometheus, dir.resolve("prometheus.log"));
            String api = "http://127.0.0.1:" + apiPort;
            JsonNode up = query(api, "up{job=\"rtm-job\"}", r -> r.size() == 1 && r.get(0).get("value").get(1).asText().equals("1"));
            assertThat(up.get(0).get("metric").get("instance").asText()).isEqualTo("127.0.0.1:" + port);
            JsonNode sentByAgent = query(api, "rtm_agent_records_sent_total{job=\"rtm-agent\"}",
                    r -> r.size() == 1 && r.get(0).get("value").get(1).asDouble() > 0);
            assertThat(sentByAgent.get(0).get("metric").get("instance").asText()).isEqualTo("127.0.0.1:" + agentMetrics.port());
            query(api, "rate(rtm_agent_send_seconds_count{job=\"rtm-agent\"}[5s]) > 0", r -> r.size() == 1);
            JsonNode scored = query(api, "sum by (model) (flink_taskmanager_job_task_operator_model_pointsScored)",
                    r -> r.size() == 1);
            assertThat(scored.get(0).get("metric").get("model").asText()).isEqualTo("ewma");
            assertThat(scored.get(0).get("value").get(1).asDouble()).isEqualTo(HOSTS * POINTS);
            JsonNode sent = query(api, "flink_taskmanager_job_task_operator_channel_outcome_notifications{outcome=\"sent\"}",
                    r -> r.size() == 1);
            assertThat(sent.get(0).get("metric").get("channel").asText()).isEqualTo("ops");
            assertThat(sent.get(0).get("value").get(1).asDouble()).isGreaterThanOrEqualTo(1);
            for (String name : METRICS) {
                JsonNode r = query(api, "count({__name__=\"" + name + "\", job=\"rtm-job\"})", x -> x.size() == 1);
                assertThat(r.get(0).get("value").get(1).asInt()).as(name).isPositive();
            }
            // every query of the job-health dashboard is valid PromQL and finds series, with Grafana's
            // variables as it expands them (all jobs, a rate interval of a few scrapes)
            JsonNode dashboard = JSON.readTree(Path.of("..", "grafana", "dashboards", "rtm-health.json").toFile());
            for (JsonNode panel : dashboard.get("panels")) {
                for (JsonNode t : panel.get("targets")) {
                    String expr = t.get("expr").asText().replace("$job", ".*").replace("$__rate_interval", "5s");
                    JsonNode r = query(api, expr, x -> x.size() > 0);
                    assertThat(r).as("panel '%s': %s", panel.get("title").asText(), expr).isNotEmpty();
                }
            }
        } finally {
            prometheus.destroy(); // SIGTERM to its PID
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(prometheus.isAlive()).isFalse();
        }
    }

    /** A line of the text exposition format: name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    static List<Sample> scrape() throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Files.writeString(Path.of("target", "prometheus-last-scrape.txt"), r.body()); // to read when an assertion fails
        List<Sample> out = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as("exposition line %s", line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return out;
    }

    static List<Sample> scrapeUntil(Predicate<List<Sample>> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Sample> samples = scrape();
        while (!done.test(samples) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            samples = scrape();
        }
        return samples;
    }

    static java.util.Set<String> names(List<Sample> samples) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The sum of a metric's samples whose labels include {@code match}. */
    static double sum(List<Sample> samples, String name, Map<String, String> match) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(match.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    static JsonNode query(String api, String promql, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode result;
        do {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("%s: %s", promql, r.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("status").asText()).isEqualTo("success");
            result = body.get("data").get("result");
            if (done.test(result)) {
                return result;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("Prometheus never answered " + promql + " as expected; last: " + result);
    }

    private static void awaitReady(Process p, Path log) throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 Writer out = Files.newBufferedWriter(log)) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.write(line + "\n");
                    out.flush();
                    if (line.contains("Server is ready to receive web requests")) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new IllegalStateException("Prometheus exited: " + p.waitFor()));
            } catch (IOException | InterruptedException e) {
                ready.completeExceptionally(e);
            }
        }, "prometheus-log");
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            fail("Prometheus did not start; its log:\n" + Files.readString(log), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
