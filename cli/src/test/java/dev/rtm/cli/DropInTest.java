package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop-in proof: a detector plugin built outside this repository (compiled here at test time,
 * not one of the default plugins) is dropped into a plugins dir next to a broken jar, named in a
 * config, and run by {@code rtm replay} — with no change to the host.
 */
class DropInTest {

    @TempDir
    Path tmp;

    @Test
    void aDroppedInPluginRunsNextToEwmaAndABrokenJarIsReported() throws Exception {
        Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
        Files.move(PluginJars.build("constant", "limit", false, tmp), plugins.resolve("limit-1.0.0.jar"));
        Files.write(plugins.resolve("broken.jar"), "this is not a jar".getBytes());

        Path config = tmp.resolve("rtm.yaml");
        Files.writeString(config, """
                plugins:
                  dir: plugins
                detectors:
                  limit:
                    limit: 50
                select:
                  - metric: "*"
                    detectors: [ewma, limit]
                postgres:
                  password: hunter2-not-shown
                alerts:
                  fire-after: 2
                """);
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 100; i++) {
            csv.append(1_600_000_000L + i * 60).append(',').append(i == 70 ? 80 : 10 + (i % 3)).append('\n');
        }
        Path input = Files.createDirectories(tmp.resolve("data/web")).resolve("cpu.csv");
        Files.writeString(input, csv);
        Path out = tmp.resolve("results.csv");

        Cli plug = Cli.run("plugins", "--config", config.toString());
        assertThat(plug.code()).isZero();
        assertThat(plug.out()).contains("limit-1.0.0.jar").contains("detector limit (plugin limit, version 1.0.0)")
                .contains("not loaded:").contains("broken.jar: not a valid jar/zip file")
                .contains("  limit: {limit=50.0, scale=1.0}")
                .contains("section postgres (host):").containsPattern("(?m)^  password\\s+\\*\\*\\*\\*\\*\\*\\s")
                .containsPattern("(?m)^  fire-after\\s+2\\s+1\\s")
                .doesNotContain("hunter2-not-shown");

        Cli replay = Cli.run("replay", input.toString(), "--config", config.toString(), "--out", out.toString());
        assertThat(replay.code()).as(replay.err()).isZero();
        List<String> rows = Files.readAllLines(out);
        assertThat(rows).hasSize(1 + 2 * 100);
        assertThat(rows).filteredOn(r -> r.contains(",limit,")).hasSize(100)
                .filteredOn(r -> r.endsWith(",1")).singleElement().asString()
                .startsWith("2020-09-13T13:36:40Z,web,cpu,80.0,limit,50.0,");
        assertThat(rows).filteredOn(r -> r.contains(",ewma,") && r.endsWith(",1"))
                .anyMatch(r -> r.contains(",80.0,ewma,"));
        assertThat(replay.out()).containsPattern("(?m)^limit\\s+1\\s+100\\s+1\\s");
    }
}
