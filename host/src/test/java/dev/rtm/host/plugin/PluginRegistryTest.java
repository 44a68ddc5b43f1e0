package dev.rtm.host.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.api.DetectorFactory;
import dev.rtm.api.SeriesKey;
import dev.rtm.host.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

    @TempDir
    Path tmp;

    @Test
    void loadsTheBundledEwmaZipWithItsSha256() throws Exception {
        Path dir = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
        List<Path> before;
        try (var s = Files.list(dir)) {
            before = s.sorted().toList();
        }
        try (PluginRegistry reg = PluginRegistry.load(dir)) {
            assertThat(reg.failures()).isEmpty();
            assertThat(reg.detectorNames()).containsExactly("ewma");
            LoadedPlugin p = reg.plugins().get(0);
            assertThat(p.id()).isEqualTo("ewma");
            assertThat(p.license()).isEqualTo("Apache-2.0");
            assertThat(p.sha256()).isEqualTo(Sha256.of(p.file())).hasSize(64);
            DetectorFactory f = reg.detector("ewma").orElseThrow();
            var series = f.create(f.configSpec().defaults()).create(new SeriesKey("h", "m"));
            for (int t = 1; t <= 20; t++) { // ewma's default warm-up
                series.update(t, 1.0);
            }
            assertThat(series.update(21, 1.0).expected()).isEqualTo(1.0);
        }
        try (var s = Files.list(dir)) {
            assertThat(s.sorted().toList()).as("the plugins dir is not written to").isEqualTo(before);
        }
    }

    @Test
    void brokenFilesAreReportedByNameAndTheRestLoad() throws Exception {
        Path dir = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
        Files.write(dir.resolve("broken.jar"), new byte[] {1, 2, 3, 4, 5, 6, 7});
        Files.write(dir.resolve("empty.zip"), new byte[0]);
        Path noDescriptor = PluginJars.build("constant", null, false, tmp);
        Files.move(noDescriptor, dir.resolve("no-descriptor.jar"));
        Files.move(PluginJars.build("exploding", "exploding", false, tmp), dir.resolve("exploding.jar"));

        try (PluginRegistry reg = PluginRegistry.load(dir)) {
            assertThat(reg.detectorNames()).containsExactly("ewma");
            assertThat(reg.failures()).extracting(f -> f.file().getFileName().toString())
                    .containsExactlyInAnyOrder("broken.jar", "empty.zip", "no-descriptor.jar", "exploding.jar");
            assertThat(reason(reg, "broken.jar")).contains("not a valid jar/zip file");
            assertThat(reason(reg, "empty.zip")).contains("not a valid jar/zip file");
            assertThat(reason(reg, "no-descriptor.jar")).contains("not an rtm plugin").contains("Plugin-Id");
            assertThat(reason(reg, "exploding.jar"))
                    .contains("extension example.exploding.ExplodingDetectorFactory could not be created")
                    .contains("boom at construction");
        }
    }

    @Test
    void aPluginThatBundlesTheApiStillWorks() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        Files.move(PluginJars.build("constant", "limit", true, tmp), dir.resolve("limit-with-api.jar"));
        try (PluginRegistry reg = PluginRegistry.load(dir)) {
            assertThat(reg.failures()).isEmpty();
            DetectorFactory f = reg.detector("limit").orElseThrow();
            assertThat(f.getClass().getClassLoader()).isNotSameAs(DetectorFactory.class.getClassLoader());
            assertThat(f).isInstanceOf(DetectorFactory.class); // the host's interface, not the bundled copy
        }
    }

    @Test
    void aSecondPluginWithTheSameDetectorNameIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        Files.move(PluginJars.build("constant", "limit-a", false, tmp), dir.resolve("a.jar"));
        Path second = Files.createDirectories(tmp.resolve("second"));
        Files.move(PluginJars.build("constant", "limit-b", false, second), dir.resolve("b.jar"));
        try (PluginRegistry reg = PluginRegistry.load(dir)) {
            assertThat(reg.detectorNames()).containsExactly("limit");
            assertThat(reg.failures()).singleElement().satisfies(f -> {
                assertThat(f.file().getFileName().toString()).isEqualTo("b.jar");
                assertThat(f.reason()).contains("detector 'limit' is already provided by plugin 'limit-a' (a.jar)");
            });
        }
    }

    @Test
    void aMissingDirIsAFailureNotACrash() {
        try (PluginRegistry reg = PluginRegistry.load(tmp.resolve("nope"))) {
            assertThat(reg.plugins()).isEmpty();
            assertThat(reg.failures()).singleElement().extracting(PluginFailure::reason)
                    .isEqualTo("the plugins dir does not exist");
        }
    }

    private static String reason(PluginRegistry reg, String file) {
        return reg.failures().stream().filter(f -> f.file().getFileName().toString().equals(file))
                .findFirst().orElseThrow().reason();
    }
}
