package dev.rtm.cli.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rtm.testing.PluginJars;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import dev.rtm.local.KafkaBroker;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.job.JobSettings;
import dev.rtm.host.job.MetricsJob;
import dev.rtm.host.sink.Schema;
import dev.rtm.render.DashboardRenderer;
import dev.rtm.render.GrafanaSql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana files: provisioning is valid and points at what exists, every dashboard has what
 * Grafana needs, and every panel's and variable's SQL — expanded the way Grafana expands it — runs
 * against a PostgreSQL filled by a real job run and returns rows with the columns the panel uses.
 */
class GrafanaDashboardsTest {

    static final Path GRAFANA = Path.of("..", "grafana");
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    static List<Path> dashboards() throws Exception {
        try (Stream<Path> s = Files.list(GRAFANA.resolve("dashboards"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** The dashboards on the PostgreSQL data source (the others read the job's metrics from Prometheus). */
    static List<Path> postgresDashboards() throws Exception {
        List<Path> out = new ArrayList<>();
        for (Path file : dashboards()) {
            if (!prometheus(JSON.readTree(file.toFile()))) {
                out.add(file);
            }
        }
        return out;
    }

    /** Whether every panel of the dashboard reads the Prometheus data source. */
    static boolean prometheus(JsonNode d) {
        for (JsonNode p : d.path("panels")) {
            if (!p.path("datasource").path("type").asText().equals("prometheus")) {
                return false;
            }
        }
        return true;
    }

    /** PromQL functions, aggregations and keywords: every other name in an expression is a metric. */
    static final java.util.Set<String> PROMQL_WORDS = java.util.Set.of("sum", "max", "min", "avg", "count", "rate", "irate",
            "increase", "by", "without", "histogram_quantile", "label_values", "topk", "bottomk", "offset", "on", "ignoring",
            "group_left", "group_right", "and", "or", "unless", "abs", "clamp_min", "clamp_max", "delta", "deriv", "time");

    @Test
    void provisioningIsValidAndEveryDashboardHasWhatGrafanaNeeds() throws Exception {
        JsonNode ds = YAML.readTree(GRAFANA.resolve("provisioning/datasources/rtm.yaml").toFile());
        assertThat(ds.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode source = ds.path("datasources").get(0);
        assertThat(source.path("uid").asText()).isEqualTo("rtm-pg");
        assertThat(source.path("user").asText()).as("Grafana reads with the SELECT-only role").isEqualTo("rtm_reader");
        assertThat(source.path("secureJsonData").path("password").asText()).as("password from the environment")
                .isEqualTo("${RTM_PG_READER_PASSWORD}");
        JsonNode prov = YAML.readTree(GRAFANA.resolve("provisioning/dashboards/rtm.yaml").toFile());
        assertThat(prov.path("providers").get(0).path("options").path("path").asText()).isEqualTo("/var/lib/grafana/dashboards");
        assertThat(dashboards()).isNotEmpty();

        for (Path file : dashboards()) {
            boolean prometheus = prometheus(JSON.readTree(file.toFile()));
            JsonNode d = JSON.readTree(file.toFile());
            assertThat(d.path("uid").asText()).as(file + " uid").isNotBlank();
            assertThat(d.path("title").asText()).as(file + " title").isNotBlank();
            assertThat(d.path("schemaVersion").asInt()).as(file + " schemaVersion").isGreaterThan(30);
            assertThat(d.path("panels")).as(file + " panels").isNotEmpty();
            for (JsonNode p : d.path("panels")) {
                String where = file.getFileName() + " panel " + p.path("title").asText();
                assertThat(p.path("id").isInt()).as(where + " id").isTrue();
                assertThat(p.path("type").asText()).as(where + " type").isNotBlank();
                assertThat(p.path("gridPos").path("w").asInt()).as(where + " gridPos").isPositive();
                assertThat(p.path("targets")).as(where + " targets").isNotEmpty();
                for (JsonNode t : p.path("targets")) {
                    if (prometheus) {
                        assertThat(t.path("datasource").path("uid").asText()).as(where + " datasource").isEqualTo("rtm-prom");
                        assertThat(promqlMetrics(t.path("expr").asText())).as(where + " metrics in " + t.path("expr").asText())
                                .isNotEmpty().isSubsetOf(dev.rtm.cli.PrometheusMetricsTest.METRICS);
                    } else {
                        assertThat(t.path("rawSql").asText()).as(where + " rawSql").isNotBlank();
                        assertThat(t.path("datasource").path("uid").asText()).as(where + " datasource").isEqualTo("rtm-pg");
                    }
                }
            }
        }
    }

    @Test
    void theJobHealthDashboardReadsTheJobsMetricsFromPrometheus() throws Exception {
        JsonNode ds = YAML.readTree(GRAFANA.resolve("provisioning/datasources/rtm.yaml").toFile());
        List<String> uids = new ArrayList<>();
        ds.path("datasources").forEach(d -> uids.add(d.path("uid").asText() + " " + d.path("type").asText()));
        assertThat(uids).contains("rtm-prom prometheus");
        JsonNode d = JSON.readTree(GRAFANA.resolve("dashboards/rtm-health.json").toFile());
        assertThat(prometheus(d)).isTrue();
        for (JsonNode v : d.path("templating").path("list")) {
            assertThat(promqlMetrics(v.path("definition").asText())).as("variable " + v.path("name").asText())
                    .isNotEmpty().isSubsetOf(dev.rtm.cli.PrometheusMetricsTest.METRICS);
        }
        assertThat(promqlMetrics("sum by (model) (rate(flink_x_pointsScored{job=~\"$job\", quantile=\"0.5\"}[$__rate_interval]))"))
                .containsExactly("flink_x_pointsScored");
    }

    /** The metric names a PromQL expression reads: its identifiers other than functions, labels and strings. */
    static java.util.Set<String> promqlMetrics(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // strings
                .replaceAll("\\{[^}]*}", "")                         // label matchers
                .replaceAll("\\[[^\\]]*\\]", "")                     // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", ""); // label lists
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group()) && !m.group().equals("job")) {
                names.add(m.group());
            }
        }
        return names;
    }

    @Test
    void theComposeStackMountsTheseFilesAndTakesEverySecretFromTheEnvironment() throws Exception {
        JsonNode compose = YAML.readTree(Path.of("..", "docker-compose.yml").toFile());
        JsonNode grafana = compose.path("services").path("grafana");
        List<String> mounts = new ArrayList<>();
        grafana.path("volumes").forEach(v -> mounts.add(v.asText()));
        assertThat(mounts).contains("./grafana/provisioning:/etc/grafana/provisioning:ro",
                "./grafana/dashboards:/var/lib/grafana/dashboards:ro");
        assertThat(Path.of("..", "grafana", "provisioning")).isDirectory();
        String text = Files.readString(Path.of("..", "docker-compose.yml"));
        assertThat(text).as("no password literal in the compose file")
                .containsPattern("POSTGRES_PASSWORD: \\$\\{RTM_PG_PASSWORD:\\?")
                .doesNotContainPattern("(?i)password: [^$\\s]");
    }

    @Test
    void everyQueryRunsAgainstAFilledDatabaseAndReturnsThePanelsColumns() throws Exception {
        Instant now = Instant.now();
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            fill(broker, pg, now, tmp);
            try (Connection c = pg.connect()) {
                rollupsAgreeWithTheRawRows(c);
                assertThat(column(c, "SELECT state || ' ' || host || ' ' || metric FROM alerts WHERE model = 'ewma' ORDER BY 1"))
                        .as("the job's alert stage wrote the burst (resolved) and the runaway (firing)")
                        .contains("resolved db-1 cpu.total_pct", "firing web-2 mem.used_pct");
                // as on plain PostgreSQL (raw rows only) and as with TimescaleDB (rollups forced on)
                everyQuery(c, now, false, List.of("10s", "5m", "2h", "5m+rollups", "2h+rollups"));
                for (Path file : postgresDashboards()) {
                    JsonNode d = JSON.readTree(file.toFile());
                    // drawn without Grafana (rtm render): every panel got rows, the picture has the grid's size
                    DashboardRenderer.Rendered r = DashboardRenderer.render(c, d, from(now), to(now), Map.of(), 1200);
                    assertThat(r.rowsByPanel()).as(file.getFileName() + " rendered panels").isNotEmpty()
                            .allSatisfy((panel, rows) -> assertThat(rows).as(file.getFileName() + " rendered " + panel).isPositive());
                    int gridRows = 0;
                    for (JsonNode p : d.path("panels")) {
                        gridRows = Math.max(gridRows, p.path("gridPos").path("y").asInt() + p.path("gridPos").path("h").asInt());
                    }
                    assertThat(r.image().getWidth()).isEqualTo(1200);
                    assertThat(r.image().getHeight()).as(file.getFileName() + " height").isGreaterThan(gridRows * 30);
                    javax.imageio.ImageIO.write(r.image(), "png", Path.of("target", file.getFileName().toString().replace(".json", ".png")).toFile());
                }
            }
        }
    }

    /** The range the dashboards are queried for: the last 6 hours of data filled at {@code now}. */
    static Instant from(Instant now) {
        return now.minus(Duration.ofHours(6));
    }

    static Instant to(Instant now) {
        return now.plus(Duration.ofMinutes(5));
    }

    /**
     * Runs every variable, annotation and panel query of the PostgreSQL dashboards, expanded as Grafana
     * expands them ({@code timescaledb}: the data source's {@code jsonData.timescaledb}), for the
     * range {@link #from}..{@link #to}, and checks that each returns rows with the columns its panel
     * uses. Panels run at every tier: Grafana's interval ({@code 5m}), optionally with
     * {@code rtm_use_rollups()} forced on ({@code 5m+rollups}) or off ({@code 5m+raw}); variables
     * must give the same values from the rollups and from the raw rows.
     *
     * @return every panel query's rows, keyed by dashboard, panel, target and tier; each row as text
     *         (floating-point numbers to 12 significant digits), rows sorted
     */
    static Map<String, List<String>> everyQuery(Connection c, Instant now, boolean timescaledb, List<String> tiers) throws Exception {
        Map<String, List<String>> results = new LinkedHashMap<>();
        Instant from = from(now);
        Instant to = to(now);
        for (Path file : postgresDashboards()) {
            JsonNode d = JSON.readTree(file.toFile());
            Map<String, List<String>> vars = new LinkedHashMap<>();
            java.util.Set<String> multi = new java.util.HashSet<>();
            for (JsonNode v : d.path("templating").path("list")) {
                String query = GrafanaSql.expand(v.path("query").asText(), vars, multi, from, to, "1m", timescaledb);
                List<String> values = column(c, query);
                assertThat(values).as(file.getFileName() + " variable " + v.path("name").asText()).isNotEmpty();
                for (String forced : List.of("true", "false")) {
                    assertThat(column(c, query.replace("rtm_use_rollups()", forced)))
                            .as(file.getFileName() + " variable " + v.path("name").asText() + " with rtm_use_rollups() " + forced)
                            .isEqualTo(values);
                }
                if (v.path("multi").asBoolean()) {
                    multi.add(v.path("name").asText());
                }
                // multi-value variables default to All; single-value ones to the first value
                vars.put(v.path("name").asText(), v.path("multi").asBoolean() ? values : List.of(values.get(0)));
            }
            for (JsonNode a : d.path("annotations").path("list")) {
                assertThat(a.path("target").path("rawSql").asText()).as("the query where Grafana 10+ reads it").isNotBlank();
                if (a.has("rawQuery")) {
                    assertThat(a.path("rawQuery").asText()).as("the legacy field, where present").isEqualTo(a.path("target").path("rawSql").asText());
                }
                String sql = GrafanaSql.expand(a.path("target").path("rawSql").asText(), vars, multi, from, to, "1m", timescaledb);
                assertThat(column(c, sql)).as(file.getFileName() + " annotation " + a.path("name").asText()).isNotEmpty();
            }
            for (JsonNode p : d.path("panels")) {
                int target = 0;
                for (JsonNode t : p.path("targets")) {
                    target++;
                    String raw = t.path("rawSql").asText();
                    String where = file.getFileName() + " panel '" + p.path("title").asText() + "'";
                    if (raw.contains("$__interval_ms")) {
                        assertThat(raw).as(where + " reads both rollups for long ranges").containsPattern("_1m\\b")
                                .containsPattern("_1h\\b");
                    }
                    // Grafana's interval follows the range: each tier (raw, 1-minute, 1-hour rollup) runs
                    for (String tier : tiers) {
                        String sql = GrafanaSql.expand(raw, vars, multi, from, to, tier.replaceAll("\\+.*", ""), timescaledb);
                        if (tier.endsWith("+rollups")) {
                            sql = sql.replace("rtm_use_rollups()", "true");
                        } else if (tier.endsWith("+raw")) {
                            sql = sql.replace("rtm_use_rollups()", "false");
                        }
                        List<String> cols = new ArrayList<>();
                        List<String> rows = new ArrayList<>();
                        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                            ResultSetMetaData md = rs.getMetaData();
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                cols.add(md.getColumnLabel(i));
                            }
                            while (rs.next()) {
                                rows.add(row(rs, md.getColumnCount()));
                            }
                        }
                        assertThat(rows).as(where + " rows at interval " + tier).isNotEmpty();
                        if (t.path("format").asText().equals("time_series")) {
                            assertThat(cols).as(where + " columns").contains("time", "metric").hasSizeGreaterThanOrEqualTo(3);
                        } else {
                            assertThat(cols).as(where + " columns").hasSizeGreaterThanOrEqualTo(2);
                        }
                        java.util.Collections.sort(rows);
                        results.put(where + " #" + target + " at " + tier, rows);
                    }
                }
            }
        }
        return results;
    }

    /** One result row as text: floating-point numbers to 12 significant digits (summation order may differ), the rest as is. */
    private static String row(ResultSet rs, int columns) throws java.sql.SQLException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
            Object o = rs.getObject(i);
            sb.append(i > 1 ? " | " : "").append(o instanceof Double || o instanceof Float
                    ? String.format(java.util.Locale.ROOT, "%.12g", ((Number) o).doubleValue())
                    : o instanceof java.math.BigDecimal b ? b.stripTrailingZeros().toPlainString() : String.valueOf(rs.getString(i)));
        }
        return sb.toString();
    }

    /** The rollups summarise exactly the raw rows: counts, extremes and means per series. */
    static void rollupsAgreeWithTheRawRows(Connection c) throws Exception {
        for (String width : List.of("1m", "1h")) {
            assertThat(column(c, "SELECT count(*) FROM (SELECT host, metric, count(*) n, min(value) lo, max(value) hi, avg(value) mean "
                    + "FROM metrics GROUP BY 1, 2) r FULL JOIN (SELECT host, metric, sum(samples) n, min(value_min) lo, max(value_max) hi, "
                    + "sum(value_avg * samples) / sum(samples) mean FROM metrics_" + width + " GROUP BY 1, 2) u USING (host, metric) "
                    + "WHERE r.n IS DISTINCT FROM u.n OR r.lo IS DISTINCT FROM u.lo OR r.hi IS DISTINCT FROM u.hi "
                    + "OR abs(r.mean - u.mean) > 1e-9 * abs(r.mean) OR u.n IS NULL"))
                    .as("series whose metrics_" + width + " rollup disagrees with the raw rows").containsExactly("0");
            assertThat(column(c, "SELECT count(*) FROM (SELECT host, metric, model, count(*) n, max(score) s, "
                    + "count(*) FILTER (WHERE is_anomaly) a FROM anomaly_scores GROUP BY 1, 2, 3) r FULL JOIN (SELECT host, metric, model, "
                    + "sum(points) n, max(score_max) s, sum(anomalies) a FROM scores_" + width + " GROUP BY 1, 2, 3) u "
                    + "USING (host, metric, model) WHERE r.n IS DISTINCT FROM u.n OR r.s IS DISTINCT FROM u.s OR r.a IS DISTINCT FROM u.a"))
                    .as("series whose scores_" + width + " rollup disagrees with the raw rows").containsExactly("0");
        }
        assertThat(column(c, "SELECT sum(anomalies) FROM scores_1h")).as("the filled data has flagged points")
                .singleElement().isNotNull().isNotEqualTo("0");
    }

    /** A real job run: 3 hosts x 300 samples x 2 metrics with spikes, ending at {@code now}, scored by ewma and arima. */
    static void fill(KafkaBroker broker, PostgresServer pg, Instant now, Path tmp) throws Exception {
        broker.createTopics(2, "metrics");
        broker.createTopics(1, "metrics-dlq");
        WireFormat wire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
        try (var p = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 300; i++) {
                for (String h : new String[] {"web-1", "web-2", "db-1"}) {
                    // spikes; on db-1 a burst of growing spikes mid-way (an alert that fires and resolves);
                    // on web-2 memory running away at the end (an alert still firing)
                    double burst = h.equals("db-1") && i >= 150 && i < 156 ? 50 * Math.pow(2, i - 150) : 0;
                    double runaway = h.equals("web-2") && i >= 294 ? 20 * Math.pow(2, i - 294) : 0;
                    GenericRecord r = Schemas.hostMetrics(h, now.toEpochMilli() - (300 - i) * 10_000L,
                            Map.of("cpu.total_pct", 40 + 10 * Math.sin(i / 9.0) + (i * 7 % 5) * 0.3 + (i % 97 == 50 ? 40 : 0) + burst,
                                    "mem.used_pct", 60 + (i % 3) * 0.2 + (i == 250 ? 15 : 0) + runaway), Map.of());
                    p.send(new ProducerRecord<>("metrics", h.getBytes(StandardCharsets.UTF_8), wire.encode(r))).get();
                }
            }
        }
        runJob(broker, pg, tmp, "grafana-test");
    }

    /**
     * Runs the job over the whole topic (bounded) as consumer group {@code group}: a new group reads
     * everything again, as after a restart without state.
     */
    static void runJob(KafkaBroker broker, PostgresServer pg, Path tmp, String group) throws Exception {
        Path plugins = PluginJars.linkDistPlugins(tmp.resolve("plugins-" + group), "ewma", "arima");
        String yaml = "detectors:\n  ewma: {}\n  arima: { window: 120, warmup: 100, threshold: 3 }\n";
        JobSettings s = JobSettings.from(ConfigLoader.parseText(yaml, null, System.getenv())).kafka(broker.bootstrap(), group)
                .anomaliesTopic(null).pluginsDir(plugins).bounded(true)
                .postgres(new PostgresSettings(pg.url(), null, null, 1000, Duration.ofMillis(200))).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        MetricsJob.build(env, s);
        env.execute("grafana-test-" + group);
    }

    static List<String> column(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
