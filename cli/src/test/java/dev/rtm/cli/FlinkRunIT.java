package dev.rtm.cli;


import dev.rtm.testing.PacedProducer;
import static dev.rtm.testing.PacedProducer.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import dev.rtm.local.FlinkCluster;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.Poll;
import dev.rtm.local.Processes;
import dev.rtm.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar ({@code target/rtm/job/rtm-job.jar}) as Flink users deploy it: submitted with Flink's
 * own command line ({@code flink run}: its entry class {@code CliFrontend}, on the classpath a Flink
 * installation has, with the cluster's config dir) to a standalone session cluster whose
 * TaskManager loads the plugins from a dir of its own; score rows arrive in PostgreSQL. And the jar
 * carries the job, not the CLI, the agent, the local services or Flink itself. {@code rtm job stop}
 * then stops it with a savepoint.
 */
class FlinkRunIT {

    @TempDir
    Path tmp;

    @Test
    void theJobJarHoldsTheJobAndNotTheClientSide() throws Exception {
        Path jar = jobJar();
        assertThat(Files.size(jar)).as("job jar size").isLessThan(40L * 1024 * 1024);
        List<String> entries = new ArrayList<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            z.stream().forEach(e -> entries.add(e.getName()));
        }
        assertThat(entries).contains("dev/rtm/host/job/FlinkJob.class", "dev/rtm/host/job/MetricsJob.class",
                "dev/rtm/host/detect/DetectFunction.class", "org/apache/flink/connector/kafka/source/KafkaSource.class",
                "org/postgresql/Driver.class", "org/pf4j/PluginManager.class", "dev/rtm/api/Detector.class");
        assertThat(entries).as("client-side code and what a Flink installation has").noneMatch(e ->
                e.startsWith("dev/rtm/host/cli/") || e.startsWith("dev/rtm/host/agent/") || e.startsWith("dev/rtm/host/demo/")
                        || e.startsWith("kafka/server/") || e.startsWith("org/apache/kafka/raft/") || e.startsWith("io/apicurio/")
                        || e.startsWith("picocli/") || e.startsWith("org/knowm/xchart/") || e.startsWith("org/apache/flink/runtime/")
                        || e.startsWith("org/apache/flink/streaming/api/environment/") || e.startsWith("scala/")
                        || e.startsWith("dev/rtm/plugins/"));
    }

    @Test
    void flinkRunSubmitsTheJobJarToASessionClusterAndScoresArrive() throws Exception {
        Path dist = Path.of(System.getProperty("rtm.dist", "target/rtm"));
        Path flinkDir = tmp.resolve("flink");
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"));
             FlinkCluster cluster = FlinkCluster.start(dist.resolve("lib"), flinkDir)) {
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("taskmanager-plugins"), "ewma");
            Path config = Files.writeString(tmp.resolve("rtm.yaml"), String.join("\n",
                    "kafka: { bootstrap: \"" + broker.bootstrap() + "\" }",
                    "postgres: { url: \"" + pg.url() + "\" }",
                    "detectors: { ewma: {} }", ""));
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(FlinkCluster.JDK17_FLAGS);
            cmd.addAll(List.of("-cp", flinkDir.resolve("flink-lib").toAbsolutePath() + "/*",
                    "org.apache.flink.client.cli.CliFrontend", "run", "--detached", jobJar().toAbsolutePath().toString(),
                    "--config", config.toString(), "--plugins-dir", plugins.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("flink-run.log").toFile());
            pb.environment().put("FLINK_CONF_DIR", flinkDir.resolve("conf").toAbsolutePath().toString());
            Process run = pb.start();
            assertThat(run.waitFor(3, TimeUnit.MINUTES)).as("flink run returned").isTrue();
            String out = Files.readString(tmp.resolve("flink-run.log"));
            assertThat(run.exitValue()).as("flink run: " + out).isZero();
            assertThat(out).contains("Job has been submitted with JobID");

            try (PacedProducer producer = new PacedProducer(broker.bootstrap(), "metrics", 1_000)) {
                Poll.until("score rows from the submitted job", Duration.ofMinutes(3),
                        () -> count(pg, "SELECT count(*) FROM anomaly_scores WHERE model = 'ewma'") > 2_000);
            }
            assertThat(count(pg, "metrics")).isPositive();

            // rtm job stop: stop-with-savepoint over the cluster's REST API
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("JobID ([0-9a-f]{32})").matcher(out);
            assertThat(id.find()).isTrue();
            String savepoints = tmp.resolve("savepoints").toUri().toString();
            java.io.StringWriter stopOut = new java.io.StringWriter();
            java.io.StringWriter stopErr = new java.io.StringWriter();
            int code = dev.rtm.cli.Main.run(new String[] {"job", "stop", id.group(1), "--cluster", "127.0.0.1:" + cluster.restPort(),
                    "--savepoint-dir", savepoints}, new java.io.PrintWriter(stopOut, true), new java.io.PrintWriter(stopErr, true));
            assertThat(code).as(stopOut + " " + stopErr).isZero();
            assertThat(stopOut.toString()).contains("stopped; savepoint file:");
            try (var files = Files.walk(tmp.resolve("savepoints"))) {
                assertThat(files.anyMatch(f -> f.getFileName().toString().equals("_metadata"))).as("the savepoint's metadata").isTrue();
            }
            assertThat(Processes.httpBody("http://127.0.0.1:" + cluster.restPort() + "/jobs/" + id.group(1))).contains("\"state\":\"FINISHED\"");
        }
    }

    private static Path jobJar() {
        Path jar = Path.of(System.getProperty("rtm.dist", "target/rtm"), "job", "rtm-job.jar");
        assertThat(jar).as("built by mvn package").exists();
        return jar;
    }
}
