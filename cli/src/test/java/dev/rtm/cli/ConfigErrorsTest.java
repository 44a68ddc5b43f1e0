package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every problem of a config, host sections and detectors alike, in one report (issue 17, point 9). */
class ConfigErrorsTest {

    @TempDir
    Path tmp;

    @Test
    void structureAndDetectorProblemsAreReportedTogether() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("rtm.yaml"), """
                foo: 1
                kafka: { bootstrapp: "x:9092" }
                postgres: { batch-size: 0 }
                detectors:
                  ewma: { alpha: 1.5, treshold: 3 }
                  lstm2: {}
                channels:
                  hook: { type: webhook }
                """);
        Cli r = Cli.run("plugins", "-c", cfg.toString(), "--plugins-dir", PluginJars.distPlugins().toString());
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains("invalid config " + cfg)
                .contains("  - foo: unknown key")
                .contains("  - kafka.bootstrapp: ")
                .contains("  - postgres.batch-size: ")
                .contains("  - detectors.ewma.alpha: ")
                .contains("  - detectors.ewma.treshold: ")
                .contains("  - detectors.lstm2: unknown detector plugin 'lstm2'")
                .contains("  - channels.hook.url: ")
                .doesNotContain("\tat ");
        assertThat(r.err().lines().filter(l -> l.startsWith("rtm: "))).hasSize(1);
    }

    @Test
    void aReplayGetsTheSameOneReport() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("rtm.yaml"), """
                job: { parallelism: 0 }
                detectors:
                  ewma: { alpha: 1.5 }
                select:
                  - { metric: "*", detectors: [nope] }
                """);
        Path csv = Files.writeString(tmp.resolve("s.csv"), "timestamp,value\n2024-01-01 00:00:00,1\n");
        Cli r = Cli.run("replay", csv.toString(), "-c", cfg.toString(), "--plugins-dir", PluginJars.distPlugins().toString(),
                "--out", tmp.resolve("out.csv").toString());
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains("  - job.parallelism: ").contains("  - detectors.ewma.alpha: ")
                .contains("  - select[0].detectors: unknown detector 'nope'");
    }
}
