package dev.rtm.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Apicurio Registry (2.x, in-memory storage) in a child JVM, from the Maven Central tarball
 * the build unpacks into the distribution ({@code cli/target/rtm/apicurio}). Serves the Confluent
 * API under {@code /apis/ccompat/v7}.
 */
public final class ApicurioRegistry implements AutoCloseable {

    private final Process process;
    private final int port;

    private ApicurioRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a registry and waits until it answers.
     *
     * @param home the unpacked Apicurio distribution (holds {@code *-runner.jar})
     * @param workDir its working dir and log
     */
    public static ApicurioRegistry start(Path home, Path workDir) throws IOException {
        return start(home, workDir, Processes.freePort());
    }

    private static ApicurioRegistry start(Path home, Path workDir, int port) throws IOException {
        Path runner;
        try (Stream<Path> s = Files.list(home)) {
            runner = s.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IOException("no Apicurio runner jar in " + home + " (the build unpacks it there)"));
        }
        Files.createDirectories(workDir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-Djava.io.tmpdir=" + workDir,
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar", runner.toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("apicurio.log").toFile())
                .start();
        ApicurioRegistry reg = new ApicurioRegistry(p, port);
        try {
            Poll.untilReady("Apicurio registry (log: " + workDir.resolve("apicurio.log") + ")", Duration.ofSeconds(90), p,
                    () -> Processes.httpBody(reg.confluentUrl() + "/subjects") != null);
        } catch (RuntimeException e) {
            reg.close();
            throw e;
        }
        return reg;
    }

    /** The Confluent-compatible API root. */
    public String confluentUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
