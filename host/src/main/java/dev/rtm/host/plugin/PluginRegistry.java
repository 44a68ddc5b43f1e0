package dev.rtm.host.plugin;

import dev.rtm.api.AlerterFactory;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.NamedFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins found in one plugins dir: what loaded, what it provides, and what failed and why.
 * A file that fails never stops the others from loading.
 */
public final class PluginRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginRegistry.class);

    private final Path dir;
    private final RtmPluginManager manager;
    private final List<LoadedPlugin> plugins = new ArrayList<>();
    private final List<PluginFailure> failures = new ArrayList<>();
    private final Map<String, DetectorFactory> detectors = new LinkedHashMap<>();
    private final Map<String, AlerterFactory> alerters = new LinkedHashMap<>();

    private PluginRegistry(Path dir, RtmPluginManager manager) {
        this.dir = dir;
        this.manager = manager;
    }

    private static final Map<Path, PluginRegistry> SHARED = new java.util.HashMap<>();
    private static final Map<Path, Integer> USERS = new java.util.HashMap<>();
    private boolean shared;

    /**
     * The JVM's one registry for {@code pluginsDir}, loaded on first use and shared by every
     * operator instance (subtask) in the JVM; give it back with {@link #release()}. Native
     * libraries load once per JVM, so plugins must not be loaded once per subtask.
     */
    public static PluginRegistry acquire(Path pluginsDir) {
        Path dir = pluginsDir.toAbsolutePath().normalize();
        synchronized (SHARED) {
            PluginRegistry reg = SHARED.computeIfAbsent(dir, d -> {
                PluginRegistry r = load(d);
                r.shared = true;
                return r;
            });
            USERS.merge(dir, 1, Integer::sum);
            return reg;
        }
    }

    /** Gives back a registry from {@link #acquire}; the last user unloads it. */
    public void release() {
        synchronized (SHARED) {
            int left = USERS.merge(dir, -1, Integer::sum);
            if (left <= 0) {
                USERS.remove(dir);
                SHARED.remove(dir);
                manager.unloadPlugins();
            }
        }
    }

    /**
     * Loads every plugin in {@code pluginsDir}. Zip plugins are unpacked under
     * {@code java.io.tmpdir/rtm-plugins}.
     */
    public static PluginRegistry load(Path pluginsDir) {
        Path dir = pluginsDir.toAbsolutePath().normalize();
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "rtm-plugins");
        RtmPluginManager pm = new RtmPluginManager(dir, cache);
        PluginRegistry reg = new PluginRegistry(dir, pm);
        if (!Files.isDirectory(dir)) {
            reg.failures.add(new PluginFailure(dir, "the plugins dir does not exist"));
            log.warn("plugins dir {} does not exist: no plugins loaded", dir);
            return reg;
        }
        pm.loadPlugins();
        pm.startPlugins();
        reg.failures.addAll(pm.failures());
        for (PluginWrapper w : pm.getPlugins()) {
            reg.register(w);
        }
        for (PluginFailure f : reg.failures) {
            log.warn("plugin file {} not loaded: {}", f.file().getFileName(), f.reason());
        }
        return reg;
    }

    private void register(PluginWrapper w) {
        Path file = manager.originalOf(w.getPluginPath());
        if (w.getPluginState() != PluginState.STARTED) {
            Throwable t = w.getFailedException();
            failures.add(new PluginFailure(file, "plugin '" + w.getPluginId() + "' did not start"
                    + (t == null ? " (state " + w.getPluginState() + ")" : ": " + RtmPluginManager.describe(t))));
            return;
        }
        List<DetectorFactory> ds = new ArrayList<>();
        List<AlerterFactory> as = new ArrayList<>();
        Map<String, String> versions = new LinkedHashMap<>();
        Set<String> names = manager.getExtensionClassNames(w.getPluginId());
        for (String className : names) {
            try {
                Class<?> c = w.getPluginClassLoader().loadClass(className);
                if (DetectorFactory.class.isAssignableFrom(c)) {
                    DetectorFactory f = (DetectorFactory) c.getDeclaredConstructor().newInstance();
                    String version = versionOf(f, w);
                    if (claim(detectors, f, file, "detector")) {
                        ds.add(f);
                        versions.put(f.name(), version);
                    }
                } else if (AlerterFactory.class.isAssignableFrom(c)) {
                    AlerterFactory f = (AlerterFactory) c.getDeclaredConstructor().newInstance();
                    String version = versionOf(f, w);
                    if (claim(alerters, f, file, "alerter")) {
                        as.add(f);
                        versions.put(f.name(), version);
                    }
                } else if (Arrays.stream(c.getInterfaces()).anyMatch(i -> i.getName().startsWith("dev.rtm.api."))) {
                    failures.add(new PluginFailure(file, "extension " + className
                            + " implements the rtm API from another class loader"));
                }
            } catch (Throwable t) { // a plugin's bug must not take the host down
                failures.add(new PluginFailure(file, "extension " + className + " could not be created: "
                        + RtmPluginManager.describe(t)));
            }
        }
        if (ds.isEmpty() && as.isEmpty()) {
            if (names.isEmpty()) {
                failures.add(new PluginFailure(file, "plugin '" + w.getPluginId() + "' provides no extensions "
                        + "(no META-INF/extensions.idx: annotate a DetectorFactory or AlerterFactory with @Extension)"));
            }
            manager.unloadPlugin(w.getPluginId());
            return;
        }
        String sha = sha256(file);
        LoadedPlugin p = new LoadedPlugin(w.getPluginId(), w.getDescriptor().getVersion(),
                nullToEmpty(w.getDescriptor().getLicense()), file, sha, List.copyOf(ds), List.copyOf(as),
                Map.copyOf(versions));
        plugins.add(p);
        log.debug("plugin {} {} loaded from {} sha256={} (detectors {}, alerters {}, versions {})", p.id(), p.version(),
                file.getFileName(), sha, ds.stream().map(NamedFactory::name).toList(),
                as.stream().map(NamedFactory::name).toList(), versions);
    }

    /**
     * What the factory says its version is (by default its jar's Plugin-Version), or the plugin
     * descriptor's where it says nothing (a plugin described by {@code plugin.properties}).
     */
    private static String versionOf(NamedFactory f, PluginWrapper w) {
        String v = f.version();
        return v == null || v.isBlank() || v.equals("unknown") ? w.getDescriptor().getVersion() : v;
    }

    private <F extends NamedFactory> boolean claim(Map<String, F> map, F f, Path file, String kind) {
        String name = f.name();
        if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
            failures.add(new PluginFailure(file, kind + " name '" + name
                    + "' is not valid (lower-case letters, digits and '-')"));
            return false;
        }
        f.configSpec(); // fail here, at load time, if the plugin cannot describe its config
        if (map.containsKey(name)) {
            failures.add(new PluginFailure(file, kind + " '" + name + "' is already provided by "
                    + providerOf(map.get(name)) + "; this one is ignored"));
            return false;
        }
        map.put(name, f);
        return true;
    }

    private String providerOf(NamedFactory f) {
        for (LoadedPlugin p : plugins) {
            if (p.detectors().contains(f) || p.alerters().contains(f)) {
                return "plugin '" + p.id() + "' (" + p.file().getFileName() + ")";
            }
        }
        return "another plugin in this dir";
    }

    private static String sha256(Path file) {
        if (Files.isDirectory(file)) {
            return "-";
        }
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The plugins dir (absolute). */
    public Path dir() {
        return dir;
    }

    /** Plugins that loaded, in file name order. */
    public List<LoadedPlugin> plugins() {
        return plugins.stream().sorted(java.util.Comparator.comparing(p -> p.file().getFileName().toString())).toList();
    }

    /** Files that did not load (or loaded in part), with reasons. */
    public List<PluginFailure> failures() {
        return List.copyOf(failures);
    }

    /** Detector factories by name. */
    public Map<String, DetectorFactory> detectors() {
        return Map.copyOf(detectors);
    }

    /** Detector names, sorted. */
    public List<String> detectorNames() {
        return detectors.keySet().stream().sorted().toList();
    }

    /** The detector factory of that name. */
    public Optional<DetectorFactory> detector(String name) {
        return Optional.ofNullable(detectors.get(name));
    }

    /** Alerter factories by name. */
    public Map<String, AlerterFactory> alerters() {
        return Map.copyOf(alerters);
    }

    /** Unloads every plugin (never stopPlugins(): it throws ConcurrentModificationException in PF4J 3.x). */
    @Override
    public void close() {
        if (shared) {
            release();
        } else {
            manager.unloadPlugins();
        }
    }
}
