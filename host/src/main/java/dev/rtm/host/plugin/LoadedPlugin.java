package dev.rtm.host.plugin;

import dev.rtm.api.AlerterFactory;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.NamedFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A plugin that loaded, with what it provides.
 *
 * @param id the PF4J plugin id
 * @param version its version
 * @param license its declared license (may be empty)
 * @param file the file or directory in the plugins dir it came from
 * @param sha256 hex SHA-256 of that file ("-" for a directory)
 * @param detectors the detector factories it provides
 * @param alerters the alerter factories it provides
 * @param factoryVersions by extension name, what each factory's {@link NamedFactory#version()}
 *        said at load time, or the plugin's {@code version} where it said {@code unknown}
 */
public record LoadedPlugin(String id, String version, String license, Path file, String sha256,
                           List<DetectorFactory> detectors, List<AlerterFactory> alerters,
                           Map<String, String> factoryVersions) {

    /** The version recorded for {@code f} at load time (the plugin's version for a factory it does not provide). */
    public String versionOf(NamedFactory f) {
        return factoryVersions.getOrDefault(f.name(), version);
    }
}
