package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import dev.rtm.testing.PostgresServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rtm bench --kill-taskmanager}, small, on a real broker, a standalone Flink cluster of the
 * distribution's lib (JobManager and TaskManager processes) and PostgreSQL.
 */
class BenchKillTaskManagerIT {

    @TempDir
    Path tmp;

    @Test
    void aTaskManagerKilledMidDrainLosesAndDoublesNoRow() throws Exception {
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.remove("RTM_CONFIG");
            env.put("RTM_PG_URL", pg.url());
            env.put("RTM_HOME", Path.of(System.getProperty("rtm.dist", "target/rtm")).toAbsolutePath().toString());
            Cli r = Cli.run(env, "bench", "--kill-taskmanager", "--hosts", "20", "--samples", "5000",
                    "--plugins-dir", PluginJars.distPlugins().toString());
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("killed the TaskManager (SIGKILL) at ")
                    .contains("every raw and score row committed once across the kill")
                    .doesNotContain("WARNING");
            Matcher m = Pattern.compile("nothing committed for (\\d+\\.\\d) s at most\\); ratio (\\d+\\.\\d+)").matcher(r.out());
            assertThat(m.find()).as(r.out()).isTrue();
            assertThat(Double.parseDouble(m.group(1))).as("the kill stopped the commits for a while").isPositive();
            assertThat(Double.parseDouble(m.group(2))).as("the killed drain's rate over the undisturbed one's").isPositive();
        }
    }
}
