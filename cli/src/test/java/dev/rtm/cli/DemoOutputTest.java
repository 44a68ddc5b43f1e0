package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import dev.rtm.testing.PostgresServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code rtm demo} prints when its output is not a terminal (issue 17, points 14, 15, 16, 18):
 * plain progress lines every few seconds instead of carriage-return redraws, each model's warm-up
 * state, a render range that matches the run, and no working dir left behind.
 */
class DemoOutputTest {

    @TempDir
    Path tmp;

    @Test
    void offATerminalTheDemoPrintsPlainProgressWithWarmUpSuggestsItsRangeAndCleansUp() throws Exception {
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.remove("RTM_CONFIG");
            env.put("RTM_PG_URL", pg.url());
            env.put("RTM_HOME", Path.of(System.getProperty("rtm.test.apicurio", "target/rtm/apicurio")).getParent().toString());
            Cli r = Cli.run(env, "demo", "--duration", "25s", "--synthetic", "1", "--interval", "500ms", "--no-receiver",
                    "--plugins-dir", PluginJars.distPlugins().toString());
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).doesNotContain("\r");

            List<String> progress = r.out().lines().filter(l -> l.matches(" *\\d+s  samples .*")).toList();
            assertThat(progress.size()).as(r.out()).isBetween(3, 25 / DemoCommand.PLAIN_PROGRESS_EVERY_S + 3);
            // arima needs 128 points per series: after ~50 it says it is still warming up, not just "0 anomalies"
            String last = progress.get(progress.size() - 1);
            assertThat(last).containsPattern("arima: \\d+ scores, 0 anomalies \\(warming up \\d+/128 points\\)");
            assertThat(last).containsPattern("ewma: [1-9]\\d* scores, \\d+ anomalies  ").doesNotContain("ewma: 0 scores");
            assertThat(last).doesNotContainPattern("ewma: [^:]*warming up");

            Matcher work = Pattern.compile("rtm demo: working dir (\\S+) ").matcher(r.out());
            assertThat(work.find()).isTrue();
            assertThat(Path.of(work.group(1))).doesNotExist();
            assertThat(r.out()).contains("rtm demo: removed working dir " + work.group(1));

            assertThat(r.out()).containsPattern("\\./rtm render model-comparison --last 1m --to \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ")
                    .doesNotContain("--last 10m");
        }
    }
}
