package dev.rtm.cli;

import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.ConfigProblems;
import dev.rtm.host.config.RtmConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options every command that loads plugins shares, and how they resolve:
 * <ul>
 *   <li>config: {@code --config}, else {@code $RTM_CONFIG}, else {@code ./rtm.yaml} if present,
 *       else built-in defaults;</li>
 *   <li>plugins dir: {@code --plugins-dir}, else {@code plugins.dir} of the config, else
 *       {@code $RTM_PLUGINS_DIR}, else {@code $RTM_HOME/plugins} (set by the launcher), else
 *       {@code ./plugins}.</li>
 * </ul>
 */
public final class HostOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "config file (default: $RTM_CONFIG, else ./rtm.yaml if present)")
    Path config;

    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "plugins directory (overrides plugins.dir)")
    Path pluginsDir;

    /** Environment, replaceable in tests. */
    Map<String, String> env = System.getenv();

    RtmConfig loadConfig() {
        Path file = configFile();
        return file == null ? RtmConfig.defaults() : ConfigLoader.load(file, env);
    }

    /** The config with its problems recorded in {@code problems}, for the caller to report with the plugins' own. */
    RtmConfig loadConfig(ConfigProblems problems) {
        Path file = configFile();
        return file == null ? RtmConfig.defaults() : ConfigLoader.load(file, env, problems);
    }

    /** The config file in use, or null for the built-in defaults. */
    Path configFile() {
        Path file = config;
        if (file == null && env.get("RTM_CONFIG") != null) {
            file = Path.of(env.get("RTM_CONFIG"));
        }
        if (file == null && Files.isRegularFile(Path.of("rtm.yaml"))) {
            file = Path.of("rtm.yaml");
        }
        return file;
    }

    Path resolvePluginsDir(RtmConfig cfg) {
        if (pluginsDir != null) {
            return pluginsDir;
        }
        if (cfg.pluginsDirSetting().isPresent()) {
            return cfg.pluginsDirSetting().get();
        }
        if (env.get("RTM_PLUGINS_DIR") != null) {
            return Path.of(env.get("RTM_PLUGINS_DIR"));
        }
        String home = env.getOrDefault("RTM_HOME", System.getProperty("rtm.home"));
        return home != null ? Path.of(home, "plugins") : Path.of("plugins");
    }
}
