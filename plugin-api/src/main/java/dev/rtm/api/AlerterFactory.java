package dev.rtm.api;

import org.pf4j.ExtensionPoint;

/**
 * Entry point of an alerter plugin (Slack, PagerDuty, e-mail, ...): annotate the implementation
 * with {@code @org.pf4j.Extension}. The host calls {@link #create(Settings)} once per configured
 * alerter with validated settings; secrets among them come from the environment or a file.
 */
public interface AlerterFactory extends ExtensionPoint, NamedFactory {

    /**
     * Creates a configured alerter.
     *
     * @throws ConfigException if a combination of values is invalid
     */
    Alerter create(Settings settings) throws ConfigException;
}
