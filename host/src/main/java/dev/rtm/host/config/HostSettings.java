package dev.rtm.host.config;

import dev.rtm.api.ConfigException;
import dev.rtm.api.ConfigKey;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Settings;
import java.util.List;
import java.util.Map;

/**
 * The host's own config sections ({@code kafka}, {@code postgres}, {@code job}, {@code alerts}, {@code agent}), declared and
 * validated with the same {@link ConfigKey} machinery plugins use, so a bad value is refused at
 * start-up naming its key path, and {@code rtm plugins}-style listings work for them too.
 */
public final class HostSettings {

    /** {@code kafka.*} */
    public static final class Kafka {
        public static final ConfigKey<String> BOOTSTRAP = ConfigKey.string("bootstrap", "localhost:9092", "Kafka bootstrap servers");
        public static final ConfigKey<String> METRICS = ConfigKey.string("metrics-topic", "metrics", "topic of HostMetrics records");
        public static final ConfigKey<String> DLQ = ConfigKey.string("dead-letter-topic", "metrics-dlq", "where refused records go, with the reason");
        public static final ConfigKey<String> ANOMALIES = ConfigKey.string("anomalies-topic", "anomalies", "flagged points, as Avro; none: not published");
        public static final ConfigKey<String> ALERTS = ConfigKey.string("alerts-topic", "alerts",
                "series alerts' transitions (firing, resolved), as Avro, for other consumers; none: not published");
        public static final ConfigKey<String> GROUP = ConfigKey.string("group", "rtm-job", "consumer group of the job");
        public static final ConfigKey<String> REGISTRY = ConfigKey.string("schema-registry", "none",
                "Confluent-compatible registry URL (e.g. http://host:8080/apis/ccompat/v7), or none");
        public static final ConfigSpec SPEC = ConfigSpec.of(BOOTSTRAP, METRICS, DLQ, ANOMALIES, ALERTS, GROUP, REGISTRY);

        private Kafka() {
        }
    }

    /**
     * {@code postgres.*}: the connection and batching keys are read as one value by {@link PostgresSettings#of}, the
     * TimescaleDB ones by {@code sink.Schema.Storage.of}.
     */
    public static final class Postgres {
        public static final ConfigKey<String> URL = ConfigKey.string("url", "none",
                "JDBC URL, e.g. jdbc:postgresql://localhost:5432/rtm; none: no storage");
        public static final ConfigKey<String> USER = ConfigKey.string("user", "rtm", "user the job writes as");
        public static final ConfigKey<String> PASSWORD = ConfigKey.optionalSecret("password",
                "its password: use ${env:RTM_PG_PASSWORD} or ${file:...}");
        public static final ConfigKey<Integer> BATCH = ConfigKey.integer("batch-size", 5000, "rows per write at most").atLeast(1);
        public static final ConfigKey<Integer> FLUSH = ConfigKey.integer("flush-interval-ms", 250,
                "longest time a row waits before it is written (at high rates a batch fills before)").atLeast(10);
        public static final ConfigKey<Integer> OUTAGE_TOLERANCE = ConfigKey.integer("outage-tolerance-s", 0,
                "how long the job waits out an unreachable database (holding its rows, reading no more from Kafka) "
                        + "before it fails for the restart strategy (0: as long as the outage lasts)").atLeast(0);
        public static final ConfigKey<Integer> CHUNK_HOURS = ConfigKey.integer("chunk-interval-hours", 24,
                "TimescaleDB: hours of data per chunk").atLeast(1).atMost(24 * 366);
        public static final ConfigKey<Integer> COMPRESS_AFTER = ConfigKey.integer("compress-after-days", 7,
                "TimescaleDB: compress raw chunks older than this (0: never)").atLeast(0);
        public static final ConfigKey<Integer> KEEP_RAW = ConfigKey.integer("keep-raw-days", 30,
                "TimescaleDB: drop raw points, scores and forecasts older than this (0: keep)").atLeast(0);
        public static final ConfigKey<Integer> KEEP_1M = ConfigKey.integer("keep-1m-days", 90,
                "TimescaleDB: drop 1-minute rollups older than this (0: keep)").atLeast(0);
        public static final ConfigKey<Integer> KEEP_1H = ConfigKey.integer("keep-1h-days", 730,
                "TimescaleDB: drop 1-hour rollups older than this (0: keep)").atLeast(0);
        public static final ConfigSpec SPEC = ConfigSpec.of(URL, USER, PASSWORD, BATCH, FLUSH, OUTAGE_TOLERANCE, CHUNK_HOURS, COMPRESS_AFTER,
                KEEP_RAW, KEEP_1M, KEEP_1H);

        /** Rollups must outlive what they summarise, and the rollups' refresh must end before raw data goes. */
        static void checkRetention(Settings pg, ConfigProblems problems) {
            int raw = pg.get(KEEP_RAW);
            int m1 = pg.get(KEEP_1M);
            int h1 = pg.get(KEEP_1H);
            if (raw == 1) {
                problems.add("postgres." + KEEP_RAW.name(), "must be 0 (keep) or at least 2: the rollups re-read the last day before raw data is dropped");
            }
            if (m1 > 0 && (raw == 0 || m1 < raw)) {
                problems.add("postgres." + KEEP_1M.name(), "is " + m1 + " but must be 0 or at least keep-raw-days (" + raw
                        + "): rollups are kept at least as long as the raw data");
            }
            if (h1 > 0 && (m1 == 0 || h1 < m1 || raw == 0)) {
                problems.add("postgres." + KEEP_1H.name(), "is " + h1 + " but must be 0 or at least keep-1m-days (" + m1
                        + ") and keep-raw-days (" + raw + ")");
            }
        }

        private Postgres() {
        }
    }

    /** {@code job.*} */
    public static final class Job {
        public static final ConfigKey<Integer> PARALLELISM = ConfigKey.integer("parallelism", 2, "parallel subtasks").atLeast(1).atMost(1024);
        public static final ConfigKey<Integer> CHECKPOINT = ConfigKey.integer("checkpoint-interval-ms", 10_000,
                "how often state and Kafka offsets are checkpointed (and rows committed)").atLeast(100);
        public static final ConfigKey<Integer> CHECKPOINT_TIMEOUT = ConfigKey.integer("checkpoint-timeout-ms", 600_000,
                "a checkpoint not complete after this long (a slow or full checkpoint disk, the database away) is aborted, "
                        + "logged naming the checkpoint dir, and the next one tried; the job goes on").atLeast(100);
        public static final ConfigKey<Integer> RESTARTS = ConfigKey.integer("restart-attempts", 10,
                "restarts after a failure before the job gives up").atLeast(0);
        public static final ConfigKey<Integer> RESTART_DELAY = ConfigKey.integer("restart-delay-ms", 5_000,
                "wait between restarts").atLeast(0);
        public static final ConfigKey<Integer> MAX_FUTURE = ConfigKey.integer("max-future-s", 300,
                "timestamps further ahead of the clock are dead-lettered").atLeast(0);
        public static final ConfigKey<Integer> MAX_PAST = ConfigKey.integer("max-past-s", 7 * 86_400,
                "timestamps further behind are dead-lettered").atLeast(1);
        public static final ConfigKey<String> CHECKPOINT_DIR = ConfigKey.string("checkpoint-dir", "default",
                "where checkpoints and savepoints are kept (file:///..., s3://...); default: checkpoints/ under the rtm "
                        + "data dir ($RTM_DATA_DIR, else ~/.rtm) for a local job, the cluster's own setting for one submitted "
                        + "with --cluster; none: the JobManager's memory (nothing survives a stop)");
        public static final ConfigKey<Integer> FORECAST_EVERY = ConfigKey.integer("forecast-every", 12,
                "write each model's forecast every this many points of a series (0: never)").atLeast(0);
        public static final ConfigKey<Integer> FORECAST_HORIZON = ConfigKey.integer("forecast-horizon", 12,
                "points ahead in each forecast").atLeast(1).atMost(1000);
        public static final ConfigKey<Integer> WARM_UP_POINTS = ConfigKey.integer("warm-up-points", 0,
                "a series first seen without state (a new job, or one started without its checkpoint) primes its detectors "
                        + "from its last this many stored points instead of starting cold (0: off; needs postgres)").atLeast(0).atMost(100_000);
        public static final ConfigKey<Integer> TIME_BUDGET = ConfigKey.integer("detector-time-budget-ms", 10_000,
                "longest one detector may take on one point; one that overruns is interrupted and quarantined on the "
                        + "series (a detector alert), the others go on").atLeast(1);
        public static final ConfigKey<Integer> QUARANTINE_BACKOFF = ConfigKey.integer("quarantine-backoff-s", 300,
                "how long a quarantined detector waits before it is tried again (doubles on each repeat, up to 12x)").atLeast(0);
        public static final ConfigKey<String> METRICS_PORT = ConfigKey.string("metrics-port", "9249",
                "port of the Prometheus endpoint (/metrics) of a job rtm runs itself (rtm job, rtm demo): a port, a range "
                        + "like 9249-9259 (the first free one) or 0 (off); a cluster uses its own Flink config");
        public static final ConfigSpec SPEC = ConfigSpec.of(PARALLELISM, CHECKPOINT, CHECKPOINT_TIMEOUT, RESTARTS, RESTART_DELAY, MAX_FUTURE,
                MAX_PAST, CHECKPOINT_DIR, FORECAST_EVERY, FORECAST_HORIZON, WARM_UP_POINTS, TIME_BUDGET, QUARANTINE_BACKOFF,
                METRICS_PORT);

        /** {@code metrics-port}: 0, a port, or a range of ports (what Flink's Prometheus reporter takes). */
        static void check(Settings job, ConfigProblems problems) {
            String v = job.get(METRICS_PORT).strip();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?").matcher(v);
            boolean ok = m.matches();
            if (ok && !v.equals("0")) {
                int lo = Integer.parseInt(m.group(1));
                int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
                ok = lo >= 1 && hi <= 65535 && lo <= hi;
            }
            if (!ok) {
                problems.add("job." + METRICS_PORT.name(), "'" + v + "' is not a port (1-65535), a range like 9249-9259, or 0 (off)");
            }
        }

        private Job() {
        }
    }

    /** {@code ingest.*}: what {@code rtm ingest} listens on and takes; its command options override these. */
    public static final class Ingest {
        public static final ConfigKey<String> BIND = ConfigKey.string("bind", "0.0.0.0", "address rtm ingest listens on");
        public static final ConfigKey<Integer> PORT = ConfigKey.integer("port", 9201, "port rtm ingest listens on (0: a free one)")
                .atLeast(0).atMost(65_535);
        public static final ConfigKey<String> AUTH = ConfigKey.choice("auth", "bearer", List.of("bearer", "none"),
                "bearer: requests need Authorization: Bearer <token>; none: anyone may send (a trusted network only)");
        public static final ConfigKey<String> TOKEN = ConfigKey.optionalSecret("token",
                "the bearer token clients must send, printable ASCII: use ${file:...} or ${env:...}; not set: $RTM_INGEST_TOKEN");
        public static final ConfigKey<String> MAX_BODY = ConfigKey.string("max-body", "10MiB",
                "largest request body, sent or decompressed: bytes, or with KB, MB, KiB, MiB (1KiB to 1GiB)");
        public static final ConfigKey<String> TOPIC = ConfigKey.string("topic", "default",
                "Kafka topic of the records; default: kafka.metrics-topic");
        public static final ConfigKey<String> KAFKA_TIMEOUT = ConfigKey.string("kafka-timeout", "10s",
                "longest wait for Kafka to take a request's records before answering 503 (clients retry): 1s to 10m");
        public static final ConfigSpec SPEC = ConfigSpec.of(BIND, PORT, AUTH, TOKEN, MAX_BODY, TOPIC, KAFKA_TIMEOUT);

        private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile("(?i)^\\s*(\\d{1,18})\\s*(b|kb|mb|gb|kib|mib|gib)?\\s*$");

        /** The size, the token and the timeout; the address and topic are checked with the other formats. */
        static void check(Settings in, ConfigProblems problems) {
            try {
                bytes(in.get(MAX_BODY));
            } catch (IllegalArgumentException e) {
                problems.add("ingest." + MAX_BODY.name(), e.getMessage());
            }
            try {
                kafkaTimeout(in.get(KAFKA_TIMEOUT));
            } catch (IllegalArgumentException e) {
                problems.add("ingest." + KAFKA_TIMEOUT.name(), e.getMessage());
            }
            String token = in.get(TOKEN).strip();
            if (!token.isEmpty() && tokenProblem(token) != null) {
                problems.add("ingest." + TOKEN.name(), tokenProblem(token) + " (the value is not shown)");
            }
            if (in.get(AUTH).equals("none") && !token.isEmpty()) {
                problems.add("ingest." + AUTH.name(), "is none, but ingest.token is set: give one of them");
            }
        }

        /**
         * A size as people write it: {@code 65536}, {@code 512KB}, {@code 10MiB}; 1 KiB to 1 GiB.
         *
         * @throws IllegalArgumentException saying what is allowed
         */
        public static long bytes(String s) {
            java.util.regex.Matcher m = SIZE.matcher(s);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + s + "' is not a size (e.g. 10MiB, 512KB, 65536)");
            }
            long n = Long.parseLong(m.group(1));
            long mult = switch (m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT)) {
                case "kb" -> 1_000L;
                case "mb" -> 1_000_000L;
                case "gb" -> 1_000_000_000L;
                case "kib" -> 1L << 10;
                case "mib" -> 1L << 20;
                case "gib" -> 1L << 30;
                default -> 1L;
            };
            if (n > (1L << 30) || n * mult < 1024 || n * mult > (1L << 30)) {
                throw new IllegalArgumentException("'" + s + "' must be 1KiB to 1GiB");
            }
            return n * mult;
        }

        /**
         * The longest wait for Kafka: 1 s to 10 min.
         *
         * @throws IllegalArgumentException saying what is allowed
         */
        public static java.time.Duration kafkaTimeout(String s) {
            java.time.Duration d = Durations.parse(s);
            if (d.compareTo(java.time.Duration.ofSeconds(1)) < 0 || d.compareTo(java.time.Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("'" + s + "' must be 1s to 10m");
            }
            return d;
        }

        /** Null when {@code token} (stripped) can be a bearer token; otherwise why not, never showing it. */
        public static String tokenProblem(String token) {
            if (token.isEmpty()) {
                return "the token is empty";
            }
            if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                return "the token must be printable ASCII without spaces";
            }
            return null;
        }

        private Ingest() {
        }
    }

    /** {@code alerts.*}: when flags become alerts, and how alerts are grouped and told. */
    public static final class Alerts {
        public static final ConfigKey<Integer> FIRE_AFTER = ConfigKey.integer("fire-after", 1,
                "flagged points among the last window points that fire a model's alert (detectors flag an event once, "
                        + "then hold off: raise it for detectors that flag every point of an event)").atLeast(1).atMost(63);
        public static final ConfigKey<Integer> WINDOW = ConfigKey.integer("window", 5,
                "points the fire-after rule looks at").atLeast(1).atMost(63);
        public static final ConfigKey<Integer> RESOLVE_AFTER = ConfigKey.integer("resolve-after", 10,
                "unflagged points in a row that resolve a firing alert").atLeast(1);
        public static final ConfigKey<String> MODELS = ConfigKey.string("models", "any",
                "which of a series' models must be firing together to alert people: any, all, majority, or a list like ewma,arima");
        public static final ConfigKey<Double> CRITICAL_SCORE = ConfigKey.number("critical-score", 6.0,
                "peak score (sigmas) from which an alert is critical; below it is a warning").greaterThan(0);
        public static final ConfigKey<Integer> NO_DATA_AFTER = ConfigKey.integer("no-data-after", 0,
                "raise a nodata alert when a series sends nothing for this many of its intervals (0: off)").atLeast(0);
        public static final ConfigKey<String> GROUP_BY = ConfigKey.string("group-by", "host",
                "labels whose alerts go out together, comma separated: host, metric, kind");
        public static final ConfigKey<String> GROUP_WAIT = ConfigKey.string("group-wait", "30s",
                "wait after a group's first alert for others to join its first notification");
        public static final ConfigKey<String> GROUP_INTERVAL = ConfigKey.string("group-interval", "5m",
                "wait between notifications about changes in a group");
        public static final ConfigKey<String> REPEAT_INTERVAL = ConfigKey.string("repeat-interval", "4h",
                "re-notify a group whose alerts are still firing after this long");
        public static final ConfigKey<String> RETRY_FOR = ConfigKey.string("retry-for", "1h",
                "keep retrying a failed notification this long, then dead-letter it (rtm alerts retry sends it again)");
        public static final ConfigKey<String> GRAFANA_URL = ConfigKey.string("grafana-url", "http://localhost:3000",
                "Grafana's base URL, for the links in notifications; none: no links");
        public static final ConfigSpec SPEC = ConfigSpec.of(FIRE_AFTER, WINDOW, RESOLVE_AFTER, MODELS, CRITICAL_SCORE,
                NO_DATA_AFTER, GROUP_BY, GROUP_WAIT, GROUP_INTERVAL, REPEAT_INTERVAL, RETRY_FOR, GRAFANA_URL);

        /** The labels alerts can be grouped by. */
        public static final List<String> GROUP_LABELS = List.of("host", "metric", "kind");

        /** Cross-key checks: the window, the model list, the durations and the group-by labels. */
        static void check(Settings a, ConfigProblems problems) {
            if (a.get(FIRE_AFTER) > a.get(WINDOW)) {
                problems.add("alerts." + FIRE_AFTER.name(), "is " + a.get(FIRE_AFTER) + " but must be at most alerts.window ("
                        + a.get(WINDOW) + ")");
            }
            try {
                dev.rtm.host.alert.AlertRule.Agreement.parse(a.get(MODELS));
            } catch (IllegalArgumentException e) {
                problems.add("alerts." + MODELS.name(), e.getMessage());
            }
            for (ConfigKey<String> k : List.of(GROUP_WAIT, GROUP_INTERVAL, REPEAT_INTERVAL, RETRY_FOR)) {
                try {
                    Durations.parse(a.get(k));
                } catch (IllegalArgumentException e) {
                    problems.add("alerts." + k.name(), e.getMessage());
                }
            }
            for (String label : a.get(GROUP_BY).split(",")) {
                if (!GROUP_LABELS.contains(label.trim())) {
                    problems.add("alerts." + GROUP_BY.name(), "'" + label.trim() + "' is not a label to group by; allowed: "
                            + String.join(", ", GROUP_LABELS));
                }
            }
        }

        private Alerts() {
        }
    }

    /** {@code agent.*}: what {@code rtm agent} does while Kafka is away. */
    public static final class Agent {
        public static final ConfigKey<Integer> BUFFER_SAMPLES = ConfigKey.integer("buffer-samples", 20_000,
                "samples the agent holds in memory while the Kafka broker is away (about 25 bytes a metric), sent in order when it "
                        + "is back; when full, the oldest are dropped, counted and logged").atLeast(100).atMost(10_000_000);
        public static final ConfigSpec SPEC = ConfigSpec.of(BUFFER_SAMPLES);

        private Agent() {
        }
    }

    /** The sections' names, in the order they are documented. */
    public static final List<String> NAMES = List.of("kafka", "postgres", "job", "alerts", "ingest", "agent");

    /** The sections and their specs. */
    public static final Map<String, ConfigSpec> SECTIONS = Map.of("kafka", Kafka.SPEC, "postgres", Postgres.SPEC, "job", Job.SPEC,
            "alerts", Alerts.SPEC, "ingest", Ingest.SPEC, "agent", Agent.SPEC);

    private final Map<String, Settings> settings;

    private HostSettings(Map<String, Settings> settings) {
        this.settings = settings;
    }

    /** Validates every section, reporting problems with their key paths. */
    static HostSettings validate(Map<String, Map<String, Object>> raw, ConfigProblems problems) {
        Map<String, Settings> out = new java.util.HashMap<>();
        for (String section : NAMES) {
            try {
                out.put(section, SECTIONS.get(section).validate(raw.getOrDefault(section, Map.of())));
                if (section.equals("postgres")) {
                    Postgres.checkRetention(out.get(section), problems);
                }
                if (section.equals("alerts")) {
                    Alerts.check(out.get(section), problems);
                }
                if (section.equals("ingest")) {
                    Ingest.check(out.get(section), problems);
                }
                if (section.equals("job")) {
                    Job.check(out.get(section), problems);
                }
            } catch (ConfigException e) {
                e.problems().forEach(p -> problems.add(section + "." + p.key(), p.message()));
                out.put(section, defaultsOf(section)); // a placeholder: the problems are reported with the rest
            }
        }
        return new HostSettings(out);
    }

    private static Settings defaultsOf(String section) {
        try {
            return SECTIONS.get(section).defaults();
        } catch (ConfigException e) {
            throw new IllegalStateException("host section " + section + " has a required key", e);
        }
    }

    /** Defaults for every section. */
    public static HostSettings defaults() {
        return validate(Map.of(), new ConfigProblems(null));
    }

    /** A validated section by name (one of {@link #NAMES}). */
    public Settings section(String name) {
        return settings.get(name);
    }

    /** The validated {@code kafka} section. */
    public Settings kafka() {
        return settings.get("kafka");
    }

    /** The validated {@code ingest} section. */
    public Settings ingest() {
        return settings.get("ingest");
    }

    /** The validated {@code postgres} section. */
    public Settings postgres() {
        return settings.get("postgres");
    }

    /** The validated {@code alerts} section. */
    public Settings alerts() {
        return settings.get("alerts");
    }

    /** The validated {@code job} section. */
    public Settings job() {
        return settings.get("job");
    }

    /** The validated {@code agent} section. */
    public Settings agent() {
        return settings.get("agent");
    }

    /** A value or null when it is {@code none}. */
    public static String orNull(String v) {
        return v == null || v.equals("none") ? null : v;
    }
}
