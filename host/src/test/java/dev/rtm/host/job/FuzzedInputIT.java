package dev.rtm.host.job;

import static dev.rtm.testing.PacedProducer.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.testing.PluginJars;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.decode.MetricsValidator;
import dev.rtm.wire.SchemaRegistryClient;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import dev.rtm.local.ApicurioRegistry;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.Poll;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.sink.DeadLetterSink;
import dev.rtm.host.sink.Schema;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input beside good input, on real parts (Kafka broker, Apicurio registry, Flink
 * MiniCluster, PostgreSQL): truncated Avro, wrong magic bytes, unknown schema ids, valid Avro of
 * another schema (registered, and in single-object encoding), NaN/±∞, absurd timestamps, a record
 * at the broker's size limit, empty records, and hostile host and metric names. The job (allowed no
 * restart at all) stays RUNNING; every refused record is in {@code metrics-dlq} with its reason,
 * counted per kind; every accepted hostile name is stored verbatim; no log line carries a raw
 * control character. A 10 MB record is refused by the broker (message.max.bytes, 1 MB by default)
 * before it reaches the job: the producer's error is asserted.
 *
 * <p>Also compares the job's throughput of the same good records with and without the fuzz beside
 * them (two runs, one after the other, in this JVM), printing the ratio.
 *
 * <p>CI sends {@code rtm.fuzz.records} = 10 000 hostile records; {@code -Pfuzz-long} sends 10⁶.
 */
class FuzzedInputIT {

    static final int RECORDS = Integer.getInteger("rtm.fuzz.records", 10_000); // hostile records
    static final int GOOD = Math.max(30_000, RECORDS); // good records in each run
    static final int HOSTS = 10;
    static final int METRICS = 4;
    static final int LIMIT = MetricsValidator.MAX_NAME_BYTES;
    static final List<Name> NAMES = names();

    @TempDir
    Path tmp;

    /** A hostile name; {@code refused} is the end of the reason it is refused with, null when it must be stored. */
    record Name(String label, String value, String refused) {
    }

    static final String INVALID_UTF8 = "@@INVALID-UTF8@@"; // patched to bytes FF FE ... after encoding

    static List<Name> names() {
        Random r = new Random(13);
        StringBuilder random = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            random.append((char) ('!' + r.nextInt(94)));
        }
        String control = "has a control character \\(U\\+%s\\)";
        String tooLong = "is %d bytes long \\(at most " + LIMIT + "\\)";
        return List.of(
                new Name("sql quote", "it's; DROP TABLE metrics; --", null),
                new Name("sql injection", "Robert'); DROP TABLE students;--", null),
                new Name("double quotes", "double \"quoted\" name", null),
                new Name("backslashes", "back\\slash \\N \\t \\\\ end\\", null),
                new Name("copy null marker", "\\N", null),
                new Name("4-byte utf-8", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 host 🔥", null),
                new Name("limit in 4-byte utf-8", "😀".repeat(LIMIT / 4), null),
                new Name("limit in ascii", "a".repeat(LIMIT), null),
                new Name("format and lookup strings", "%s %n %x {} ${jndi:ldap://127.0.0.1/a} ${env:HOME}", null),
                new Name("right-to-left override", "\u202Eevil-txt.exe", null),
                new Name("zero width and bom", "zero\u200Bwidth\uFEFFbom", null),
                new Name("line separator", "line\u2028separator", null),
                new Name("cjk", "中文主机名-ホスト", null),
                new Name("word NULL", "NULL", null),
                new Name("combining accent", "e\u0301 combining", null),
                new Name("html", "<script>alert(1)</script>", null),
                new Name("replacement character", "a\uFFFDb", null),
                new Name("empty", "", "empty"),
                new Name("blank", "   ", "empty"),
                new Name("newline", "line\nFAKE ERROR injected into the log", String.format(control, "000A")),
                new Name("nul", "nul\u0000byte", String.format(control, "0000")),
                new Name("bell", "bell\u0007", String.format(control, "0007")),
                new Name("ansi escape", "\u001b[31mred\u001b[0m", String.format(control, "001B")),
                new Name("tab", "tab\there", String.format(control, "0009")),
                new Name("carriage return", "cr\rFAKE return", String.format(control, "000D")),
                new Name("delete", "del\u007f", String.format(control, "007F")),
                new Name("c1 next line", "nel\u0085", String.format(control, "0085")),
                new Name("10 kB repeated", "x".repeat(10_000), String.format(tooLong, 10_000)),
                new Name("10 kB random", random.toString(), String.format(tooLong, 10_000)),
                new Name("one byte over", "a".repeat(LIMIT + 1), String.format(tooLong, LIMIT + 1)),
                new Name("4-byte over", "😀".repeat(LIMIT / 4 + 1), String.format(tooLong, LIMIT + 4)),
                new Name("invalid utf-8", INVALID_UTF8, "is not valid UTF-8"));
    }

    /** The hostile kinds of the rotation, each with the reason its records must be refused with. */
    enum Kind {
        TRUNCATED("^corrupt Avro body: .*"),
        WRONG_MAGIC("^not an Avro message: starts with 0x[0-9a-f]{2}, expected .*"),
        UNKNOWN_SCHEMA_ID("^unknown schema id 9000\\d\\d \\(not in registry .*\\)$"),
        WRONG_SCHEMA_REGISTERED("^corrupt Avro body: .*"),
        WRONG_SCHEMA_SINGLE_OBJECT("^unknown schema fingerprint [0-9a-f]{16} \\(single-object encoding\\)$"),
        NAN("^metric v is NaN$"),
        INFINITY("^metric v is Infinity$"),
        MINUS_INFINITY("^metric v is -Infinity$"),
        NAN_BESIDE_GOOD("^metric bad is NaN \\(the other 1 values were kept\\)$"),
        FAR_FUTURE("^timestamp .* is more than PT5M in the future$"),
        FAR_PAST("^timestamp .* is more than PT168H in the past$"),
        NEGATIVE_TIME("^timestamp .* is more than PT168H in the past$"),
        EMPTY("^empty message$"),
        HOST_NAME(null),
        METRIC_NAME(null);

        final Pattern reason;

        Kind(String reason) {
            this.reason = reason == null ? null : Pattern.compile(reason, Pattern.DOTALL);
        }
    }

    /** One hostile record: its kind (for names, which name), bytes, and the reason pattern (null: it must be stored). */
    record Hostile(String kind, byte[] value, Pattern reason) {
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.MINUTES) // the 10^6 variant; every wait has its deadline
    void hostileRecordsAreDeadLetteredWithTheirReasonHostileNamesStoredVerbatimAndTheJobNeverFails() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             ApicurioRegistry registry = ApicurioRegistry.start(
                     Path.of(System.getProperty("rtm.test.apicurio", "target/rtm/apicurio")).toAbsolutePath(), tmp.resolve("registry"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            broker.createTopics(2, "clean", "fuzz");
            broker.createTopics(1, "metrics-dlq");
            SchemaRegistryClient client = new SchemaRegistryClient(registry.confluentUrl());
            WireFormat confluent = new WireFormat(Schemas.HOST_METRICS, client, "metrics-value");
            WireFormat plain = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
            int anomalyId = client.register("anomalies-value", Schemas.ANOMALY);
            long now = System.currentTimeMillis();
            List<Name> names = NAMES;

            // the same good records on both topics (hosts c-h* and f-h*), the fuzz interleaved on one of them
            Map<String, Integer> sent = new TreeMap<>();
            Map<String, Pattern> reasons = new HashMap<>();
            Map<String, Integer> storedHostNames = new HashMap<>(); // name -> records that must be stored
            Map<String, Integer> storedMetricNames = new HashMap<>();
            int nanBesideGood = 0;
            long produceStart = System.nanoTime();
            try (var p = producer(broker, Map.of())) {
                AtomicReference<Exception> failed = new AtomicReference<>();
                for (int i = 0; i < GOOD; i++) {
                    send(p, "clean", "c-h" + (i % HOSTS), good("c-h", i, now, i % 2 == 0 ? confluent : plain), failed);
                }
                Random rnd = new Random(42);
                for (int i = 0; i < Math.max(GOOD, RECORDS); i++) {
                    if (i < GOOD) {
                        send(p, "fuzz", "f-h" + (i % HOSTS), good("f-h", i, now, i % 2 == 0 ? confluent : plain), failed);
                    }
                    if (i < RECORDS) {
                        Hostile h = hostile(i, now, rnd, confluent, plain, anomalyId, names);
                        sent.merge(h.kind(), 1, Integer::sum);
                        reasons.put(h.kind(), h.reason());
                        if (h.kind().equals(Kind.NAN_BESIDE_GOOD.name())) {
                            nanBesideGood++;
                        }
                        if (h.reason() == null) {
                            Name n = names.get(nameIndex(i));
                            (Kind.values()[i % Kind.values().length] == Kind.HOST_NAME ? storedHostNames : storedMetricNames)
                                    .merge(n.value(), 1, Integer::sum);
                        }
                        // all on partition 0, in order: the hostile-name series' points arrive in time order (the detector skips late points)
                        p.send(new ProducerRecord<>("fuzz", 0, ("fz:" + h.kind() + ":" + i).getBytes(StandardCharsets.UTF_8), h.value()),
                                (md, e) -> {
                                    if (e != null) {
                                        failed.compareAndSet(null, e);
                                    }
                                });
                    }
                }
                p.flush();
                assertThat(failed.get()).as("every generated record accepted by the broker").isNull();
                // the largest record the broker takes (message.max.bytes, 1 MB by default): its dead letter carries
                // headers on top, so it must still fit into metrics-dlq
                byte[] near = nearLimit(p, now, plain, sent, reasons);
                assertThat(near.length).isGreaterThan(1_000_000);
            }
            // 10 MB: a producer that would send it meets the broker's refusal; nothing reaches the job
            try (var p = producer(broker, Map.of("max.request.size", 16 << 20, "buffer.memory", 64 << 20))) {
                byte[] tenMb = new byte[10 << 20];
                Arrays.fill(tenMb, (byte) 'x');
                assertThatThrownBy(() -> p.send(new ProducerRecord<>("fuzz", "fz:TEN_MB:0".getBytes(StandardCharsets.UTF_8),
                        tenMb)).get())
                        .as("the broker refuses a 10 MB record")
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RecordTooLargeException.class);
            }
            int hostile = sent.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("fuzz: %d good records (%d values) on each topic, %d hostile records beside them, produced in %.1f s%n",
                    GOOD, (long) GOOD * METRICS, hostile, (System.nanoTime() - produceStart) / 1e9);

            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
            String yaml = "detectors: { ewma: {} }\njob: { checkpoint-interval-ms: 2000, restart-attempts: 0 }\n";
            RtmConfig cfg = ConfigLoader.parseText(yaml, null, Map.of());

            // the clean run
            double clean;
            JobClient job = start(cfg, settings(broker, registry, pg, plugins, cfg, "clean"));
            try {
                clean = valuesPerSecond(job, pg, "c-h");
            } finally {
                stop(job);
            }

            // the fuzzed run, its log captured
            StringWriter logs = new StringWriter();
            WriterAppender capture = captureLogs(logs);
            double fuzzed;
            Map<String, List<String>> dead;
            try {
                job = start(cfg, settings(broker, registry, pg, plugins, cfg, "fuzz"));
                try {
                    fuzzed = valuesPerSecond(job, pg, "f-h");
                    long acceptedHostRows = storedHostNames.values().stream().mapToInt(Integer::intValue).sum();
                    long acceptedMetricRows = storedMetricNames.values().stream().mapToInt(Integer::intValue).sum();
                    int expectedDead = hostile - (int) acceptedHostRows - (int) acceptedMetricRows;
                    int keptBeside = nanBesideGood;
                    awaitRunning(job, "every hostile record handled", Duration.ofMinutes(10), () ->
                            count(pg, "SELECT count(*) FROM metrics WHERE metric = 'hostile-host-probe'") == acceptedHostRows
                                    && count(pg, "SELECT count(*) FROM metrics WHERE host = 'fz-names'") == acceptedMetricRows
                                    && count(pg, "SELECT count(*) FROM metrics WHERE host = 'fz-nan'") == keptBeside
                                    && deadLetterEnd(broker) >= expectedDead);
                    try {
                        awaitRunning(job, "every hostile name scored", Duration.ofMinutes(1), () -> count(pg,
                                "SELECT count(*) FROM anomaly_scores WHERE host = 'fz-names' OR metric = 'hostile-host-probe'")
                                == acceptedHostRows + acceptedMetricRows);
                    } catch (IllegalStateException notYet) {
                        // the assertions below name the series without their scores
                    }
                    dead = readDeadLetters(broker);
                    assertThat(job.getJobStatus().get()).as("the job after the fuzz (no restart allowed)").isEqualTo(JobStatus.RUNNING);
                    assertThat(dead.values().stream().mapToInt(List::size).sum()).as("dead letters, none twice").isEqualTo(expectedDead);
                } finally {
                    stop(job);
                }
            } finally {
                release(capture);
            }

            // every refused record dead-lettered once, with the reason of its kind
            Map<String, Integer> deadByKind = new TreeMap<>();
            for (Map.Entry<String, List<String>> e : dead.entrySet()) {
                deadByKind.put(e.getKey(), e.getValue().size());
                Pattern want = reasons.get(e.getKey());
                assertThat(want).as("dead letters of kind %s, which must be stored", e.getKey()).isNotNull();
                assertThat(e.getValue()).as("reasons of kind %s", e.getKey()).allSatisfy(r -> assertThat(r).matches(want));
            }
            Map<String, Integer> expectedDeadByKind = new TreeMap<>();
            sent.forEach((k, n) -> {
                if (reasons.get(k) != null) {
                    expectedDeadByKind.put(k, n);
                }
            });
            printTable(sent, deadByKind, dead);
            assertThat(deadByKind).as("dead letters per kind = refused records sent per kind").isEqualTo(expectedDeadByKind);

            // every accepted hostile name stored verbatim, as many rows as records
            assertThat(namesWithCounts(pg, "SELECT host, count(*) FROM metrics WHERE metric = 'hostile-host-probe' GROUP BY host"))
                    .as("hostile host names stored, with their rows").isEqualTo(storedHostNames);
            assertThat(namesWithCounts(pg, "SELECT metric, count(*) FROM metrics WHERE host = 'fz-names' GROUP BY metric"))
                    .as("hostile metric names stored, with their rows").isEqualTo(storedMetricNames);
            assertThat(namesWithCounts(pg, "SELECT host, count(*) FROM anomaly_scores WHERE metric = 'hostile-host-probe' GROUP BY host"))
                    .as("hostile host names scored, each point").isEqualTo(storedHostNames);
            assertThat(namesWithCounts(pg, "SELECT metric, count(*) FROM anomaly_scores WHERE host = 'fz-names' GROUP BY metric"))
                    .as("hostile metric names scored, each point").isEqualTo(storedMetricNames);
            assertThat(count(pg, "SELECT count(*) FROM metrics WHERE host LIKE 'f-h%'")).as("every good value of the fuzzed run")
                    .isEqualTo((long) GOOD * METRICS);

            // no raw control character (nor an injected line) in the job's log
            List<String> lines = logs.toString().lines().toList();
            assertThat(lines).as("log lines").noneMatch(l -> l.chars().anyMatch(FuzzedInputIT::isControl))
                    .noneMatch(l -> l.startsWith("FAKE"));

            double ratio = fuzzed / clean;
            System.out.printf("fuzz: good values/s beside %d hostile records %.0f, clean %.0f: ratio %.2f; %d log lines, none with a "
                    + "control character%n", hostile, fuzzed, clean, ratio, lines.size());
            // a figure, not a pass mark: a short run on a shared 2-core machine varies too much to assert on
            // (0.39-0.68 seen); performance claims come from benchmarks (the 10^6 run of -Pfuzz-long reports it)
            assertThat(ratio).as("throughput of good records beside the fuzz vs clean").isPositive();
        }
    }

    private static boolean isControl(int c) {
        return c != '\t' && (c < 0x20 || (c >= 0x7f && c <= 0x9f));
    }

    private static int nameIndex(int i) {
        return (i / Kind.values().length) % NAMES.size();
    }

    private static JobSettings settings(KafkaBroker broker, ApicurioRegistry registry, PostgresServer pg, Path plugins, RtmConfig cfg,
                                        String topic) {
        return JobSettings.from(cfg).kafka(broker.bootstrap(), "fuzz-it-" + topic).metricsTopic(topic).anomaliesTopic(null)
                .registry(registry.confluentUrl()).pluginsDir(plugins)
                .postgres(new PostgresSettings(pg.url(), null, null, 5000, Duration.ofMillis(500)))
                .forecasts(JobSettings.Forecasts.OFF).build();
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker, Map<String, Object> extra) {
        Map<String, Object> cfg = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrap(), "acks", "1",
                "linger.ms", 20, "batch.size", 256 * 1024));
        cfg.putAll(extra);
        return new KafkaProducer<>(cfg, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> p, String topic, String key, byte[] value,
                             AtomicReference<Exception> failed) {
        p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), (md, e) -> {
            if (e != null) {
                failed.compareAndSet(null, e);
            }
        });
    }

    /** Good record {@code i}: host {@code prefix + i % HOSTS}, {@link #METRICS} values, distinct times per host. */
    private static byte[] good(String prefix, int i, long now, WireFormat wire) throws java.io.IOException {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int m = 0; m < METRICS; m++) {
            values.put("m" + m, 50 + 10 * Math.sin((i / HOSTS + m) / 30.0) + (i % 7) * 0.1);
        }
        return wire.encode(Schemas.hostMetrics(prefix + (i % HOSTS), now - 10_800_000L + (long) (i / HOSTS) * 10, values, Map.of()));
    }

    private static Hostile hostile(int i, long now, Random rnd, WireFormat confluent, WireFormat plain, int anomalyId,
                                   List<Name> names) throws java.io.IOException {
        Kind kind = Kind.values()[i % Kind.values().length];
        long ts = now - 3_600_000L + i; // distinct, within max-past
        byte[] base = confluent.encode(Schemas.hostMetrics("fz-base", ts, Map.of("v", 1.0), Map.of()));
        switch (kind) {
            case TRUNCATED:
                return new Hostile(kind.name(), Arrays.copyOf(base, 5 + rnd.nextInt(base.length - 5)), kind.reason);
            case WRONG_MAGIC: {
                byte[] b = base.clone();
                do {
                    b[0] = (byte) rnd.nextInt(256);
                } while (b[0] == 0 || b[0] == (byte) 0xC3);
                return new Hostile(kind.name(), b, kind.reason);
            }
            case UNKNOWN_SCHEMA_ID: {
                byte[] b = base.clone();
                java.nio.ByteBuffer.wrap(b, 1, 4).putInt(900_000 + i % 5);
                return new Hostile(kind.name(), b, kind.reason);
            }
            case WRONG_SCHEMA_REGISTERED: {
                byte[] body = avro(anomaly(ts));
                byte[] b = new byte[5 + body.length];
                java.nio.ByteBuffer.wrap(b).put((byte) 0).putInt(anomalyId).put(body);
                return new Hostile(kind.name(), b, kind.reason);
            }
            case WRONG_SCHEMA_SINGLE_OBJECT:
                return new Hostile(kind.name(), new WireFormat(Schemas.ANOMALY, null, "x").encode(anomaly(ts)), kind.reason);
            case NAN:
                return new Hostile(kind.name(), plain.encode(Schemas.hostMetrics("fz-nan", ts, Map.of("v", Double.NaN), Map.of())),
                        kind.reason);
            case INFINITY:
                return new Hostile(kind.name(), confluent.encode(Schemas.hostMetrics("fz-nan", ts,
                        Map.of("v", Double.POSITIVE_INFINITY), Map.of())), kind.reason);
            case MINUS_INFINITY:
                return new Hostile(kind.name(), confluent.encode(Schemas.hostMetrics("fz-nan", ts,
                        Map.of("v", Double.NEGATIVE_INFINITY), Map.of())), kind.reason);
            case NAN_BESIDE_GOOD: {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("ok", 1.0 + i % 3);
                m.put("bad", Double.NaN);
                return new Hostile(kind.name(), confluent.encode(Schemas.hostMetrics("fz-nan", ts, m, Map.of())), kind.reason);
            }
            case FAR_FUTURE: {
                long[] t = {now + 86_400_000L, now + 100L * 365 * 86_400_000L, Long.MAX_VALUE, 253_402_300_800_000L};
                return new Hostile(kind.name(), confluent.encode(Schemas.hostMetrics("fz-time", t[(i / Kind.values().length) % t.length],
                        Map.of("v", 1.0), Map.of())), kind.reason);
            }
            case FAR_PAST: {
                long[] t = {0, 1, now - 30L * 86_400_000L, -62_135_596_800_000L};
                return new Hostile(kind.name(), plain.encode(Schemas.hostMetrics("fz-time", t[(i / Kind.values().length) % t.length],
                        Map.of("v", 1.0), Map.of())), kind.reason);
            }
            case NEGATIVE_TIME: {
                long[] t = {-1, -86_400_000L, Long.MIN_VALUE};
                return new Hostile(kind.name(), confluent.encode(Schemas.hostMetrics("fz-time", t[(i / Kind.values().length) % t.length],
                        Map.of("v", 1.0), Map.of())), kind.reason);
            }
            case EMPTY:
                return new Hostile(kind.name(), new byte[0], kind.reason);
            case HOST_NAME: {
                int n = nameIndex(i);
                Name name = names.get(n);
                byte[] b = patch((i & 1) == 0 ? confluent : plain,
                        Schemas.hostMetrics(name.value(), ts, Map.of("hostile-host-probe", 1.0), Map.of()));
                return new Hostile("HOST_NAME " + n + " (" + name.label() + ")", b, name.refused() == null ? null
                        : Pattern.compile(name.refused().equals("empty") ? "^missing host$" : "^host \".*\" " + name.refused() + "$",
                                Pattern.DOTALL));
            }
            case METRIC_NAME: {
                int n = nameIndex(i);
                Name name = names.get(n);
                byte[] b = patch((i & 1) == 0 ? confluent : plain,
                        Schemas.hostMetrics("fz-names", ts, Map.of(name.value(), 1.0), Map.of()));
                return new Hostile("METRIC_NAME " + n + " (" + name.label() + ")", b, name.refused() == null ? null
                        : Pattern.compile(name.refused().equals("empty") ? "^a metric with an empty name$"
                                : "^metric \".*\" " + name.refused() + "$", Pattern.DOTALL));
            }
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /** The encoded record, with the placeholder {@link #INVALID_UTF8} (if any) made invalid UTF-8 (bytes FF FE). */
    private static byte[] patch(WireFormat wire, GenericRecord r) throws java.io.IOException {
        byte[] b = wire.encode(r);
        byte[] marker = INVALID_UTF8.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + marker.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + marker.length, marker, 0, marker.length)) {
                b[i] = (byte) 0xFF;
                b[i + 1] = (byte) 0xFE;
            }
        }
        return b;
    }

    private static GenericRecord anomaly(long ts) {
        GenericRecord a = new GenericData.Record(Schemas.ANOMALY);
        a.put("host", "fz-wrong-schema");
        a.put("metric", "v");
        a.put("model", "ewma");
        a.put("timestamp", ts);
        a.put("value", 1.0);
        a.put("score", 9.0);
        return a;
    }

    private static byte[] avro(GenericRecord r) throws java.io.IOException {
        var out = new java.io.ByteArrayOutputStream();
        var enc = org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(out, null);
        new org.apache.avro.generic.GenericDatumWriter<GenericRecord>(r.getSchema()).write(r, enc);
        enc.flush();
        return out.toByteArray();
    }

    /** Sends the largest garbage record the producer and broker take (searching down from 1 MB); returns it. */
    private static byte[] nearLimit(KafkaProducer<byte[], byte[]> p, long now, WireFormat plain, Map<String, Integer> sent,
                                    Map<String, Pattern> reasons) throws Exception {
        for (int size = 1 << 20; size > 900_000; size -= 64) {
            byte[] b = new byte[size];
            Arrays.fill(b, (byte) 'G');
            try {
                p.send(new ProducerRecord<>("fuzz", "fz:NEAR_LIMIT:0".getBytes(StandardCharsets.UTF_8), b)).get();
                sent.put("NEAR_LIMIT", 1);
                reasons.put("NEAR_LIMIT", Pattern.compile("^not an Avro message: starts with 0x47, .* "
                        + "\\(the dead letter keeps the first 65536 of its " + size + " bytes\\)$"));
                return b;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RecordTooLargeException)) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("no record near 1 MB was accepted");
    }

    /** Waits for every good value of the run (hosts {@code prefix*}) and returns values per second from the first row to the last. */
    private static double valuesPerSecond(JobClient job, PostgresServer pg, String prefix) {
        long expected = (long) GOOD * METRICS;
        String sql = "SELECT count(*) FROM metrics WHERE host LIKE '" + prefix + "%'";
        long[] first = {0, 0};
        awaitRunning(job, "the first " + prefix + "* row", Duration.ofMinutes(3), () -> {
            long n = count(pg, sql);
            if (n > 0) {
                first[0] = System.nanoTime();
                first[1] = n;
                return true;
            }
            return false;
        });
        awaitRunning(job, "every " + prefix + "* value stored", Duration.ofMinutes(20), () -> count(pg, sql) == expected);
        double s = (System.nanoTime() - first[0]) / 1e9;
        return (expected - first[1]) / s;
    }

    private static final Map<JobClient, java.util.concurrent.CompletableFuture<org.apache.flink.api.common.JobExecutionResult>>
            RESULTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Starts the job with parallelism 2, keeping its result (a failed MiniCluster job soon stops answering). */
    private static JobClient start(RtmConfig cfg, JobSettings s) throws Exception {
        JobClient job = JobRunner.start(cfg, s, 2);
        RESULTS.put(job, job.getJobExecutionResult());
        return job;
    }

    /** Waits for {@code ready}, failing at once if the job is not RUNNING (no restart is allowed). */
    private static void awaitRunning(JobClient job, String what, Duration timeout, BooleanSupplier ready) {
        Poll.until(what, timeout, () -> {
            var result = RESULTS.get(job);
            if (result.isDone()) {
                StringBuilder why = new StringBuilder();
                try {
                    result.get();
                } catch (Exception e) {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        why.append(" / ").append(t);
                    }
                }
                throw new AssertionError("the job ended while waiting for " + what + why);
            }
            return ready.getAsBoolean();
        });
    }

    /** Cancels the job if it still runs (a failed job's MiniCluster is gone already). */
    private static void stop(JobClient job) throws Exception {
        try {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        } catch (ExecutionException | IllegalStateException e) {
            // the job ended on its own; the assertion that noticed says why
        }
    }

    private static long deadLetterEnd(KafkaBroker broker) {
        try (var c = consumer(broker)) {
            TopicPartition tp = new TopicPartition("metrics-dlq", 0);
            return c.endOffsets(List.of(tp)).get(tp);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaBroker broker) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrap(), ConsumerConfig.GROUP_ID_CONFIG, "fuzz-dlq-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every dead letter up to the topic's end: reasons by kind (from the original key), checking no offset is there twice. */
    private static Map<String, List<String>> readDeadLetters(KafkaBroker broker) {
        Map<String, List<String>> out = new TreeMap<>();
        Set<String> offsets = new HashSet<>();
        try (var c = consumer(broker)) {
            TopicPartition tp = new TopicPartition("metrics-dlq", 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    String kind = key.substring(3, key.lastIndexOf(':'));
                    String where = new String(r.headers().lastHeader("rtm.dlq.partition").value(), StandardCharsets.UTF_8) + "@"
                            + new String(r.headers().lastHeader("rtm.dlq.offset").value(), StandardCharsets.UTF_8);
                    assertThat(offsets.add(where)).as("dead letter of %s once", where).isTrue();
                    out.computeIfAbsent(kind, k -> new ArrayList<>())
                            .add(new String(r.headers().lastHeader(DeadLetterSink.REASON).value(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static Map<String, Integer> namesWithCounts(PostgresServer pg, String sql) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = pg.connect(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }

    private static void printTable(Map<String, Integer> sent, Map<String, Integer> dead, Map<String, List<String>> reasons) {
        System.out.println("fuzz: kind | sent | dead-lettered | a reason");
        sent.forEach((k, n) -> {
            List<String> r = reasons.getOrDefault(k, List.of());
            String example = r.isEmpty() ? "(stored)" : r.get(0);
            System.out.printf("fuzz: %s | %d | %d | %s%n", k, n, dead.getOrDefault(k, 0),
                    example.length() > 120 ? example.substring(0, 120) + "…" : example);
        });
    }

    private static WriterAppender captureLogs(StringWriter into) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        WriterAppender a = WriterAppender.newBuilder().setName("capture-" + System.nanoTime()).setTarget(into)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %c %m %ex%n").build()).build();
        a.start();
        ctx.getConfiguration().addAppender(a);
        ctx.getConfiguration().getRootLogger().addAppender(a, Level.ALL, null);
        ctx.getConfiguration().getLoggerConfig("dev.rtm").addAppender(a, Level.ALL, null);
        ctx.updateLoggers();
        return a;
    }

    private static void release(WriterAppender a) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(a.getName());
        ctx.getConfiguration().getLoggerConfig("dev.rtm").removeAppender(a.getName());
        ctx.updateLoggers();
        a.stop();
    }
}
