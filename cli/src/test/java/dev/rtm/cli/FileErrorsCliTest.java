package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A path rtm cannot write is one line naming it and why, exit 2: not an internal error. */
class FileErrorsCliTest {

    @TempDir
    Path tmp;

    private Cli replay(String... more) throws Exception {
        Path in = Files.writeString(tmp.resolve("cpu.csv"), "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:01:00,2\n");
        List<String> args = new ArrayList<>(List.of("replay", in.toString(), "-d", "ewma",
                "--plugins-dir", PluginJars.distPlugins().toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void anUnwritableResultsFileIsOneLineNamingThePath() throws Exception {
        Cli r = replay("-o", "/proc/x");
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).isEqualTo("rtm: /proc/x: no such file or directory\n");
    }

    @Test
    void anUnwritablePlotOrNabDirIsOneLineNamingThePath() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Cli plot = replay("-o", tmp.resolve("r.csv").toString(), "--plot", file.resolve("plot.png").toString());
        assertThat(plot.code()).isEqualTo(Main.USER_ERROR);
        assertThat(plot.err()).isEqualTo("rtm: " + file + ": is a file, not a directory\n");

        Cli nab = replay("-o", tmp.resolve("r.csv").toString(), "--nab-out", file.resolve("nab").toString());
        assertThat(nab.code()).isEqualTo(Main.USER_ERROR);
        assertThat(nab.err()).isEqualTo("rtm: " + file.resolve("nab").resolve("ewma") + ": not a directory\n");
    }
}
