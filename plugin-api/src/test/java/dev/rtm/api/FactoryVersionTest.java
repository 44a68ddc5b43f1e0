package dev.rtm.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactoryVersionTest {

    @TempDir
    Path tmp;

    /** A factory that writes no version code: the default reads its manifest. */
    public static final class Probe implements NamedFactory {
        @Override
        public String name() {
            return "probe";
        }

        @Override
        public String description() {
            return "reports its version";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.of();
        }
    }

    @Test
    void aFactoryInAPluginJarReportsItsPluginVersion() throws Exception {
        Path jar = tmp.resolve("probe.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar),
                manifest("Plugin-Version", "2.3.1", "Implementation-Version", "9.9"))) {
            out.putNextEntry(new JarEntry(classFile()));
            copyClassBytes(out);
        }
        assertThat(loadProbe(jar).version()).isEqualTo("2.3.1");
    }

    @Test
    void anUnpackedClassesDirUsesItsManifestAndImplementationVersionWhenNoPluginVersion() throws Exception {
        Path classes = tmp.resolve("classes");
        Path file = classes.resolve(classFile());
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            copyClassBytes(out);
        }
        Files.createDirectories(classes.resolve("META-INF"));
        try (OutputStream out = Files.newOutputStream(classes.resolve("META-INF/MANIFEST.MF"))) {
            manifest("Implementation-Version", "1.0.7").write(out);
        }
        assertThat(loadProbe(classes).version()).isEqualTo("1.0.7");
    }

    @Test
    void withoutAManifestTheVersionIsUnknown() {
        assertThat(new Probe().version()).as("target/test-classes has no manifest").isEqualTo("unknown");
    }

    private static Manifest manifest(String... keyValues) {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.getMainAttributes().putValue(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static String classFile() {
        return Probe.class.getName().replace('.', '/') + ".class";
    }

    private static void copyClassBytes(OutputStream out) throws IOException {
        try (InputStream in = Probe.class.getClassLoader().getResourceAsStream(classFile())) {
            in.transferTo(out);
        }
    }

    /** Loads Probe from {@code where} (child-first for it alone), the API from the test's loader. */
    private static NamedFactory loadProbe(Path where) throws Exception {
        String name = Probe.class.getName();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {where.toUri().toURL()}, Probe.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (!n.equals(name)) {
                    return super.loadClass(n, resolve);
                }
                synchronized (getClassLoadingLock(n)) {
                    Class<?> c = findLoadedClass(n);
                    return c != null ? c : findClass(n);
                }
            }
        }) {
            Class<?> c = loader.loadClass(name);
            assertThat(c.getClassLoader()).isSameAs(loader);
            return (NamedFactory) c.getDeclaredConstructor().newInstance();
        }
    }
}
