package dev.rtm.api;

import org.pf4j.ExtensionPoint;

/**
 * Entry point of a detector plugin: annotate the implementation with {@code @org.pf4j.Extension}
 * and it is found when the plugin file is dropped into the plugins directory.
 *
 * <p>The host calls {@link #create(Settings)} once per configured detector instance with settings
 * already validated against {@link #configSpec()}. A factory must have a public no-argument
 * constructor and be cheap to construct; heavy work (loading native libraries) belongs in
 * {@code create} or later.
 */
public interface DetectorFactory extends ExtensionPoint, NamedFactory {

    /**
     * Creates a configured detector.
     *
     * @param settings validated values for every key of {@link #configSpec()}
     * @return a detector that can serve many series, possibly from several threads
     * @throws ConfigException if a combination of values is invalid (single keys are already checked)
     */
    Detector create(Settings settings) throws ConfigException;
}
