package dev.rtm.host.plugin;

import java.nio.file.Path;

/**
 * A file in the plugins dir that did not load, or loaded only in part.
 *
 * @param file the file
 * @param reason why, in one line
 */
public record PluginFailure(Path file, String reason) {
    @Override
    public String toString() {
        return file.getFileName() + ": " + reason;
    }
}
