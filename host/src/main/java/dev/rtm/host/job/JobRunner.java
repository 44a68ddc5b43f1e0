package dev.rtm.host.job;

import dev.rtm.api.Settings;
import dev.rtm.host.RtmException;
import dev.rtm.host.config.HostSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.sink.Schema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Turns a validated config into a running job: checkpointing on (offsets, detector state and
 * committed rows move together), a deliberate fixed-delay restart strategy (Flink's default with
 * checkpointing is to retry forever), the heap state backend, the schema applied to PostgreSQL.
 * The same code runs in a local MiniCluster and, via {@code flink run}, on a cluster.
 */
public final class JobRunner {

    private JobRunner() {
    }

    /**
     * Job settings from the config's sections.
     *
     * @param shipPlugins ship the plugins dir with the job (for a cluster whose TaskManagers lack it)
     */
    public static JobSettings settings(RtmConfig cfg, Path pluginsDir, boolean bounded, boolean shipPlugins) {
        HostSettings h = cfg.host();
        Settings k = h.kafka();
        Settings job = h.job();
        JobSettings.Postgres postgres = postgres(cfg);
        return new JobSettings(k.get(HostSettings.Kafka.BOOTSTRAP), k.get(HostSettings.Kafka.METRICS),
                k.get(HostSettings.Kafka.DLQ), HostSettings.orNull(k.get(HostSettings.Kafka.ANOMALIES)), k.get(HostSettings.Kafka.GROUP),
                HostSettings.orNull(k.get(HostSettings.Kafka.REGISTRY)), cfg.text(),
                cfg.file() == null ? null : cfg.file().toAbsolutePath().toString(), pluginsDir.toAbsolutePath().toString(),
                shipPlugins ? pluginsDir.toAbsolutePath().toString() : null,
                Duration.ofSeconds(job.get(HostSettings.Job.MAX_FUTURE)), Duration.ofSeconds(job.get(HostSettings.Job.MAX_PAST)),
                bounded, postgres, job.get(HostSettings.Job.FORECAST_EVERY), job.get(HostSettings.Job.FORECAST_HORIZON),
                dev.rtm.host.alert.AlertRule.of(cfg));
    }

    /** The {@code postgres} section as connection settings, or null when {@code postgres.url} is none. */
    public static JobSettings.Postgres postgres(RtmConfig cfg) {
        Settings pg = cfg.host().postgres();
        String pgUrl = HostSettings.orNull(pg.get(HostSettings.Postgres.URL));
        return pgUrl == null ? null : new JobSettings.Postgres(pgUrl,
                pg.get(HostSettings.Postgres.USER), emptyToNull(pg.get(HostSettings.Postgres.PASSWORD)),
                pg.get(HostSettings.Postgres.BATCH), pg.get(HostSettings.Postgres.FLUSH),
                pg.get(HostSettings.Postgres.OUTAGE_TOLERANCE) * 1000L);
    }

    /** Checkpoints in a row that may fail (time out) before Flink restarts the job. */
    public static final int TOLERABLE_CHECKPOINT_FAILURES = 1000;

    /** The Flink configuration the job runs with. */
    public static Configuration flinkConfig(RtmConfig cfg) {
        Settings job = cfg.host().job();
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(job.get(HostSettings.Job.CHECKPOINT)));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, job.get(HostSettings.Job.RESTARTS));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(job.get(HostSettings.Job.RESTART_DELAY)));
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        // while the database is away the sinks hold their rows and wait (see PostgresSink), so a
        // checkpoint can time out; that is not a reason to restart the job
        conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, TOLERABLE_CHECKPOINT_FAILURES);
        String dir = HostSettings.orNull(job.get(HostSettings.Job.CHECKPOINT_DIR));
        if (dir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
        }
        return conf;
    }

    /** Applies {@code sql/init.sql} with the default storage settings; returns the mode ("timescaledb" or "postgresql"). */
    public static String initDb(JobSettings.Postgres pg) {
        return initDb(pg, Schema.Storage.DEFAULT);
    }

    /** Applies {@code sql/init.sql}; returns the mode ("timescaledb" or "postgresql"). */
    public static String initDb(JobSettings.Postgres pg, Schema.Storage storage) {
        Properties p = new Properties();
        if (pg.user() != null) {
            p.setProperty("user", pg.user());
        }
        if (pg.password() != null) {
            p.setProperty("password", pg.password());
        }
        try (Connection c = DriverManager.getConnection(pg.url(), p)) {
            String mode = Schema.apply(c, storage);
            String writer = System.getenv("RTM_PG_WRITER_PASSWORD");
            String reader = System.getenv("RTM_PG_READER_PASSWORD");
            if (writer != null || reader != null) {
                Schema.applyRoles(c, writer, reader);
            }
            return mode;
        } catch (SQLException e) {
            throw new RtmException("cannot prepare the database at " + dev.rtm.host.config.JdbcUrls.redact(pg.url()) + " (user " + pg.user() + "): " + e.getMessage());
        }
    }

    /**
     * A Flink cluster to submit to: its REST endpoint, and the jars to ship as the job's code.
     *
     * @param host REST host
     * @param port REST port
     * @param jars the job's jars (rtm's lib dir); Flink's own classes load parent-first anyway
     */
    public record Cluster(String host, int port, List<Path> jars) {
        /** {@code host:port} with every jar in {@code lib}. */
        public static Cluster of(String hostPort, Path lib) {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new RtmException("cluster '" + hostPort + "' is not host:port (the JobManager's REST endpoint)");
            }
            try (var files = java.nio.file.Files.list(lib)) {
                return new Cluster(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)),
                        files.filter(f -> f.toString().endsWith(".jar")).sorted().toList());
            } catch (java.io.IOException | NumberFormatException e) {
                throw new RtmException("cannot use cluster " + hostPort + " with jars from " + lib + ": " + e.getMessage());
            }
        }
    }

    /** Builds and starts the job without waiting for it; cancel it with the returned client. */
    public static JobClient start(RtmConfig cfg, Path pluginsDir, boolean bounded, Integer parallelism, Cluster cluster)
            throws Exception {
        return start(cfg, pluginsDir, bounded, parallelism, cluster, postgres(cfg));
    }

    /** As above, writing to {@code postgres} (null: no storage) rather than the config's {@code postgres.url}. */
    public static JobClient start(RtmConfig cfg, Path pluginsDir, boolean bounded, Integer parallelism, Cluster cluster,
                                  JobSettings.Postgres postgres) throws Exception {
        JobSettings s = settings(cfg, pluginsDir, bounded, cluster != null).withPostgres(postgres);
        if (s.postgres() != null) {
            initDb(s.postgres(), Schema.Storage.of(cfg.host().postgres()));
        }
        return start(cfg, s, parallelism, cluster);
    }

    /** Starts the job with settings made by the caller (the demo, the benchmark). */
    public static JobClient start(RtmConfig cfg, JobSettings s, Integer parallelism) throws Exception {
        return start(cfg, s, parallelism, null);
    }

    /** Starts the job, locally (MiniCluster) or on {@code cluster}. */
    public static JobClient start(RtmConfig cfg, JobSettings s, Integer parallelism, Cluster cluster) throws Exception {
        Configuration conf = flinkConfig(cfg);
        // outside the flink CLI, getExecutionEnvironment is always local: a cluster needs a remote env
        StreamExecutionEnvironment env = cluster == null
                ? StreamExecutionEnvironment.getExecutionEnvironment(conf)
                : StreamExecutionEnvironment.createRemoteEnvironment(cluster.host(), cluster.port(), conf,
                        cluster.jars().stream().map(j -> j.toAbsolutePath().toString()).toArray(String[]::new));
        env.setParallelism(parallelism != null ? parallelism : cfg.host().job().get(HostSettings.Job.PARALLELISM));
        MetricsJob.build(env, s);
        return env.executeAsync("rtm");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
