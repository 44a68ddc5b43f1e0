package dev.rtm.host.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.host.decode.MetricPoint;
import dev.rtm.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink COPYs batches straight into the table and falls back to the upsert when a batch meets
 * rows that are already stored (what a replay after a restart sends): on real Flink and PostgreSQL,
 * a second run over the same keys, with other values and some new rows, leaves each key once with
 * the newest value.
 */
class PostgresSinkReplayTest {

    @TempDir
    Path tmp;

    @Test
    void aReplayedBatchIsUpsertedNotDoubledAndNewRowsBesideItAreStored() throws Exception {
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg")); Connection c = pg.connect(); Statement s = c.createStatement()) {
            Schema.apply(c);
            run(pg, points(0, 3_000, 1.0));                    // first run: straight COPY
            assertThat(rows(s, "SELECT count(*), sum(value) FROM metrics")).containsExactly("3000 3000");

            // a replay of rows 2000..2999 with other values, then rows beyond: overwritten and added, none doubled
            long rollbacksBefore = rollbacks(s);
            List<MetricPoint> replay = points(2_000, 5_000, 2.0);
            // and a key twice within one batch (a producer that sent a record twice): stored once
            replay.add(new MetricPoint("h", "m", 1_700_000_000_000L + 4_999_000L, 2.0));
            run(pg, replay);
            assertThat(rows(s, "SELECT count(*), sum(value) FROM metrics"))
                    .as("2000 rows of the first run at 1.0, 3000 of the second at 2.0")
                    .containsExactly("5000 8000");
            assertThat(rows(s, "SELECT count(*) FROM (SELECT host, metric, time FROM metrics GROUP BY 1, 2, 3 HAVING count(*) > 1) d"))
                    .containsExactly("0");
            // the straight COPY of the batch that met stored rows was rolled back before the upsert
            dev.rtm.local.Poll.until("the replayed batch's rollback in pg_stat_database", java.time.Duration.ofSeconds(30),
                    () -> rollbacks(s) > rollbacksBefore);
        }
    }

    private static long rollbacks(Statement s) {
        try {
            s.execute("SELECT pg_stat_clear_snapshot()");
            return Long.parseLong(rows(s, "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()").get(0));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<MetricPoint> points(int from, int to, double value) {
        List<MetricPoint> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new MetricPoint("h", "m", 1_700_000_000_000L + i * 1_000L, value));
        }
        return out;
    }

    private static void run(PostgresServer pg, List<MetricPoint> points) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(points).sinkTo(new PostgresSink<>(pg.url(), null, null, MetricsTable.TABLE, 250, 60_000));
        env.execute("sink replay");
    }

    private static List<String> rows(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    line.append(i > 1 ? " " : "").append(r.getString(i));
                }
                out.add(line.toString());
            }
        }
        return out;
    }
}
