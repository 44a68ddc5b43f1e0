package dev.rtm.host.cli;

import dev.rtm.host.config.ConfigProblems;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.detect.DetectorCatalog;
import dev.rtm.host.notify.ChannelCatalog;
import dev.rtm.host.plugin.PluginRegistry;

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
        ConfigProblems problems = new ConfigProblems(opts.configFile());
        RtmConfig cfg = opts.loadConfig(problems);
        PluginRegistry reg = PluginRegistry.load(opts.resolvePluginsDir(cfg));
        try {
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

    @Override
    public void close() {
        catalog.close();
        registry.close();
    }
}
