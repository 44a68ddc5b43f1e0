package dev.rtm.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.host.PluginJars;
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
}
