package dev.rtm.host.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginFactory;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.InvalidPluginDescriptorException;
import org.pf4j.JarPluginLoader;
import org.pf4j.Plugin;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginFactory;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginRepository;
import org.pf4j.PluginWrapper;

/**
 * PF4J's default manager with five changes:
 * <ul>
 *   <li>classes of {@code dev.rtm.api} always come from the host (parent-first), so a plugin
 *       that bundles the API by mistake still works;</li>
 *   <li>a zip plugin is unpacked into a content-addressed cache dir, not next to the zip, so the
 *       plugins dir may be read-only and shared;</li>
 *   <li>every file that fails to load is recorded with its reason instead of only logged;</li>
 *   <li>the plugins dir is listed by this class: {@code *.jar}, {@code *.zip} and directories;</li>
 *   <li>a plugin file's class loader is kept for the life of the JVM and reused when the same file
 *       (same SHA-256) is loaded again: a native library (PyTorch, OpenBLAS) can be bound to one
 *       class loader per JVM only, so unloading and loading such a plugin again would otherwise
 *       fail. A changed file gets a new loader.</li>
 * </ul>
 */
final class RtmPluginManager extends DefaultPluginManager {

    private static final String API_PACKAGE = "dev.rtm.api.";

    /** Class loaders by plugin content (unpacked dir name or jar SHA-256), for the life of the JVM. */
    private static final Map<String, ApiFirstClassLoader> RETAINED = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path cacheDir;
    private final List<PluginFailure> failures = new ArrayList<>();
    private final Map<Path, Path> originals = new HashMap<>();

    RtmPluginManager(Path pluginsDir, Path cacheDir) {
        super(pluginsDir);
        this.cacheDir = cacheDir;
    }

    List<PluginFailure> failures() {
        return failures;
    }

    /** The file in the plugins dir a loaded plugin path came from. */
    Path originalOf(Path loadedPath) {
        return originals.getOrDefault(loadedPath, loadedPath);
    }

    @Override
    protected PluginRepository createPluginRepository() {
        return new PluginRepository() {
            @Override
            public List<Path> getPluginPaths() {
                List<Path> paths = new ArrayList<>();
                for (Path root : getPluginsRoots()) {
                    if (!Files.isDirectory(root)) {
                        continue;
                    }
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                        for (Path p : ds) {
                            String n = p.getFileName().toString();
                            if (n.startsWith(".")) {
                                continue;
                            }
                            if (Files.isDirectory(p) || n.endsWith(".jar") || n.endsWith(".zip")) {
                                paths.add(p);
                            }
                        }
                    } catch (IOException e) {
                        failures.add(new PluginFailure(root, "cannot list the plugins dir: " + e.getMessage()));
                    }
                }
                paths.sort(null);
                return oneFilePerId(paths);
            }

            @Override
            public boolean deletePluginPath(Path pluginPath) {
                return false; // rtm never deletes user files
            }
        };
    }

    /**
     * Keeps one file per plugin id: PF4J refuses a second file with the same id, and would keep
     * whichever sorts first. Kept: the higher Plugin-Version; on a tie, the file rtm ships
     * ({@code rtm-plugin-<id>-<version>.zip}); then the first by name. Every other file is a
     * failure saying which file was kept.
     */
    private List<Path> oneFilePerId(List<Path> paths) {
        Map<String, List<Path>> byId = new java.util.LinkedHashMap<>();
        Map<Path, PluginDescriptor> descriptors = new HashMap<>();
        for (Path p : paths) {
            PluginDescriptor d = peekDescriptor(p);
            if (d != null && d.getPluginId() != null) {
                descriptors.put(p, d);
                byId.computeIfAbsent(d.getPluginId(), k -> new ArrayList<>()).add(p);
            }
        }
        List<Path> kept = new ArrayList<>(paths);
        for (var e : byId.entrySet()) {
            if (e.getValue().size() < 2) {
                continue;
            }
            Path winner = e.getValue().stream().max((a, b) -> {
                int byVersion = getVersionManager().compareVersions(descriptors.get(a).getVersion(),
                        descriptors.get(b).getVersion());
                if (byVersion != 0) {
                    return byVersion;
                }
                int byBundled = Boolean.compare(bundled(a, descriptors.get(a)), bundled(b, descriptors.get(b)));
                return byBundled != 0 ? byBundled : b.getFileName().compareTo(a.getFileName());
            }).orElseThrow();
            PluginDescriptor w = descriptors.get(winner);
            for (Path loser : e.getValue()) {
                if (loser.equals(winner)) {
                    continue;
                }
                PluginDescriptor l = descriptors.get(loser);
                String why = getVersionManager().compareVersions(w.getVersion(), l.getVersion()) > 0
                        ? "its version " + w.getVersion() + " is newer than this file's " + l.getVersion()
                        : bundled(winner, w) ? "the same version, and it is the one rtm ships"
                        : "the same version, and its name sorts first";
                failures.add(new PluginFailure(loser, "plugin id '" + e.getKey() + "' is also in "
                        + winner.getFileName() + "; kept " + winner.getFileName() + " (" + why + "), this file is not loaded"));
                kept.remove(loser);
            }
        }
        return kept;
    }

    private static boolean bundled(Path file, PluginDescriptor d) {
        String n = file.getFileName().toString();
        String base = "rtm-plugin-" + d.getPluginId() + "-" + d.getVersion();
        return n.equals(base + ".zip") || n.equals(base + ".jar");
    }

    /** The descriptor of a plugin file, or null when it has none (the load then says why). */
    private PluginDescriptor peekDescriptor(Path p) {
        try {
            Path target = Files.isRegularFile(p) && p.getFileName().toString().endsWith(".zip") ? unpack(p) : p;
            return getPluginDescriptorFinder().find(target);
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new CompoundPluginLoader()
                .add(new JarPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor d) {
                        return classLoaderFor(path, d);
                    }
                })
                .add(new DefaultPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor d) {
                        return classLoaderFor(path, d);
                    }
                });
    }

    private PluginClassLoader classLoaderFor(Path path, PluginDescriptor d) {
        String content;
        try {
            // unpacked zips live in content-addressed dirs; a jar is hashed; a plain dir is not retained
            content = path.startsWith(cacheDir) ? path.getFileName().toString()
                    : Files.isRegularFile(path) ? Sha256.of(path) : null;
        } catch (IOException e) {
            content = null;
        }
        if (content == null) {
            return new ApiFirstClassLoader(this, d, RtmPluginManager.class.getClassLoader(), false);
        }
        return RETAINED.computeIfAbsent(d.getPluginId() + "@" + content,
                k -> new ApiFirstClassLoader(this, d, RtmPluginManager.class.getClassLoader(), true));
    }

    @Override
    protected PluginWrapper loadPluginFromPath(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                checkArchive(file);
            }
            Path toLoad = file.getFileName().toString().endsWith(".zip") ? unpack(file) : file;
            originals.put(toLoad, file);
            return super.loadPluginFromPath(toLoad);
        } catch (InvalidPluginDescriptorException e) {
            failures.add(new PluginFailure(file, "not an rtm plugin: its descriptor is invalid ("
                    + e.getMessage() + "); a plugin needs Plugin-Id and Plugin-Version in its manifest"));
        } catch (Exception | LinkageError e) {
            failures.add(new PluginFailure(file, describe(e)));
        }
        return null;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        if (root instanceof Refused) {
            return msg;
        }
        if (root instanceof org.pf4j.PluginAlreadyLoadedException a) {
            return "plugin id '" + a.getPluginId() + "' is already loaded from another file; this file is not loaded";
        }
        if (root instanceof java.util.zip.ZipException) {
            return "not a valid jar/zip file (" + msg + ")";
        }
        if (msg != null && (msg.contains("No PluginDescriptorFinder") || msg.contains("Cannot find the manifest")
                || (msg.contains("Cannot find") && msg.contains("MANIFEST")))) {
            return "not an rtm plugin: no plugin descriptor (META-INF/MANIFEST.MF with Plugin-Id) found";
        }
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    private static void checkArchive(Path file) throws IOException {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
            if (!z.entries().hasMoreElements()) {
                throw new java.util.zip.ZipException("the archive is empty");
            }
        }
    }

    /** Unpacks a zip plugin into cacheDir/name-sha (once; atomic rename so concurrent JVMs agree). */
    private Path unpack(Path zip) throws IOException {
        String sha = Sha256.of(zip);
        String base = zip.getFileName().toString().replaceFirst("\\.zip$", "");
        Path target = cacheDir.resolve(base + "-" + sha.substring(0, 16));
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempDirectory(cacheDir, ".unpack-");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            boolean any = false;
            while ((entry = in.getNextEntry()) != null) {
                any = true;
                Path out = tmp.resolve(entry.getName()).normalize();
                if (!out.startsWith(tmp)) { // checked before anything of it is written
                    throw new Refused("zip entry escapes the plugin dir: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    copy(in, out);
                }
            }
            if (!any) {
                throw new java.util.zip.ZipException("zip END header not found or empty archive");
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            deleteTree(tmp); // another JVM unpacked the same content first
            if (!Files.isDirectory(target)) {
                throw raced;
            }
        }
        return target;
    }

    /**
     * Creates a plugin's {@code Plugin-Class} as PF4J does, but a class that is missing or not a
     * {@link Plugin} is an error naming it (PF4J logs it and fails later on a null plugin).
     */
    @Override
    protected PluginFactory createPluginFactory() {
        return new DefaultPluginFactory() {
            @Override
            public Plugin create(PluginWrapper w) {
                String cls = w.getDescriptor().getPluginClass();
                if (cls != null && !cls.isBlank() && !cls.equals(Plugin.class.getName())) {
                    try {
                        Class<?> c = w.getPluginClassLoader().loadClass(cls);
                        if (!Plugin.class.isAssignableFrom(c)) {
                            throw new Refused("its Plugin-Class " + cls + " does not extend org.pf4j.Plugin");
                        }
                    } catch (ClassNotFoundException | LinkageError e) {
                        throw new Refused("its Plugin-Class " + cls + " could not be loaded (" + e.getClass().getSimpleName() + ")");
                    }
                }
                Plugin p = super.create(w);
                if (p == null) {
                    throw new Refused("its Plugin-Class " + cls + " could not be created");
                }
                return p;
            }
        };
    }

    /** A plugin file refused for a reason that its message states in full (no exception name needed). */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static void copy(InputStream in, Path out) throws IOException {
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort on a temp dir
        }
    }

    /** Loads {@code dev.rtm.api.*} from the host even when a plugin bundles its own copy. */
    static final class ApiFirstClassLoader extends PluginClassLoader {
        private final boolean retained;

        ApiFirstClassLoader(PluginManager pm, PluginDescriptor d, ClassLoader parent, boolean retained) {
            super(pm, d, parent);
            this.retained = retained;
        }

        /** A retained loader stays open when its plugin is unloaded, to be reused. */
        @Override
        public void close() throws IOException {
            if (!retained) {
                super.close();
            }
        }

        @Override
        protected boolean shouldDelegateToParent(String className) {
            return className.startsWith(API_PACKAGE) || super.shouldDelegateToParent(className);
        }
    }
}
