package dev.rtm.host.detect;

import dev.rtm.api.ConfigException;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.Settings;
import dev.rtm.host.RtmException;

/**
 * One detector instance of the config: a name (the {@code model} column), the plugin it uses and
 * its validated settings. The plugin's {@link Detector} is created on first use and shared. An
 * {@link Ensemble} instance has no plugin: it combines its members' rows ({@link #ensemble()}).
 */
public final class ConfiguredDetector implements AutoCloseable {

    private final String name;
    private final DetectorFactory factory;
    private final Settings settings;
    private final Ensemble ensemble;
    private Detector detector;

    ConfiguredDetector(String name, DetectorFactory factory, Settings settings) {
        this.name = name;
        this.factory = factory;
        this.settings = settings;
        this.ensemble = null;
    }

    ConfiguredDetector(String name, Ensemble ensemble, Settings settings) {
        this.name = name;
        this.factory = null;
        this.settings = settings;
        this.ensemble = ensemble;
    }

    /** The ensemble this instance is, or null for a plugin's detector. */
    public Ensemble ensemble() {
        return ensemble;
    }

    /** The threshold that maps this instance's scores to [0, 1) ({@code score / (score + threshold)}). */
    public double threshold() {
        return ensemble != null ? Ensemble.THRESHOLD : detector().threshold();
    }

    /** The instance name, written as {@code model}. */
    public String name() {
        return name;
    }

    /** The plugin's detector name ({@code type}), or {@code ensemble}. */
    public String type() {
        return ensemble != null ? Ensemble.TYPE : factory.name();
    }

    /** The validated settings. */
    public Settings settings() {
        return settings;
    }

    /**
     * The plugin's detector, created once.
     *
     * @throws IllegalStateException for an ensemble, which has no plugin detector
     */
    public synchronized Detector detector() {
        if (ensemble != null) {
            throw new IllegalStateException("detector '" + name + "' is an ensemble: it combines its members' rows");
        }
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
