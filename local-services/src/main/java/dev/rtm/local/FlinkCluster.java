package dev.rtm.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Flink standalone session cluster (one JobManager, one TaskManager with 2 slots) as child
 * JVMs, from the Flink jars of the rtm distribution ({@code lib/}, less rtm's own), for testing
 * that the job runs on a cluster. There is no {@code flink-dist} for Flink 2.x on Maven Central; these are the same
 * entry points its scripts start, with the TaskManager's memory flags computed by
 * {@code BashJavaUtils} and the JDK 17 module flags Flink's default config sets.
 */
public final class FlinkCluster implements AutoCloseable {

    /** The module flags Flink's default config passes to every cluster JVM on JDK 17. */
    public static final List<String> JDK17_FLAGS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Process jobManager;
    private Process taskManager;
    private final List<String> taskManagerCommand;
    private final Path workDir;
    private int taskManagers = 1;
    private final int restPort;

    private FlinkCluster(Process jobManager, Process taskManager, List<String> taskManagerCommand, Path workDir, int restPort) {
        this.jobManager = jobManager;
        this.taskManager = taskManager;
        this.taskManagerCommand = taskManagerCommand;
        this.workDir = workDir;
        this.restPort = restPort;
    }

    /** Starts the cluster from {@code lib} and waits until the TaskManager's slots are registered. */
    public static FlinkCluster start(Path lib, Path workDir) throws IOException, InterruptedException {
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        int rpc = Processes.freePort();
        int rest = Processes.freePort();
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "jobmanager:",
                "  rpc: {address: 127.0.0.1, port: " + rpc + "}",
                "  bind-host: 127.0.0.1",
                "  memory: {process: {size: 1024m}}",
                "taskmanager:",
                "  host: 127.0.0.1",
                "  bind-host: 127.0.0.1",
                "  numberOfTaskSlots: 2",
                "  memory: {process: {size: 1600m}}",
                "rest: {address: 127.0.0.1, bind-address: 127.0.0.1, port: " + rest + "}",
                "heartbeat: {interval: 1000, timeout: 8000}", // a killed TaskManager is noticed in seconds
                "io: {tmp: {dirs: " + workDir.resolve("tmp") + "}}", ""));
        Files.createDirectories(workDir.resolve("tmp"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = flinkClasspath(lib, workDir);
        List<String> jm = new ArrayList<>(List.of(java));
        jm.addAll(JDK17_FLAGS);
        jm.addAll(List.of("-Xmx512m", "-Djava.io.tmpdir=" + workDir.resolve("tmp"), "-cp", cp,
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "--configDir", conf.toString()));
        Process jobManager = withOwnPluginsDir(new ProcessBuilder(jm), workDir).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("jobmanager.log").toFile()).start();
        List<String> params = resourceParams(java, cp, conf, workDir);
        List<String> tm = new ArrayList<>(List.of(java));
        tm.addAll(JDK17_FLAGS);
        tm.addAll(List.of(params.get(0).split(" ")));
        tm.addAll(List.of("-Djava.io.tmpdir=" + workDir.resolve("tmp"), "-cp", cp,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "--configDir", conf.toString()));
        tm.addAll(List.of(params.get(1).split(" ")));
        Process taskManager = withOwnPluginsDir(new ProcessBuilder(tm), workDir).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("taskmanager.log").toFile()).start();
        FlinkCluster cluster = new FlinkCluster(jobManager, taskManager, tm, workDir, rest);
        try {
            cluster.awaitSlots(taskManager);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void awaitSlots(Process tm) {
        Poll.untilReady("Flink cluster (logs in " + workDir + ")", Duration.ofSeconds(120), tm, () -> {
            String body = Processes.httpBody("http://127.0.0.1:" + restPort + "/overview");
            return body != null && body.contains("\"slots-total\":2") && body.contains("\"taskmanagers\":1");
        });
    }

    /** Kills the TaskManager process at once (SIGKILL), as a machine failure would. */
    public void killTaskManager() throws InterruptedException {
        taskManager.destroyForcibly();
        taskManager.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts a new TaskManager in place of the killed one and waits until its slots are registered. */
    public void startTaskManager() throws IOException {
        taskManagers++;
        taskManager = withOwnPluginsDir(new ProcessBuilder(taskManagerCommand), workDir).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("taskmanager-" + taskManagers + ".log").toFile()).start();
        awaitSlots(taskManager);
    }

    /**
     * {@code pb} run with an empty Flink plugins dir of the cluster's own: Flink takes every directory in
     * {@code $FLINK_PLUGINS_DIR} (default {@code plugins} in the working directory) as a Flink plugin, and in
     * rtm's checkout that is rtm's own {@code plugins/}, which Flink refused.
     */
    private static ProcessBuilder withOwnPluginsDir(ProcessBuilder pb, Path workDir) throws IOException {
        pb.environment().put("FLINK_PLUGINS_DIR", Files.createDirectories(workDir.resolve("flink-plugins")).toAbsolutePath().toString());
        return pb;
    }

    /** Jar name prefixes of what a flink-dist lib does not have: rtm, its libraries, connectors, Kafka. */
    private static final List<String> NOT_FLINK = List.of("rtm-", "pf4j", "picocli", "jackson-", "snakeyaml-2", "xchart",
            "VectorGraphics2D", "animated-gif", "graphics2d", "pdfbox", "fontbox", "avro", "flink-connector-kafka", "kafka",
            "scala", "zstd", "postgresql", "checker-qual", "oshi", "jna", "java-semver");

    /**
     * The cluster's classpath: {@code lib} without rtm's own libraries, connectors and Kafka, which
     * approximates a {@code flink-dist} lib (Flink's modules and their dependencies). The job ships
     * those as its code, exactly as it would to any Flink cluster.
     */
    private static String flinkClasspath(Path lib, Path workDir) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("flink-lib"));
        try (var jars = Files.list(lib)) {
            for (Path jar : jars.toList()) {
                String name = jar.getFileName().toString();
                if (name.endsWith(".jar") && NOT_FLINK.stream().noneMatch(name::startsWith)) {
                    Files.createSymbolicLink(dir.resolve(name), jar.toAbsolutePath());
                }
            }
        }
        return dir.toAbsolutePath() + "/*";
    }

    /** The TaskManager's JVM flags and dynamic properties, as Flink's scripts compute them. */
    private static List<String> resourceParams(String java, String cp, Path conf, Path workDir) throws IOException, InterruptedException {
        Path out = workDir.resolve("tm-params.log");
        Process p = withOwnPluginsDir(new ProcessBuilder(java, "-cp", cp, "org.apache.flink.runtime.util.bash.BashJavaUtils",
                "GET_TM_RESOURCE_PARAMS", "--configDir", conf.toString()), workDir).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            Processes.stop(p);
            throw new IOException("BashJavaUtils failed; see " + out);
        }
        List<String> lines = Files.readAllLines(out).stream().filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim()).toList();
        if (lines.size() < 2) {
            throw new IOException("unexpected BashJavaUtils output; see " + out);
        }
        return lines.subList(lines.size() - 2, lines.size());
    }

    /** Checkpoints of job {@code jobId} (hex) completed so far, as the REST endpoint counts them; 0 when it does not answer. */
    public long completedCheckpoints(String jobId) {
        String body = Processes.httpBody("http://127.0.0.1:" + restPort + "/jobs/" + jobId + "/checkpoints");
        java.util.regex.Matcher m = body == null ? null
                : java.util.regex.Pattern.compile("\"counts\":\\{[^}]*\"completed\":(\\d+)").matcher(body);
        return m != null && m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The REST endpoint's port (job submission, web UI). */
    public int restPort() {
        return restPort;
    }

    @Override
    public void close() {
        Processes.stop(taskManager);
        Processes.stop(jobManager);
    }
}
