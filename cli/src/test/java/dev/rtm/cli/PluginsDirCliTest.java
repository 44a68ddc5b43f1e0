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
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user is told about a plugins dir that holds broken or clashing plugin files. */
class PluginsDirCliTest {

    @TempDir
    Path tmp;

    private Path csv() throws IOException {
        return Files.writeString(tmp.resolve("cpu.csv"), "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:01:00,2\n");
    }

    @Test
    void aPluginsDirThatLoadsNoDetectorIsRefusedSayingWhy() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        Files.writeString(dir.resolve("broken.zip"), "this is not a zip");

        Cli r = Cli.run("replay", csv().toString(), "--plugins-dir", dir.toString(), "-o", tmp.resolve("r.csv").toString());

        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).isEqualTo("rtm: no detector plugin loaded from " + dir.toAbsolutePath()
                + ": broken.zip: not a valid jar/zip file (zip END header not found)\n");
        assertThat(r.out()).doesNotContain("replayed").doesNotContain("select rule");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli e = Cli.run("replay", csv().toString(), "--plugins-dir", empty.toString(), "-o", tmp.resolve("r.csv").toString());
        assertThat(e.code()).isEqualTo(Main.USER_ERROR);
        assertThat(e.err()).isEqualTo("rtm: no detector plugin loaded from " + empty.toAbsolutePath()
                + ": it holds no plugin (*.zip, *.jar or a plugin folder)\n");

        Cli missing = Cli.run("replay", csv().toString(), "--plugins-dir", tmp.resolve("nope").toString(),
                "-o", tmp.resolve("r.csv").toString());
        assertThat(missing.code()).isEqualTo(Main.USER_ERROR);
        assertThat(missing.err()).contains("no detector plugin loaded from " + tmp.resolve("nope").toAbsolutePath()
                + ": the directory does not exist");
    }

    private record Run(int code, String out, String err) {
    }

    /** Runs rtm as a child JVM, as the launcher does, so that the real logging configuration applies. */
    private Run rtm(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("jvm-tmp")),
                "-cp", System.getProperty("java.class.path"), "dev.rtm.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
                .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        pb.environment().remove("RTM_LOG");
        pb.environment().remove("RTM_PF4J_LOG");
        Process p = pb.start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("rtm " + String.join(" ", args) + " finished").isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void eachBadOrClashingPluginFileIsOneLineSayingWhichFileWasKept() throws Exception {
        Path dir = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
        Path bundled;
        try (var files = Files.list(dir)) {
            bundled = files.filter(f -> f.getFileName().toString().startsWith("rtm-plugin-ewma-")).findFirst().orElseThrow();
        }
        Files.copy(bundled, dir.resolve("aaa-ewma-copy.zip")); // same id and version, sorts first
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(dir.resolve("no-manifest.zip")))) {
            z.putNextEntry(new ZipEntry("lib/readme.txt"));
            z.write("no descriptor here".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }

        Run r = rtm("replay", csv().toString(), "-d", "ewma", "--plugins-dir", dir.toString(), "-o", tmp.resolve("r.csv").toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("replayed 1 series");
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as(r.err()).hasSize(2);
        assertThat(lines).filteredOn(l -> l.contains("no-manifest.zip")).singleElement().asString()
                .endsWith("plugin file no-manifest.zip not loaded: not an rtm plugin: no plugin descriptor "
                        + "(META-INF/MANIFEST.MF with Plugin-Id) found");
        assertThat(lines).filteredOn(l -> l.contains("aaa-ewma-copy.zip")).singleElement().asString()
                .endsWith("plugin file aaa-ewma-copy.zip not loaded: plugin id 'ewma' is also in " + bundled.getFileName()
                        + "; kept " + bundled.getFileName() + " (the same version, and it is the one rtm ships), "
                        + "this file is not loaded");
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("PluginDescriptorFinder").doesNotContain("workaround");

        Cli list = Cli.run("plugins", "--plugins-dir", dir.toString());
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("(?m)^ewma +\\S+ +\\S+ +" + bundled.getFileName().toString().replace(".", "\\.") + " ")
                .contains("aaa-ewma-copy.zip: plugin id 'ewma' is also in " + bundled.getFileName())
                .contains("no-manifest.zip: not an rtm plugin");
    }
}
