package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first replay example runs from a clone of the repository alone (issue 17, point 20):
 * the sample it names is in the repository, with NAB's license beside it, and the command works.
 */
class ReadmeReplayExampleTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void theFirstReplayExampleNamesASampleInTheRepositoryAndRuns() throws Exception {
        String line = Files.readAllLines(REPO.resolve("README.md")).stream().filter(l -> l.startsWith("./rtm replay "))
                .findFirst().orElseThrow();
        List<String> words = new ArrayList<>(Arrays.asList(line.substring("./rtm ".length()).trim().split("\\s+")));
        Path sample = REPO.resolve(words.get(1)).normalize();
        assertThat(sample).as("the sample of `" + line + "`").startsWith(REPO).isDirectory();
        assertThat(sample.resolve("LICENSE.txt")).content().contains("MIT").contains("Numenta");
        assertThat(sample.resolve("labels/combined_windows.json")).isRegularFile();
        assertThat(Files.size(sample.resolve("data"))).isPositive();

        // run it as written, its outputs under tmp
        words.set(1, sample.toString());
        for (int i = 0; i < words.size(); i++) {
            if (List.of("--nab-out", "--plot", "--out").contains(words.get(i))) {
                words.set(i + 1, tmp.resolve(words.get(i + 1)).toString());
            }
        }
        if (!words.contains("--out")) { // its default is beside the working directory
            words.addAll(List.of("--out", tmp.resolve("results.csv").toString()));
        }
        words.addAll(List.of("--plugins-dir", PluginJars.distPlugins().toString()));
        Cli r = Cli.run(words.toArray(String[]::new));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        try (Stream<Path> csvs = Files.walk(sample.resolve("data"))) {
            long series = csvs.filter(p -> p.toString().endsWith(".csv")).count();
            String detectors = words.get(words.indexOf("--detectors") + 1);
            try (Stream<Path> results = Files.walk(tmp.resolve("OUT"))) {
                assertThat(results.filter(p -> p.toString().endsWith(".csv")).count())
                        .isEqualTo(series * detectors.split(",").length);
            }
        }
        assertThat(tmp.resolve("replay.png")).isNotEmptyFile();
    }
}
