package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command prints no plugin-loading chatter (the SHA-256 of every plugin) on stderr, while
 * {@code rtm plugins} still shows the hashes (issue 17, point 18). Run as a child JVM, as the
 * launcher runs it, so that the real logging configuration applies.
 */
class QuietStartTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private Run rtm(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.rtm.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
                .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        pb.environment().remove("RTM_LOG");
        Process p = pb.start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("rtm " + String.join(" ", args) + " finished").isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void pluginLoadingIsNotLoggedButRtmPluginsShowsTheHashes() throws Exception {
        String plugins = PluginJars.distPlugins().toAbsolutePath().toString();
        Path csv = Files.writeString(tmp.resolve("s.csv"), "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,2\n");
        Run replay = rtm("replay", csv.toString(), "--detectors", "ewma", "--plugins-dir", plugins,
                "--out", tmp.resolve("scores.csv").toString());
        assertThat(replay.code()).as(replay.err()).isZero();
        assertThat(replay.err()).doesNotContain("sha256=").doesNotContain(" INFO ");

        Run list = rtm("plugins", "--plugins-dir", plugins);
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("SHA-256").containsPattern("(?m)^ewma +\\S+ +\\S+ +\\S+\\.zip +[0-9a-f]{64}$");
        assertThat(list.err()).doesNotContain("sha256=");
    }
}
