package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rtm.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtm replay} with an ensemble: its members run too, and its NAB score is the max of theirs. */
class EnsembleReplayTest {

    @TempDir
    Path tmp;

    @Test
    void replayingAnEnsembleRunsItsMembersAndWritesItsOwnRows() throws Exception {
        Path cfg = tmp.resolve("rtm.yaml");
        Files.writeString(cfg, """
                detectors:
                  ens: { type: ensemble, members: [ewma, rcf] }
                """);
        Path nab = PluginJars.nabSample();
        Path out = tmp.resolve("nab");
        Cli r = Cli.run("replay", nab.toString(), "--config", cfg.toString(), "--plugins-dir",
                PluginJars.distPlugins().toString(), "--detectors", "ens", "--nab-out", out.toString(),
                "--out", tmp.resolve("results.csv").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^ewma\\s+6\\s").containsPattern("(?m)^rcf\\s+6\\s").containsPattern("(?m)^ens\\s+6\\s");

        String file = "realKnownCause/%s_nyc_taxi.csv";
        List<String> ewma = Files.readAllLines(out.resolve("ewma").resolve(file.formatted("ewma")));
        List<String> rcf = Files.readAllLines(out.resolve("rcf").resolve(file.formatted("rcf")));
        List<String> ens = Files.readAllLines(out.resolve("ens").resolve(file.formatted("ens")));
        assertThat(ens).hasSameSizeAs(Files.readAllLines(nab.resolve("data/realKnownCause/nyc_taxi.csv")));
        int above = 0;
        for (int i = 1; i < ens.size(); i++) {
            double e = Double.parseDouble(ens.get(i).split(",")[2]);
            double a = Double.parseDouble(ewma.get(i).split(",")[2]);
            double b = Double.parseDouble(rcf.get(i).split(",")[2]);
            assertThat(e).as("row %d: max (the default) of the members' normalised scores", i).isCloseTo(Math.max(a, b), within(1e-6));
            above += e >= 0.5 ? 1 : 0;
        }
        assertThat(above).as("the ensemble flags somewhere on nyc_taxi").isPositive();
    }
}
