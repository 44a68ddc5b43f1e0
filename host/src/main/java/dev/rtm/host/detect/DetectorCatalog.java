package dev.rtm.host.detect;

import dev.rtm.api.ConfigException;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.Settings;
import dev.rtm.host.RtmException;
import dev.rtm.host.config.ConfigProblems;
import dev.rtm.host.config.Glob;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.config.RtmConfig.DetectorSection;
import dev.rtm.host.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The detector instances a config asks for, checked against the loaded plugins, and the rules
 * that choose them per series. Building it validates every detector section and every name in
 * {@code select}, reporting all problems with their key paths. A section of {@code type: ensemble}
 * is the built-in {@link Ensemble}; wherever it is selected its members run too, before it.
 */
public final class DetectorCatalog implements AutoCloseable {

    /** Used when the config names no detector at all. */
    public static final String DEFAULT_DETECTOR = "ewma";

    private final PluginRegistry registry;
    private final Map<String, ConfiguredDetector> instances = new LinkedHashMap<>();
    private final List<Rule> rules = new ArrayList<>();
    private final List<String> defaultNames = new ArrayList<>();

    private record Rule(Glob metric, Glob host, List<ConfiguredDetector> detectors) {
    }

    private DetectorCatalog(PluginRegistry registry) {
        this.registry = registry;
    }

    /** Validates the config's detector sections and rules against the plugins. */
    public static DetectorCatalog build(RtmConfig config, PluginRegistry registry) {
        ConfigProblems problems = new ConfigProblems(config.file());
        DetectorCatalog c = build(config, registry, problems);
        try {
            problems.throwIfAny();
        } catch (RtmException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * Validates as above, recording problems in {@code problems} (with the config's others) rather
     * than throwing them; the catalog returned is only usable when none were recorded.
     */
    public static DetectorCatalog build(RtmConfig config, PluginRegistry registry, ConfigProblems problems) {
        DetectorCatalog c = new DetectorCatalog(registry);
        Set<String> ensembles = new java.util.LinkedHashSet<>();
        for (DetectorSection s : config.detectors().values()) {
            String path = "detectors." + s.name();
            if (s.type().equals(Ensemble.TYPE)) {
                ensembles.add(s.name()); // built after the plugin instances they combine
                continue;
            }
            Optional<DetectorFactory> f = registry.detector(s.type());
            if (f.isEmpty()) {
                problems.add(s.type().equals(s.name()) ? path : path + ".type",
                        "unknown detector plugin '" + s.type() + "'; available: " + c.pluginList()
                                + (s.type().equals(s.name()) ? " (or set type: to one of them)" : ""));
                continue;
            }
            try {
                Settings settings = f.get().configSpec().validate(s.settings());
                c.instances.put(s.name(), new ConfiguredDetector(s.name(), f.get(), settings));
            } catch (ConfigException e) {
                for (ConfigException.Problem p : e.problems()) {
                    problems.add(path + "." + p.key(), p.message());
                }
            }
        }
        for (String name : ensembles) {
            try {
                Settings settings = Ensemble.validate(name, config.detectors().get(name).settings(), c::resolve, ensembles,
                        c.availableList());
                c.instances.put(name, new ConfiguredDetector(name, Ensemble.of(settings, c::resolve), settings));
            } catch (ConfigException e) {
                for (ConfigException.Problem p : e.problems()) {
                    problems.add("detectors." + name + "." + p.key(), p.message());
                }
            }
        }
        for (RtmConfig.SelectRule r : config.select()) {
            List<ConfiguredDetector> ds = new ArrayList<>();
            for (String name : r.detectors()) {
                Optional<ConfiguredDetector> d = c.resolve(name);
                if (d.isPresent()) {
                    ds.add(d.get());
                } else if (!config.detectors().containsKey(name)) { // a bad section is already reported
                    problems.add("select[" + r.index() + "].detectors", "unknown detector '" + name
                            + "'; available: " + c.availableList());
                }
            }
            c.rules.add(new Rule(Glob.compile(r.metric()), Glob.compile(r.host()), withMembers(ds)));
        }
        if (config.select().isEmpty()) {
            if (!c.instances.isEmpty()) {
                c.defaultNames.addAll(c.instances.keySet());
            } else if (registry.detector(DEFAULT_DETECTOR).isPresent()) {
                c.defaultNames.add(DEFAULT_DETECTOR);
            }
        }
        return c;
    }

    /** A configured instance by name, or the plugin of that name with default settings. */
    public Optional<ConfiguredDetector> resolve(String name) {
        ConfiguredDetector d = instances.get(name);
        if (d != null) {
            return Optional.of(d);
        }
        Optional<DetectorFactory> f = registry.detector(name);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        try {
            ConfiguredDetector made = new ConfiguredDetector(name, f.get(), f.get().configSpec().defaults());
            instances.put(name, made);
            return Optional.of(made);
        } catch (ConfigException e) {
            throw new RtmException("detector '" + name + "' needs settings: add a detectors." + name
                    + " section (" + e.getMessage() + ")");
        }
    }

    /**
     * The list with every ensemble's members added before it (once), so each point's member rows
     * exist when the ensemble combines them.
     */
    static List<ConfiguredDetector> withMembers(List<ConfiguredDetector> ds) {
        Map<String, ConfiguredDetector> out = new LinkedHashMap<>();
        for (ConfiguredDetector d : ds) {
            if (d.ensemble() != null) {
                d.ensemble().members().forEach(m -> out.putIfAbsent(m.name(), m));
            }
            out.putIfAbsent(d.name(), d);
        }
        return List.copyOf(out.values());
    }

    /**
     * Resolves a list of names given on the command line (an ensemble brings its members).
     *
     * @throws RtmException naming the unknown detector and listing the available ones
     */
    public List<ConfiguredDetector> resolveAll(List<String> names) {
        List<ConfiguredDetector> out = new ArrayList<>();
        for (String n : names) {
            out.add(resolve(n.trim()).orElseThrow(() -> new RtmException(
                    "unknown detector '" + n.trim() + "'; available: " + availableList())));
        }
        return withMembers(out);
    }

    /** The detectors for one series: the first matching rule's, or the defaults without rules. */
    public List<ConfiguredDetector> select(String host, String metric) {
        if (rules.isEmpty()) {
            return withMembers(defaultNames.stream().map(n -> resolve(n).orElseThrow()).toList());
        }
        for (Rule r : rules) {
            if (r.metric().matches(metric) && r.host().matches(host)) {
                return r.detectors();
            }
        }
        return List.of();
    }

    /** Every instance created so far (configured or resolved). */
    public List<ConfiguredDetector> instances() {
        return List.copyOf(instances.values());
    }

    private String pluginList() {
        List<String> names = registry.detectorNames();
        if (names.isEmpty()) {
            return "none (no detector plugin loaded from " + registry.dir() + ")";
        }
        return String.join(", ", names);
    }

    /** Configured instance names and plugin names, sorted, for messages. */
    public String availableList() {
        Set<String> all = new java.util.TreeSet<>(instances.keySet());
        all.addAll(registry.detectorNames());
        return all.isEmpty() ? pluginList() : String.join(", ", all);
    }

    @Override
    public void close() {
        instances.values().forEach(ConfiguredDetector::close);
    }
}
