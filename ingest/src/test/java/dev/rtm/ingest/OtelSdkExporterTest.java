package dev.rtm.ingest;

import dev.rtm.testing.KafkaRecords;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.local.KafkaBroker;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real OTLP client: the OpenTelemetry Java SDK (1.68) with its {@code OtlpHttpMetricExporter}
 * (protobuf over HTTP, the JDK HttpClient sender, gzip as a collector sends it) flushes a gauge and a
 * counter to {@code rtm ingest}'s server with the bearer token; they come out of a real Kafka broker
 * as one HostMetrics record, names and host mapped as documented. The same exporter with a wrong token
 * fails its export, and the server says 401 without showing either token.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OtelSdkExporterTest {

    static final String TOKEN = "otel-sdk-" + System.nanoTime();
    static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    @TempDir
    Path tmp;

    @Test
    void theSdksOtlpHttpExporterSendsAGaugeAndACounterThatArriveAsRtmRecords() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"))) {
            broker.createTopics(1, "metrics");
            try (IngestServer server = IngestServer.start(new IngestServer.Settings("127.0.0.1", 0,
                    TOKEN.getBytes(StandardCharsets.US_ASCII), 1 << 20), new KafkaOut(broker.bootstrap(), "metrics", null,
                    Duration.ofSeconds(10)), log::add)) {
                String endpoint = "http://127.0.0.1:" + server.port() + "/v1/metrics";
                Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(HOST_NAME, "otel-host-1",
                        SERVICE_NAME, "checkout")));

                long before = System.currentTimeMillis();
                CompletableResultCode ok = flush(endpoint, "Bearer " + TOKEN, resource, 0.75, 3);
                assertThat(ok.isSuccess()).as("the SDK's export to rtm ingest succeeded; ingest log: %s", log).isTrue();

                List<KafkaRecords.Rec> got = KafkaRecords.read(broker.bootstrap(), "metrics",
                        l -> merged(l).containsKey("load.1m") && merged(l).containsKey("checkout.requests./cart"), Duration.ofSeconds(60));
                assertThat(got).isNotEmpty().allSatisfy(r -> {
                    assertThat(r.host()).isEqualTo("otel-host-1"); // the resource's host.name
                    assertThat(r.key()).isEqualTo("otel-host-1");
                    assertThat(r.tags()).isEqualTo(Map.of("source", "otlp", "job", "checkout")); // service.name
                    assertThat(r.timestamp()).isBetween(before - 1_000, System.currentTimeMillis());
                });
                // the OpenTelemetry host-metrics name becomes the agent's; the counter keeps its name and attribute value
                assertThat(merged(got)).isEqualTo(Map.of("load.1m", 0.75, "checkout.requests./cart", 3.0));
                assertThat(server.stats().refused()).isZero();

                // the same exporter with a wrong token: the export fails, the server says why, no token is logged
                CompletableResultCode wrong = flush(endpoint, "Bearer not-the-token", resource, 1.0, 1);
                assertThat(wrong.isSuccess()).isFalse();
                assertThat(server.stats().refused()).isPositive();
                assertThat(log).anyMatch(l -> l.startsWith("401 ") && l.contains("wrong bearer token"))
                        .noneMatch(l -> l.contains(TOKEN) || l.contains("not-the-token"));
            }
        }
    }

    /** One SDK meter provider, its gauge and counter recorded once and flushed through the OTLP/HTTP exporter. */
    static CompletableResultCode flush(String endpoint, String authorization, Resource resource, double load, long requests) {
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint(endpoint)
                .addHeader("Authorization", authorization)
                .setCompression("gzip")
                .setTimeout(Duration.ofSeconds(10))
                .build();
        PeriodicMetricReader reader = PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build();
        SdkMeterProvider provider = SdkMeterProvider.builder().setResource(resource).registerMetricReader(reader).build();
        try {
            Meter meter = provider.get("dev.rtm.test");
            meter.gaugeBuilder("system.cpu.load_average.1m").buildWithCallback(m -> m.record(load));
            LongCounter counter = meter.counterBuilder("checkout.requests").build();
            counter.add(requests, Attributes.of(AttributeKey.stringKey("route"), "/cart"));
            return provider.forceFlush().join(30, TimeUnit.SECONDS);
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    /** Every metric of the records read, the last value of each. */
    static Map<String, Double> merged(List<KafkaRecords.Rec> records) {
        Map<String, Double> all = new TreeMap<>();
        records.forEach(r -> all.putAll(r.metrics()));
        return all;
    }
}
