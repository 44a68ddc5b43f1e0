package dev.rtm.cli.bench;

import dev.rtm.host.sink.CopyBuffer;
import dev.rtm.host.sink.MetricsTable;
import dev.rtm.host.sink.ScoresTable;
import dev.rtm.host.sink.SeriesIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.host.decode.MetricPoint;
import dev.rtm.local.LocalPostgres;
import dev.rtm.host.detect.ScoreRow;
import dev.rtm.render.GrafanaSql;
import dev.rtm.host.sink.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * The dashboards on a realistic volume: {@code rows} score rows (50 hosts x 10 metrics x 3 models,
 * one point every 10 s up to now) plus their raw values in schema {@code rtm_dash}, then every
 * dashboard query (variables and macros expanded as Grafana does, last 6 h) timed warm. Also the
 * COPY ingest rate into the score table with the final indexes, and into the same table without any.
 */
public final class DashboardBench {

    private final Consumer<String> say;

    public DashboardBench(Consumer<String> say) {
        this.say = say;
    }

    public List<String> run(Path grafanaDir, Map<String, String> env, long rows) throws Exception {
        List<String> report = new ArrayList<>();
        LocalPostgres.Target pg = LocalPostgres.ensure(env, say);
        String url = pg.url() + (pg.url().contains("?") ? "&" : "?") + "currentSchema=rtm_dash";
        try (Connection c = connect(pg.url(), pg); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS rtm_dash CASCADE");
            s.execute("CREATE SCHEMA rtm_dash");
        }
        try (Connection c = connect(url, pg)) {
            Schema.apply(c);
            int hosts = 50;
            int metrics = 10;
            String[] models = {"ewma", "arima", "lstm"};
            long points = Math.max(1, rows / (hosts * metrics * models.length));
            long step = 10_000;
            long start = Instant.now().toEpochMilli() - points * step;
            say.accept("generating " + points * hosts * metrics * models.length + " score rows and "
                    + points * hosts * metrics + " raw rows ...");
            c.setAutoCommit(false);
            var copy = ((PGConnection) c).getCopyAPI();
            Random rnd = new Random(1);
            CopyBuffer sb = new CopyBuffer();
            CopyBuffer raw = new CopyBuffer();
            SeriesIds ids = new SeriesIds();
            for (int h = 0; h < hosts; h++) {
                for (int m = 0; m < metrics; m++) {
                    ids.series("host-" + h, "m" + m);
                }
            }
            for (String model : models) {
                ids.model(model);
            }
            ids.resolve(c);
            long scoreRows = 0;
            long t0 = System.nanoTime();
            for (long i = 0; i < points; i++) {
                long ts = start + i * step;
                for (int h = 0; h < hosts; h++) {
                    for (int m = 0; m < metrics; m++) {
                        double v = 50 + 10 * Math.sin(i / 60.0 + h) + rnd.nextGaussian();
                        MetricsTable.TABLE.append(new MetricPoint("host-" + h, "m" + m, ts, v), ids, raw);
                        for (String model : models) {
                            double score = Math.abs(rnd.nextGaussian());
                            boolean flag = rnd.nextInt(500) == 0;
                            ScoresTable.TABLE.append(new ScoreRow("host-" + h, "m" + m, model, ts, v, v - 0.5,
                                    v - 3, v + 3, flag ? 5 + score : score, flag), ids, sb);
                            scoreRows++;
                        }
                    }
                }
                if (sb.size() > (8 << 20) || i == points - 1) {
                    sb.copyInto(copy, ScoresTable.TABLE.name(), ScoresTable.TABLE.columns());
                    raw.copyInto(copy, MetricsTable.TABLE.name(), MetricsTable.TABLE.columns());
                    c.commit();
                    sb.clear();
                    raw.clear();
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            report.add(String.format(Locale.ROOT, "loaded %d score rows (+ %d raw rows) with the final indexes in %.0f s",
                    scoreRows, points * hosts * metrics, secs));
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
            c.commit();
            c.setAutoCommit(true);

            report.add(ingest(c, copy, true));
            report.add(ingest(c, copy, false));

            // every dashboard query, warm: last 6 hours (raw rows), and the whole day (the 1-minute rollups)
            for (Duration range : List.of(Duration.ofHours(6), Duration.ofHours(24))) {
                report.add(timeQueries(c, grafanaDir, range, models, scoreRows, ""));
            }
            // TimescaleDB is not installable here: stand in for its continuous aggregates with the
            // rollup views materialised as indexed tables, and let the dashboards read them
            long t1 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                for (String r : List.of("metrics_1m", "metrics_1h", "scores_1m", "scores_1h")) {
                    s.execute("CREATE TABLE " + r + "_m AS SELECT * FROM " + r);
                    s.execute("DROP VIEW " + r);
                    s.execute("ALTER TABLE " + r + "_m RENAME TO " + r);
                    s.execute("CREATE INDEX ON " + r + " (host, metric, bucket)");
                    s.execute("CREATE INDEX ON " + r + " (bucket)");
                    s.execute("ANALYZE " + r);
                }
                s.execute("CREATE OR REPLACE FUNCTION rtm_dash.rtm_use_rollups() RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true'");
            }
            report.add(String.format(Locale.ROOT, "rollups materialised in %.0f s", (System.nanoTime() - t1) / 1e9));
            report.add(timeQueries(c, grafanaDir, Duration.ofHours(24), models, scoreRows,
                    " with the rollups materialised (stand-in for TimescaleDB continuous aggregates)"));
        }
        return report;
    }

    /** Every variable, panel and annotation query of every dashboard over {@code range}; the slowest. */
    private String timeQueries(Connection c, Path grafanaDir, Duration range, String[] models, long scoreRows, String how)
            throws Exception {
        Instant to = Instant.now();
        Instant from = to.minus(range);
        String interval = GrafanaSql.interval(range, 1500); // as Grafana picks it for a full-width panel
        Map<String, String> picks = Map.of("host", "host-7", "metric", "m3", "model", "ewma");
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> st = Files.list(grafanaDir.resolve("dashboards"))) {
            files = st.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        String slowest = null;
        double slowestMs = -1;
        List<String> failed = new ArrayList<>();
        for (Path f : files) {
            JsonNode d = json.readTree(f.toFile());
            if (d.path("panels").path(0).path("datasource").path("type").asText().equals("prometheus")) {
                continue; // the job-health dashboard reads Prometheus, not the database
            }
            Map<String, String> queries = new LinkedHashMap<>();
            Map<String, List<String>> vars = new LinkedHashMap<>();
            java.util.Set<String> multi = new java.util.HashSet<>();
            for (JsonNode v : d.path("templating").path("list")) {
                String name = v.path("name").asText();
                queries.put("variable " + name, v.path("query").asText());
                if (v.path("multi").asBoolean()) {
                    multi.add(name);
                }
                vars.put(name, v.path("multi").asBoolean() && name.equals("model") ? List.of(models)
                        : List.of(picks.getOrDefault(name, "")));
            }
            for (JsonNode p : d.path("panels")) {
                for (JsonNode t : p.path("targets")) {
                    queries.put("panel '" + p.path("title").asText() + "' " + t.path("refId").asText(), t.path("rawSql").asText());
                }
            }
            for (JsonNode a : d.path("annotations").path("list")) {
                queries.put("annotation " + a.path("name").asText(), a.path("target").path("rawSql").asText());
            }
            for (var q : queries.entrySet()) {
                String sql = GrafanaSql.expand(q.getValue(), vars, multi, from, to, interval);
                String name = f.getFileName() + " " + q.getKey();
                double ms;
                try {
                    ms = time(c, sql);
                } catch (java.sql.SQLException e) {
                    failed.add("FAILED " + name + ": " + e.getMessage());
                    continue;
                }
                say.accept(String.format(Locale.ROOT, "%8.1f ms  %s (last %s, interval %s)", ms, name, range, interval));
                if (ms > slowestMs) {
                    slowestMs = ms;
                    slowest = name;
                }
            }
        }
        failed.forEach(say);
        return String.format(Locale.ROOT, "slowest dashboard query on %d score rows, last %d h (interval %s)%s: %.0f ms (%s)%s",
                scoreRows, range.toHours(), interval, how, slowestMs, slowest, failed.isEmpty() ? "" : "; " + failed.size() + " FAILED");
    }

    private String ingest(Connection c, org.postgresql.copy.CopyManager copy, boolean indexes) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS ingest_test");
            s.execute(indexes ? "CREATE TABLE ingest_test (LIKE " + ScoresTable.TABLE.name() + " INCLUDING ALL)"
                    : "CREATE TABLE ingest_test (LIKE " + ScoresTable.TABLE.name() + ")");
        }
        SeriesIds ids = new SeriesIds();
        for (int k = 0; k < 500; k++) {
            ids.series("host-" + (k % 50), "m" + (k / 50 % 10));
        }
        ids.model("ewma");
        ids.resolve(c);
        long n = 2_000_000;
        CopyBuffer sb = new CopyBuffer();
        long start = Instant.now().toEpochMilli() - n * 1000;
        c.setAutoCommit(false);
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            ScoresTable.TABLE.append(new ScoreRow("host-" + (i % 50), "m" + (i / 50 % 10), "ewma", start + i, i, i, i, i, 1, i % 500 == 0), ids, sb);
            if (sb.size() > (8 << 20) || i == n - 1) {
                sb.copyInto(copy, "ingest_test", ScoresTable.TABLE.columns());
                c.commit();
                sb.clear();
            }
        }
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE ingest_test");
        }
        return String.format(Locale.ROOT, "COPY into score_points %s: %.0f rows/s (2 M rows)",
                indexes ? "with the final indexes (primary key, flagged-time, BRIN on time)" : "without any index", rate);
    }

    private static double time(Connection c, String sql) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    // read every row, as Grafana does
                }
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }

    private static Connection connect(String url, LocalPostgres.Target pg) throws java.sql.SQLException {
        return pg.connect(url);
    }
}
