package dev.rtm.host.detect;

import dev.rtm.api.ConfigException;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.Settings;
import dev.rtm.host.RtmException;

/**
 * One detector instance of the config: a name (the {@code model} column), the plugin it uses and
 * its validated settings. The plugin's {@link Detector} is created on first use and shared.
 */
public final class ConfiguredDetector implements AutoCloseable {

    private final String name;
    private final DetectorFactory factory;
    private final Settings settings;
    private Detector detector;

    ConfiguredDetector(String name, DetectorFactory factory, Settings settings) {
        this.name = name;
        this.factory = factory;
        this.settings = settings;
    }

    /** The instance name, written as {@code model}. */
    public String name() {
        return name;
    }

    /** The plugin's detector name ({@code type}). */
    public String type() {
        return factory.name();
    }

    /** The validated settings. */
    public Settings settings() {
        return settings;
    }

    /** The plugin's detector, created once. */
    public synchronized Detector detector() {
        if (detector == null) {
            try {
                detector = factory.create(settings);
            } catch (ConfigException e) {
                throw new RtmException("detectors." + name + ": " + e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                throw new RtmException("detector '" + name + "' (plugin " + type() + ") failed to start: " + e, e);
            }
        }
        return detector;
    }

    @Override
    public synchronized void close() {
        if (detector != null) {
            try {
                detector.close();
            } catch (Exception ignored) {
                // closing is best effort; a plugin's failure here must not hide the real result
            }
            detector = null;
        }
    }

    @Override
    public String toString() {
        return name.equals(type()) ? name : name + " (" + type() + ")";
    }
}
