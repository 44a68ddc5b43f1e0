package dev.rtm.host.job;

import dev.rtm.wire.Urls;
import dev.rtm.api.Settings;
import dev.rtm.host.RtmException;
import dev.rtm.host.config.HostSettings;
import dev.rtm.host.config.PostgresSettings;
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
 * Starts the job from rtm's own process ({@code rtm job}, {@code rtm demo}, the benches and tests):
 * in a local MiniCluster, or submitted to a running cluster's REST endpoint with rtm's jars
 * ({@code rtm job --cluster}). It turns a validated config into a running job: checkpointing on
 * (offsets, detector state and committed rows move together), a deliberate fixed-delay restart
 * strategy (Flink's default with checkpointing is to retry forever), the heap state backend, the
 * schema applied to PostgreSQL. It has no {@code main}: Flink's own tools ({@code flink run},
 * application mode) enter through {@link FlinkJob}, which builds the same graph with the same
 * {@link #settings} and {@link #clusterConfig}.
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
        return JobSettings.from(cfg).plugins(shipPlugins ? JobSettings.Plugins.shipped(pluginsDir) : JobSettings.Plugins.at(pluginsDir))
                .bounded(bounded).build();
    }

    /** Checkpoints in a row that may fail (time out) before Flink restarts the job. */
    public static final int TOLERABLE_CHECKPOINT_FAILURES = 1000;

    /** The Flink configuration the job runs with. */
    public static Configuration flinkConfig(RtmConfig cfg) {
        Settings job = cfg.host().job();
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(job.get(HostSettings.Job.CHECKPOINT)));
        conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMillis(job.get(HostSettings.Job.CHECKPOINT_TIMEOUT)));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, job.get(HostSettings.Job.RESTARTS));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(job.get(HostSettings.Job.RESTART_DELAY)));
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        // while the database is away the sinks hold their rows and wait (see PostgresSink), so a
        // checkpoint can time out; that is not a reason to restart the job
        conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, TOLERABLE_CHECKPOINT_FAILURES);
        String dir = checkpointDir(cfg, false);
        if (dir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
            conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, dir + "/savepoints");
        }
        String port = job.get(HostSettings.Job.METRICS_PORT).strip();
        if (!port.equals("0")) {
            conf.set(stringOption(PROMETHEUS_REPORTER + "factory.class"), "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.set(stringOption(PROMETHEUS_REPORTER + "port"), port);
        }
        return conf;
    }

    /**
     * Prefix of the Prometheus reporter's keys in the Flink config ({@code job.metrics-port}); the
     * same keys go in a cluster's own Flink config (see the README's "Metrics").
     */
    public static final String PROMETHEUS_REPORTER = "metrics.reporter.prom.";

    /**
     * For a job on this machine: narrows the Prometheus reporter's port (a port or a range) to the
     * first one free now, or, when all are taken (another rtm job or demo has it), drops the reporter
     * with a one-line warning; Flink would log a stack trace and run without it.
     *
     * @return the port, or -1 when the reporter is off or dropped
     */
    public static int claimMetricsPort(Configuration conf) {
        org.apache.flink.configuration.ConfigOption<String> portKey = stringOption(PROMETHEUS_REPORTER + "port");
        String spec = conf.get(portKey);
        if (spec == null) {
            return -1;
        }
        String[] range = spec.strip().split("-");
        int lo = Integer.parseInt(range[0]);
        int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
        for (int p = lo; p <= hi; p++) {
            try (java.net.ServerSocket free = new java.net.ServerSocket(p)) {
                conf.set(portKey, String.valueOf(p));
                return p;
            } catch (java.io.IOException taken) {
                // the next one
            }
        }
        conf.removeConfig(portKey);
        conf.removeConfig(stringOption(PROMETHEUS_REPORTER + "factory.class"));
        org.slf4j.LoggerFactory.getLogger(JobRunner.class).warn("job.metrics-port {} is taken: this job runs without its "
                + "Prometheus endpoint (give a free port, or a range like 9249-9259)", spec);
        return -1;
    }

    /**
     * The Flink configuration for a job submitted to a cluster by Flink's own tools ({@link FlinkJob}):
     * as {@link #flinkConfig} but a {@code default} checkpoint dir is left to the cluster's settings.
     */
    public static Configuration clusterConfig(RtmConfig cfg) {
        Configuration conf = flinkConfig(cfg);
        if ("default".equals(HostSettings.orNull(cfg.host().job().get(HostSettings.Job.CHECKPOINT_DIR)))) {
            conf.removeConfig(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
            conf.removeConfig(CheckpointingOptions.SAVEPOINT_DIRECTORY);
        }
        return conf;
    }

    /**
     * The job's checkpoint dir as a URI: {@code job.checkpoint-dir}, with {@code default} resolved to
     * {@code checkpoints/} under the rtm data dir for a local job and to null (the cluster's own
     * setting) for one submitted to a cluster; null for {@code none}.
     */
    public static String checkpointDir(RtmConfig cfg, boolean onCluster) {
        String dir = HostSettings.orNull(cfg.host().job().get(HostSettings.Job.CHECKPOINT_DIR));
        if (!"default".equals(dir)) {
            return dir;
        }
        return onCluster ? null : dataDir().resolve("checkpoints").toAbsolutePath().toUri().toString().replaceAll("/$", "");
    }

    /** rtm's data dir: {@code $RTM_DATA_DIR}, else {@code ~/.rtm}. */
    public static Path dataDir() {
        String env = System.getenv("RTM_DATA_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".rtm");
    }

    /** Name of the file in a checkpoint dir that points at the savepoint the last {@code rtm job} stopped with. */
    static final String LAST_SAVEPOINT = "last-savepoint";

    /**
     * The state a local job resumes from: the savepoint the last run stopped with (see
     * {@link #stopWithSavepoint}), else the newest checkpoint kept in {@code checkpointDir}, else
     * none. Only {@code file:} dirs are looked into.
     */
    public static java.util.Optional<String> lastState(String checkpointDir) throws java.io.IOException {
        if (checkpointDir == null || !checkpointDir.startsWith("file:")) {
            return java.util.Optional.empty();
        }
        Path dir = localPath(checkpointDir);
        Path pointer = dir.resolve(LAST_SAVEPOINT);
        if (java.nio.file.Files.isRegularFile(pointer)) {
            String sp = java.nio.file.Files.readString(pointer).trim();
            Path spDir = localPath(sp);
            if (java.nio.file.Files.isRegularFile(spDir.resolve("_metadata"))) {
                return java.util.Optional.of(sp);
            }
        }
        if (!java.nio.file.Files.isDirectory(dir)) {
            return java.util.Optional.empty();
        }
        try (var jobs = java.nio.file.Files.list(dir)) {
            return jobs.filter(java.nio.file.Files::isDirectory).flatMap(j -> {
                try (var chks = java.nio.file.Files.list(j)) {
                    return chks.filter(c -> c.getFileName().toString().startsWith("chk-")
                            && java.nio.file.Files.isRegularFile(c.resolve("_metadata"))).toList().stream();
                } catch (java.io.IOException e) {
                    return java.util.stream.Stream.empty();
                }
            }).max(java.util.Comparator.comparing(c -> c.resolve("_metadata").toFile().lastModified()))
                    .map(c -> c.toUri().toString());
        }
    }

    /**
     * Stops the job with a savepoint in {@code <checkpointDir>/savepoints}, records it as the state
     * the next local run resumes from, and returns its path.
     */
    public static String stopWithSavepoint(JobClient job, String checkpointDir) throws Exception {
        String sp = job.stopWithSavepoint(false, checkpointDir + "/savepoints",
                org.apache.flink.core.execution.SavepointFormatType.CANONICAL).get(2, java.util.concurrent.TimeUnit.MINUTES);
        if (checkpointDir.startsWith("file:")) {
            Path dir = localPath(checkpointDir);
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve(LAST_SAVEPOINT), sp + "\n");
        }
        return sp;
    }

    /** Applies {@code sql/init.sql} with the default storage settings; returns the mode ("timescaledb" or "postgresql"). */
    public static String initDb(PostgresSettings pg) {
        return initDb(pg, Schema.Storage.DEFAULT);
    }

    /** Applies {@code sql/init.sql}; returns the mode ("timescaledb" or "postgresql"). */
    public static String initDb(PostgresSettings pg, Schema.Storage storage) {
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
            throw new RtmException("cannot prepare the database at " + dev.rtm.wire.Urls.redact(pg.url()) + " (user " + pg.user() + "): " + e.getMessage());
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
        return start(cfg, pluginsDir, bounded, parallelism, cluster, PostgresSettings.of(cfg.host().postgres()));
    }

    /** As above, writing to {@code postgres} (null: no storage) rather than the config's {@code postgres.url}. */
    public static JobClient start(RtmConfig cfg, Path pluginsDir, boolean bounded, Integer parallelism, Cluster cluster,
                                  PostgresSettings postgres) throws Exception {
        return start(cfg, pluginsDir, bounded, parallelism, cluster, postgres, null, false);
    }

    /** As above, from {@code restoreFrom} (null: no state), keeping the last checkpoint on cancel if asked. */
    public static JobClient start(RtmConfig cfg, Path pluginsDir, boolean bounded, Integer parallelism, Cluster cluster,
                                  PostgresSettings postgres, String restoreFrom, boolean keepCheckpoints) throws Exception {
        JobSettings s = settings(cfg, pluginsDir, bounded, cluster != null).toBuilder().postgres(postgres).build();
        if (s.postgres() != null) {
            initDb(s.postgres(), Schema.Storage.of(cfg.host().postgres()));
        }
        return start(cfg, s, parallelism, cluster, restoreFrom, keepCheckpoints);
    }

    /** Starts the job with settings made by the caller (the demo, the benchmark). */
    public static JobClient start(RtmConfig cfg, JobSettings s, Integer parallelism) throws Exception {
        return start(cfg, s, parallelism, null);
    }

    /** Starts the job, locally (MiniCluster) or on {@code cluster}. */
    public static JobClient start(RtmConfig cfg, JobSettings s, Integer parallelism, Cluster cluster) throws Exception {
        return start(cfg, s, parallelism, cluster, null, false);
    }

    /**
     * Starts the job, locally (MiniCluster) or on {@code cluster}, from the savepoint or retained
     * checkpoint {@code restoreFrom} (null: from nothing); with {@code keepCheckpoints} the last
     * checkpoint is kept when the job is cancelled, so a later run can resume from it.
     */
    public static JobClient start(RtmConfig cfg, JobSettings s, Integer parallelism, Cluster cluster, String restoreFrom,
                                  boolean keepCheckpoints) throws Exception {
        Configuration conf = flinkConfig(cfg);
        if (cluster == null) {
            claimMetricsPort(conf);
        }
        if (cluster != null && "default".equals(HostSettings.orNull(cfg.host().job().get(HostSettings.Job.CHECKPOINT_DIR)))) {
            conf.removeConfig(CheckpointingOptions.CHECKPOINTS_DIRECTORY); // the cluster's own setting
            conf.removeConfig(CheckpointingOptions.SAVEPOINT_DIRECTORY);
        }
        if (restoreFrom != null) {
            conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
            if (keepCheckpoints && within(restoreFrom, conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))) {
                // rtm's own state: the job takes it over and Flink deletes it once a newer checkpoint
                // completes, so a job restarted daily does not leave a full copy of its state behind each time
                conf.set(org.apache.flink.configuration.StateRecoveryOptions.RESTORE_MODE,
                        org.apache.flink.core.execution.RecoveryClaimMode.CLAIM);
            }
        }
        if (keepCheckpoints) {
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        // outside the flink CLI, getExecutionEnvironment is always local: a cluster needs a remote env
        StreamExecutionEnvironment env = cluster == null
                ? StreamExecutionEnvironment.getExecutionEnvironment(conf)
                : StreamExecutionEnvironment.createRemoteEnvironment(cluster.host(), cluster.port(), conf,
                        cluster.jars().stream().map(j -> j.toAbsolutePath().toString()).toArray(String[]::new));
        env.setParallelism(parallelism != null ? parallelism : cfg.host().job().get(HostSettings.Job.PARALLELISM));
        MetricsJob.build(env, s);
        return env.executeAsync("rtm");
    }

    /** Whether {@code state} (a path or {@code file:} URI) lies in the local dir {@code dir} (null: no). */
    static boolean within(String state, String dir) {
        if (dir == null || !dir.startsWith("file:")) {
            return false;
        }
        return localPath(state).toAbsolutePath().normalize().startsWith(localPath(dir).normalize());
    }

    /** A local path given as a path or a {@code file:} URI (what Flink returns for a savepoint). */
    private static Path localPath(String pathOrUri) {
        return pathOrUri.startsWith("file:") ? Path.of(java.net.URI.create(pathOrUri)) : Path.of(pathOrUri);
    }

    private static org.apache.flink.configuration.ConfigOption<String> stringOption(String key) {
        return org.apache.flink.configuration.ConfigOptions.key(key).stringType().noDefaultValue();
    }
}
