package dev.rtm.cli;

import dev.rtm.host.RtmException;
import dev.rtm.host.config.ConfigProblems;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.detect.DetectorCatalog;
import dev.rtm.host.notify.ChannelCatalog;
import dev.rtm.host.plugin.PluginFailure;
import dev.rtm.host.plugin.PluginRegistry;
import java.nio.file.Files;
import java.util.stream.Collectors;

/**
 * What a command works with once start-up checks passed: the config, the loaded plugins and the
 * validated detector catalog. Closing it closes detectors, then unloads plugins.
 */
final class HostContext implements AutoCloseable {

    final RtmConfig config;
    final PluginRegistry registry;
    final DetectorCatalog catalog;

    private HostContext(RtmConfig config, PluginRegistry registry, DetectorCatalog catalog) {
        this.config = config;
        this.registry = registry;
        this.catalog = catalog;
    }

    /**
     * Loads the config, the plugins, and validates the detectors and channels; throws RtmException
     * on any problem, listing every problem of the config at once (its own sections' and the
     * plugins' sections' alike).
     */
    static HostContext open(HostOptions opts) {
        return open(opts, false);
    }

    /**
     * As {@link #open(HostOptions)}; with {@code needDetectors} (replay, job) it also refuses a
     * plugins dir from which no detector plugin loaded, saying why, rather than running nothing.
     */
    static HostContext open(HostOptions opts, boolean needDetectors) {
        ConfigProblems problems = new ConfigProblems(opts.configFile());
        RtmConfig cfg = opts.loadConfig(problems);
        PluginRegistry reg = PluginRegistry.load(opts.resolvePluginsDir(cfg));
        try {
            if (needDetectors && reg.detectorNames().isEmpty()) {
                throw new RtmException(noDetectors(reg));
            }
            DetectorCatalog detectors = DetectorCatalog.build(cfg, reg, problems);
            try {
                ChannelCatalog.build(cfg, reg, problems); // a misconfigured channel is refused now, not in the job
                problems.throwIfAny();
            } catch (RuntimeException e) {
                detectors.close();
                throw e;
            }
            return new HostContext(cfg, reg, detectors);
        } catch (RuntimeException e) {
            reg.close();
            throw e;
        }
    }

    private static String noDetectors(PluginRegistry reg) {
        String where = "no detector plugin loaded from " + reg.dir();
        if (!Files.isDirectory(reg.dir())) {
            return where + ": the directory does not exist (give --plugins-dir or set plugins.dir)";
        }
        if (!reg.failures().isEmpty()) {
            return where + ": " + reg.failures().stream().map(PluginFailure::toString).collect(Collectors.joining("; "));
        }
        if (!reg.plugins().isEmpty()) {
            return where + ": its plugins (" + reg.plugins().stream().map(p -> p.id()).collect(Collectors.joining(", "))
                    + ") provide alerters only";
        }
        return where + ": it holds no plugin (*.zip, *.jar or a plugin folder)";
    }

    @Override
    public void close() {
        catalog.close();
        registry.close();
    }
}
