package dev.rtm.testing;

import dev.rtm.api.DetectorFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds plugin jars at test time from test-support/src/main/plugin-src, with javac and PF4J's annotation processor. */
public final class PluginJars {

    private PluginJars() {
    }

    /** The default plugins, as the module under test copied them (target/rtm/plugins). */
    public static Path distPlugins() {
        return Path.of(System.getProperty("rtm.test.plugins", "target/rtm/plugins"));
    }

    /** The NAB sample shipped beside the repository. */
    public static Path nabSample() {
        return Path.of(System.getProperty("rtm.test.nab", "../../shared/data/nab-sample"));
    }

    /**
     * Compiles {@code test-support/src/main/plugin-src/<name>}, together with {@code plugin-src/common} (what the
     * test plugins share; each jar gets its own copy, as a plugin's classes load in its own class loader), and
     * writes a PF4J plugin jar.
     *
     * @param pluginId the manifest's Plugin-Id, or null to leave the descriptor out
     * @param bundleApi also copy the rtm API classes into the jar (a packaging mistake)
     */
    public static Path build(String name, String pluginId, boolean bundleApi, Path outDir) throws IOException {
        Path srcRoot = Path.of(System.getProperty("rtm.test.plugin-src", "../test-support/src/main/plugin-src"));
        Path src = srcRoot.resolve(name);
        Path classes = Files.createTempDirectory(outDir, name + "-classes");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), "--release", "17",
                "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor"));
        for (Path dir : List.of(src, srcRoot.resolve("common"))) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IOException("javac failed for " + src);
        }
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (pluginId != null) {
            mf.getMainAttributes().putValue("Plugin-Id", pluginId);
            mf.getMainAttributes().putValue("Plugin-Version", "1.0.0");
            mf.getMainAttributes().putValue("Plugin-License", "Apache-2.0");
        }
        Path jar = outDir.resolve(name + (bundleApi ? "-with-api" : "") + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            addTree(out, classes);
            if (bundleApi) {
                addTree(out, apiClassesRoot());
            }
        }
        return jar;
    }

    private static Path apiClassesRoot() throws IOException {
        try {
            Path p = Path.of(DetectorFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(p)) {
                return p;
            }
            Path unpacked = Files.createTempDirectory("api-classes");
            try (var zip = java.nio.file.FileSystems.newFileSystem(p)) {
                Path root = zip.getPath("/");
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path f : walk.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".class")).toList()) {
                        Path t = unpacked.resolve(root.relativize(f).toString());
                        Files.createDirectories(t.getParent());
                        Files.copy(f, t);
                    }
                }
            }
            return unpacked;
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static void addTree(JarOutputStream out, Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                String entry = root.relativize(f).toString().replace('\\', '/');
                if (entry.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(entry));
                try (OutputStream o = new java.io.FilterOutputStream(out) {
                    @Override
                    public void close() {
                        // keep the jar stream open
                    }
                }) {
                    Files.copy(f, o);
                }
                out.closeEntry();
            }
        }
    }

    /** Links (no copy: the lstm zip is 118 MB) some of the build's default plugins into a dir. */
    public static Path linkDistPlugins(Path dir, String... ids) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(distPlugins())) {
            for (Path p : s.toList()) {
                for (String id : ids) {
                    if (p.getFileName().toString().startsWith("rtm-plugin-" + id + "-")) {
                        Files.createSymbolicLink(dir.resolve(p.getFileName()), p.toAbsolutePath());
                    }
                }
            }
        }
        return dir;
    }

    /** Copies some of the build's default plugins (by id, e.g. "ewma") into a fresh dir. */
    public static Path copyDistPlugins(Path dir, String... ids) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(distPlugins())) {
            for (Path p : s.toList()) {
                for (String id : ids) {
                    if (p.getFileName().toString().startsWith("rtm-plugin-" + id + "-")) {
                        Files.copy(p, dir.resolve(p.getFileName()));
                    }
                }
            }
        }
        return dir;
    }
}
