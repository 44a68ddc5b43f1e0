package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.cli.bench.BenchResult;
import dev.rtm.testing.PluginJars;
import dev.rtm.testing.PostgresServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtm bench --hostile}, run small on a real broker, MiniCluster and PostgreSQL. */
class BenchHostileCliTest {

    @TempDir
    Path tmp;

    @Test
    void hostileRecordsAmongTheSamplesAreEachDeadLetteredAndNoGoodRowIsLost() throws Exception {
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.remove("RTM_CONFIG");
            env.put("RTM_PG_URL", pg.url());
            Path json = tmp.resolve("fuzz.json");
            Cli r = Cli.run(env, "bench", "--hosts", "10", "--samples", "700", "--latency-seconds", "0", "--hostile", "0.5", "--warm-up", "1",
                    "--plugins-dir", PluginJars.distPlugins().toString(), "--json", json.toString());
            assertThat(r.code()).as(r.out() + r.err()).isZero();

            BenchResult result = BenchResult.read(json);
            assertThat(result.rowsMissing()).as("the clean drain: every raw and score row").isZero();
            BenchResult.Fuzz fuzz = result.fuzz();
            assertThat(fuzz).isNotNull();
            assertThat(fuzz.hostileRecords()).as("one hostile record per two good ones: 10 hosts x 700 samples / 2").isEqualTo(3500);
            assertThat(fuzz.deadLetters()).as("each in the dead-letter topic (at least once)").isGreaterThanOrEqualTo(3500);
            assertThat(fuzz.rowsMissing()).as("every good row beside them, none doubled").isZero();
            assertThat(fuzz.fuzzed()).hasSize(1);
            assertThat(fuzz.clean()).as("the throughput phase's drain and the one after the fuzzed drain").hasSize(2);
            assertThat(r.out()).contains("warm-up drain 1 of 1 (not the figure)")
                    .containsPattern("beside 3500 hostile records \\(0\\.50 per good record, 7 kinds")
                    .contains("every hostile record dead-lettered")
                    .doesNotContain("WARNING");
        }
    }

    @Test
    void aNegativeShareOfHostileRecordsIsRefusedNamingTheOption() {
        Cli r = Cli.run("bench", "--hostile", "-1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("rtm: --hostile: -1.0 is not a count of hostile records per good one (0 to 100)");
    }
}
