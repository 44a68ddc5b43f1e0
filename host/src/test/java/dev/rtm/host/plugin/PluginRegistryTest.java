package dev.rtm.host.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.api.DetectorFactory;
import dev.rtm.api.SeriesKey;
import dev.rtm.testing.PluginJars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
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
            assertThat(f.version()).as("read from the plugin jar's manifest").isEqualTo(p.version()).isNotEqualTo("unknown");
            assertThat(p.versionOf(f)).isEqualTo(p.version());
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

    /**
     * Issue 13, security: a zip with path-traversal entries, a descriptor naming a class that does
     * not exist (the plugin class, an extension) and two files with the same plugin id are each
     * refused in one line naming the file, the rest load, and nothing is written outside the
     * plugin's own unpack dir.
     */
    @Test
    void hostileOrBrokenPluginFilesAreRefusedOneLineEachAndNothingEscapesTheUnpackDir() throws Exception {
        Path dir = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
        String marker = "evil-" + Long.toHexString(System.nanoTime());
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "rtm-plugins").toAbsolutePath().normalize();
        List<String> traversal = List.of("../../" + marker + "-a", "classes/../../../" + marker + "-b", "../" + marker + "-c",
                cache.getParent().resolve(marker + "-d").toString());
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(dir.resolve("evil.zip")))) {
            z.putNextEntry(new ZipEntry("classes/META-INF/MANIFEST.MF"));
            z.write("Manifest-Version: 1.0\nPlugin-Id: evil\nPlugin-Version: 1.0.0\n".getBytes(StandardCharsets.UTF_8));
            for (String e : traversal) {
                z.putNextEntry(new ZipEntry(e));
                z.write("pwned".getBytes(StandardCharsets.UTF_8));
            }
        }
        Path built = PluginJars.build("constant", "limit-x", false, tmp);
        withManifest(built, dir.resolve("ghost.jar"), Map.of("Plugin-Id", "ghost", "Plugin-Version", "1.0.0",
                "Plugin-Class", "example.ghost.NoSuchPlugin"), null);
        withManifest(built, dir.resolve("ghost-ext.jar"), Map.of("Plugin-Id", "ghost-ext", "Plugin-Version", "1.0.0"),
                "example.ghost.NoSuchFactory\n");
        withManifest(built, dir.resolve("limit-new.jar"), Map.of("Plugin-Id", "limit-x", "Plugin-Version", "1.2.0"), null);
        withManifest(built, dir.resolve("a-limit-old.jar"), Map.of("Plugin-Id", "limit-x", "Plugin-Version", "1.0.0"), null);

        try (PluginRegistry reg = PluginRegistry.load(dir)) {
            assertThat(reg.detectorNames()).as("the rest load").containsExactly("ewma", "limit");
            assertThat(reg.plugins()).extracting(p -> p.file().getFileName().toString())
                    .containsExactlyInAnyOrder("rtm-plugin-ewma-0.1.0-SNAPSHOT.zip", "limit-new.jar");
            assertThat(reg.failures()).extracting(f -> f.file().getFileName().toString())
                    .containsExactlyInAnyOrder("evil.zip", "ghost.jar", "ghost-ext.jar", "a-limit-old.jar");
            assertThat(reg.failures()).allSatisfy(f -> assertThat(f.reason()).doesNotContain("\n").doesNotContain("\tat "));
            assertThat(reason(reg, "evil.zip")).isEqualTo("zip entry escapes the plugin dir: " + traversal.get(0));
            assertThat(reason(reg, "ghost.jar")).isEqualTo("plugin 'ghost' did not start: its Plugin-Class "
                    + "example.ghost.NoSuchPlugin could not be loaded (ClassNotFoundException)");
            assertThat(reason(reg, "ghost-ext.jar")).isEqualTo("extension example.ghost.NoSuchFactory could not be created: "
                    + "ClassNotFoundException: example.ghost.NoSuchFactory");
            assertThat(reason(reg, "a-limit-old.jar")).isEqualTo("plugin id 'limit-x' is also in limit-new.jar; kept limit-new.jar "
                    + "(its version 1.2.0 is newer than this file's 1.0.0), this file is not loaded");
        }
        for (String e : traversal) { // where each entry would have landed, from any unpack dir under the cache
            Path would = cache.resolve(".unpack-x").resolve(e).normalize();
            assertThat(would).as(e).doesNotExist();
        }
        try (var walk = Files.walk(cache.getParent(), 2)) {
            assertThat(walk.filter(p -> p.getFileName() != null && p.getFileName().toString().startsWith(marker)).toList())
                    .as("no traversal entry written anywhere near the cache").isEmpty();
        }
        try (var s = Files.list(cache)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".unpack-") || n.startsWith("evil-")).toList())
                    .as("the refused zip's partial unpack is removed").isEmpty();
        }
    }

    /** Copies a plugin jar with another manifest (and optionally another extensions.idx). */
    private static void withManifest(Path jar, Path out, Map<String, String> attrs, String extensionsIdx) throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attrs.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
        try (JarFile in = new JarFile(jar.toFile()); JarOutputStream o = new JarOutputStream(Files.newOutputStream(out), mf)) {
            for (JarEntry e : java.util.Collections.list(in.entries())) {
                if (e.getName().equals("META-INF/MANIFEST.MF") || (extensionsIdx != null && e.getName().equals("META-INF/extensions.idx"))) {
                    continue;
                }
                o.putNextEntry(new JarEntry(e.getName()));
                try (var is = in.getInputStream(e)) {
                    is.transferTo(o);
                }
                o.closeEntry();
            }
            if (extensionsIdx != null) {
                o.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                o.write(extensionsIdx.getBytes(StandardCharsets.UTF_8));
                o.closeEntry();
            }
        }
    }

    private static String reason(PluginRegistry reg, String file) {
        return reg.failures().stream().filter(f -> f.file().getFileName().toString().equals(file))
                .findFirst().orElseThrow().reason();
    }
}
