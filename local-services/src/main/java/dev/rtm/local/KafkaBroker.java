package dev.rtm.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real single-node Kafka broker (KRaft, broker + controller) in a child JVM, from the
 * {@code kafka_2.13} jars on the test classpath: {@code kafka.tools.StorageTool format --standalone},
 * then {@code kafka.Kafka}. Its own JVM keeps broker internals off the job's classpath.
 */
public final class KafkaBroker implements AutoCloseable {

    private Process process;
    private final int port;
    private final List<String> command;
    private final Path workDir;

    private KafkaBroker(Process process, int port, List<String> command, Path workDir) {
        this.process = process;
        this.port = port;
        this.command = command;
        this.workDir = workDir;
    }

    /** Formats storage under {@code workDir}, starts the broker and waits until it serves requests. */
    public static KafkaBroker start(Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        int port = Processes.freePort();
        int controller = Processes.freePort();
        Path props = workDir.resolve("server.properties");
        Files.writeString(props, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + workDir.resolve("data"),
                "num.partitions=2",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false", ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<String> jvm = List.of(java, "-Xmx512m", "-Djava.io.tmpdir=" + workDir,
                "-Dlog4j2.configurationFile=" + writeLogConfig(workDir), "-cp", cp);
        Process format = new ProcessBuilder(concat(jvm, "kafka.tools.StorageTool", "format", "--standalone",
                "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c", props.toString()))
                .redirectErrorStream(true).redirectOutput(workDir.resolve("format.log").toFile()).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            Processes.stop(format);
            throw new IOException("kafka storage format failed; see " + workDir.resolve("format.log"));
        }
        List<String> command = concat(jvm, "kafka.Kafka", props.toString());
        KafkaBroker b = new KafkaBroker(null, port, command, workDir);
        b.launch();
        return b;
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("broker.log").toFile())).start();
        String what = "Kafka broker (log: " + workDir.resolve("broker.log") + ")";
        try {
            // the port first: an admin client that finds nothing there logs a warning per attempt
            Poll.untilReady(what, Duration.ofSeconds(120), process, () -> Processes.listening(port));
            try (Admin admin = admin()) {
                Poll.untilReady(what, Duration.ofSeconds(60), process,
                        () -> !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Stops the broker (SIGTERM: a controlled shutdown), keeping its log dirs; {@link #restart} brings it back. */
    public void stop() {
        Processes.stop(process);
    }

    /** Starts a stopped broker again, on the same port and log dirs, and waits until it serves requests. */
    public void restart() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        launch();
    }

    private static Path writeLogConfig(Path dir) throws IOException {
        Path f = dir.resolve("log4j2.properties");
        Files.writeString(f, "rootLogger.level=warn\nrootLogger.appenderRef.out.ref=out\n"
                + "appender.out.type=Console\nappender.out.name=out\nappender.out.layout.type=PatternLayout\n"
                + "appender.out.layout.pattern=%d %p %c - %m%n\n");
        return f;
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** {@code host:port} for clients. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** An admin client; close it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    /** Creates topics with the given partition count. */
    public void createTopics(int partitions, String... names) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(java.util.Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
