package dev.rtm.ingest;

import dev.rtm.testing.KafkaRecords;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;
import dev.rtm.local.KafkaBroker;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xerial.snappy.Snappy;

/**
 * {@code rtm ingest}'s server against a real Kafka broker: a node_exporter-style remote-write body
 * (built with protobuf's CodedOutputStream and snappy, as Prometheus sends it) and OTLP requests
 * (JSON, gzip, protobuf built with the opentelemetry-proto classes) come back from the topic as
 * HostMetrics records with the documented names; refusals have their status and one-line reason.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class IngestServerTest {

    static final String TOKEN = "s3cret-token-123";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    static Path tmp;
    static KafkaBroker broker;
    static int topics;
    IngestServer server;
    String topic;
    final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        tmp = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ingest-");
        broker = KafkaBroker.start(tmp.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    void start(long maxBody) throws Exception {
        topic = "metrics-" + (++topics);
        broker.createTopics(1, topic);
        server = IngestServer.start(new IngestServer.Settings("127.0.0.1", 0, TOKEN.getBytes(StandardCharsets.US_ASCII), maxBody),
                new KafkaOut(broker.bootstrap(), topic, null, Duration.ofSeconds(10)), log::add);
    }

    @Test
    void aNodeExporterRemoteWriteBodyBecomesTheAgentsMetrics() throws Exception {
        start(1 << 20);
        long t = System.currentTimeMillis() - 1000;
        Map<String, String> node = Map.of("instance", "web-1:9100", "job", "node");
        List<byte[]> series = List.of(
                series("node_load1", node, new double[][] {{0.5, t}}),
                series("node_load15", node, new double[][] {{0.25, t}}),
                series("node_memory_MemAvailable_bytes", node, new double[][] {{2e9, t}}), // before its total
                series("node_memory_MemTotal_bytes", node, new double[][] {{8e9, t}}),
                series("node_cpu_seconds_total", with(node, "cpu", "0", "mode", "idle"), new double[][] {{100, t - 15_000}, {112, t}}),
                series("node_cpu_seconds_total", with(node, "cpu", "0", "mode", "user"), new double[][] {{40, t}}),
                series("node_filesystem_size_bytes", with(node, "mountpoint", "/", "device", "/dev/sda1", "fstype", "ext4"),
                        new double[][] {{1000, t}}),
                series("node_filesystem_avail_bytes", with(node, "mountpoint", "/", "device", "/dev/sda1", "fstype", "ext4"),
                        new double[][] {{400, t}}),
                series("node_boot_time_seconds", node, new double[][] {{t / 1000.0 - 3600, t}}),
                series("node_network_receive_bytes_total", with(node, "device", "eth0"), new double[][] {{12345, t}}),
                series("node_load5", Map.of("job", "node"), new double[][] {{9, t}}), // no host: dropped
                series("node_load5", node, new double[][] {{Double.longBitsToDouble(0x7ff0000000000002L), t}})); // stale marker
        HttpResponse<String> r = remoteWrite(Snappy.compress(writeRequest(series)), TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);

        List<KafkaRecords.Rec> got = KafkaRecords.read(broker.bootstrap(), topic,
                l -> l.stream().anyMatch(x -> x.timestamp() == t), WAIT);
        KafkaRecords.Rec at = got.stream().filter(x -> x.timestamp() == t).findFirst().orElseThrow();
        assertThat(at.key()).isEqualTo("web-1");
        assertThat(at.host()).isEqualTo("web-1");
        assertThat(at.tags()).isEqualTo(Map.of("source", "prometheus", "job", "node"));
        assertThat(at.metrics()).containsEntry("load.1m", 0.5).containsEntry("load.15m", 0.25)
                .containsEntry("mem.used_bytes", 6e9).containsEntry("mem.used_pct", 75.0)
                .containsEntry("node_memory_MemTotal_bytes", 8e9)
                .containsEntry("node_cpu_seconds_total.0.user", 40.0)
                .containsEntry("disk./.used_pct", 60.0)
                .containsEntry("uptime_s", 3600.0)
                .containsEntry("node_network_receive_bytes_total.eth0", 12345.0)
                .doesNotContainKeys("load.5m", "node_load1", "node_memory_MemAvailable_bytes");
        // idle went up 12 s in 15 s: the core was busy 20 % of the time
        assertThat(at.metrics().get("cpu.core0_pct")).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(got).allMatch(x -> x.host().equals("web-1"));
        assertThat(server.stats().dropped()).as("no host, a stale marker, the first idle sample").isEqualTo(3);
        assertThat(server.stats().samples()).isEqualTo(13);
    }

    @Test
    void refusalsHaveTheirStatusAndAOneLineReason() throws Exception {
        start(64 * 1024);
        byte[] good = Snappy.compress(writeRequest(List.of(series("up", Map.of("instance", "a:1"), new double[][] {{1, 1}}))));
        assertRefused(remoteWrite(good, null), 401, "no bearer token");
        assertRefused(remoteWrite(good, "wrong"), 401, "wrong bearer token");
        assertThat(log).noneMatch(l -> l.contains(TOKEN));

        byte[] big = new byte[100 * 1024];
        new java.util.Random(1).nextBytes(big);
        assertRefused(remoteWrite(big, TOKEN), 413, "the limit is 65536");
        // small on the wire, too large once decompressed
        assertRefused(remoteWrite(Snappy.compress(new byte[200 * 1024]), TOKEN), 413, "uncompressed");
        assertRefused(remoteWrite(new byte[] {0x05, 0x00}, TOKEN), 400, "not snappy-compressed");
        assertRefused(remoteWrite(Snappy.compress(new byte[] {0x0a, 0x7f, 0x01}), TOKEN), 400, "not a remote-write WriteRequest");
        byte[] noName = Snappy.compress(writeRequest(List.of(series(null, Map.of("instance", "a:1"), new double[][] {{1, 1}}))));
        assertRefused(remoteWrite(noName, TOKEN), 400, "no __name__");
        assertRefused(post("/v1/metrics", "text/plain", null, "x".getBytes(StandardCharsets.UTF_8), TOKEN), 415, "application/json");
        assertRefused(post("/v1/metrics", "application/json", null, "{\"resourceMetrics\":".getBytes(StandardCharsets.UTF_8), TOKEN),
                400, "not JSON");
        assertRefused(post("/v1/metrics", "application/x-protobuf", null, new byte[] {(byte) 0xff, 0x01}, TOKEN), 400,
                "not an OTLP ExportMetricsServiceRequest");
        assertRefused(post("/v1/metrics", "application/json", "gzip", gzip(new byte[300 * 1024]), TOKEN), 413, "uncompressed");
        assertRefused(post("/v1/metrics", "application/json", null, "{}".getBytes(StandardCharsets.UTF_8), null), 401, "bearer");
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/write")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(get, 405, "takes POST");
        assertThat(server.stats().refused()).isEqualTo(13);

        // none of that reached Kafka; the good body still does
        assertThat(remoteWrite(good, TOKEN).statusCode()).isEqualTo(204);
        List<KafkaRecords.Rec> got = KafkaRecords.read(broker.bootstrap(), topic, l -> !l.isEmpty(), WAIT);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).metrics()).isEqualTo(Map.of("up", 1.0));
        assertThat(got.get(0).host()).isEqualTo("a");
    }

    @Test
    void anOtlpJsonRequestGzippedBecomesRecords() throws Exception {
        start(1 << 20);
        long t = System.currentTimeMillis() - 2000;
        String json = """
                {"resourceMetrics":[{
                  "resource":{"attributes":[{"key":"host.name","value":{"stringValue":"db-1"}},
                                            {"key":"service.name","value":{"stringValue":"otelcol"}}]},
                  "scopeMetrics":[{"scope":{"name":"hostmetricsreceiver"},"metrics":[
                    {"name":"system.cpu.load_average.1m","unit":"{thread}","gauge":{"dataPoints":[
                      {"timeUnixNano":"%1$d000000","asDouble":1.5}]}},
                    {"name":"system.network.io","unit":"By","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[
                      {"attributes":[{"key":"device","value":{"stringValue":"eth0"}},{"key":"direction","value":{"stringValue":"receive"}}],
                       "timeUnixNano":"%1$d000000","asInt":"4096"}]}},
                    {"name":"http.server.duration","histogram":{"aggregationTemporality":2,"dataPoints":[
                      {"timeUnixNano":"%1$d000000","count":"3","sum":1.5}]}}
                  ]}]}]}
                """.formatted(t);
        HttpResponse<String> r = post("/v1/metrics", "application/json", "gzip", gzip(json.getBytes(StandardCharsets.UTF_8)), TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.at("/partialSuccess/rejectedDataPoints").asLong()).isEqualTo(1);
        assertThat(answer.at("/partialSuccess/errorMessage").asText()).contains("histogram");

        List<KafkaRecords.Rec> got = KafkaRecords.read(broker.bootstrap(), topic, l -> !l.isEmpty(), WAIT);
        assertThat(got).hasSize(1);
        KafkaRecords.Rec rec = got.get(0);
        assertThat(rec.host()).isEqualTo("db-1");
        assertThat(rec.timestamp()).isEqualTo(t);
        assertThat(rec.tags()).isEqualTo(Map.of("source", "otlp", "job", "otelcol"));
        assertThat(rec.metrics()).isEqualTo(Map.of("load.1m", 1.5, "system.network.io.eth0.receive", 4096.0));
    }

    @Test
    void anOtlpProtobufRequestBecomesRecords() throws Exception {
        start(1 << 20);
        long t = System.currentTimeMillis() - 3000;
        long nanos = t * 1_000_000L;
        ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("host.name", "cache-1")).addAttributes(kv("service.name", "app")))
                .addScopeMetrics(ScopeMetrics.newBuilder()
                        .addMetrics(Metric.newBuilder().setName("queue.depth").setGauge(Gauge.newBuilder()
                                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos).setAsInt(17)
                                        .addAttributes(kv("queue", "orders")))))
                        .addMetrics(Metric.newBuilder().setName("requests").setSum(Sum.newBuilder().setIsMonotonic(true)
                                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos).setAsDouble(250.5))))
                        .addMetrics(Metric.newBuilder().setName("latency").setHistogram(Histogram.newBuilder()
                                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(nanos).setCount(2))))))
                .build();
        HttpResponse<byte[]> r = HTTP.send(request("/v1/metrics", "application/x-protobuf", null, req.toByteArray(), TOKEN),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        ExportMetricsServiceResponse answer = ExportMetricsServiceResponse.parseFrom(r.body());
        assertThat(answer.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);

        List<KafkaRecords.Rec> got = KafkaRecords.read(broker.bootstrap(), topic, l -> !l.isEmpty(), WAIT);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).host()).isEqualTo("cache-1");
        assertThat(got.get(0).timestamp()).isEqualTo(t);
        assertThat(got.get(0).tags()).isEqualTo(Map.of("source", "otlp", "job", "app"));
        assertThat(got.get(0).metrics()).isEqualTo(Map.of("queue.depth.orders", 17.0, "requests", 250.5));
    }

    static void assertRefused(HttpResponse<String> r, int status, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains(reason).doesNotContain(TOKEN).endsWith("\n");
        assertThat(r.body().strip()).doesNotContain("\n");
    }

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new LinkedHashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A remote-write TimeSeries: labels (field 1: name 1, value 2), samples (field 2: value 1 double, timestamp 2 int64). */
    static byte[] series(String name, Map<String, String> labels, double[][] samples) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        Map<String, String> all = new java.util.TreeMap<>(labels);
        if (name != null) {
            all.put("__name__", name);
        }
        for (Map.Entry<String, String> e : all.entrySet()) {
            ByteArrayOutputStream l = new ByteArrayOutputStream();
            CodedOutputStream lo = CodedOutputStream.newInstance(l);
            lo.writeString(1, e.getKey());
            lo.writeString(2, e.getValue());
            lo.flush();
            out.writeByteArray(1, l.toByteArray());
        }
        for (double[] s : samples) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            CodedOutputStream so = CodedOutputStream.newInstance(b);
            so.writeDouble(1, s[0]);
            so.writeInt64(2, (long) s[1]);
            so.flush();
            out.writeByteArray(2, b.toByteArray());
        }
        out.flush();
        return buf.toByteArray();
    }

    /** A remote-write WriteRequest: timeseries (field 1). */
    static byte[] writeRequest(List<byte[]> series) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        for (byte[] s : series) {
            out.writeByteArray(1, s);
        }
        out.flush();
        return buf.toByteArray();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(buf)) {
            z.write(b);
        }
        return buf.toByteArray();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> remoteWrite(byte[] body, String token) throws Exception {
        return post("/api/v1/write", "application/x-protobuf", "snappy", body, token);
    }

    HttpResponse<String> post(String path, String type, String encoding, byte[] body, String token) throws Exception {
        return HTTP.send(request(path, type, encoding, body, token), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest request(String path, String type, String encoding, byte[] body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }
}
