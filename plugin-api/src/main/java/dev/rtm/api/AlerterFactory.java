package dev.rtm.api;

import org.pf4j.ExtensionPoint;

/**
 * Entry point of an alerter plugin (Slack, PagerDuty, webhook, ...): annotate the implementation
 * with {@code @org.pf4j.Extension}. The host calls {@link #create(Settings)} once per configured
 * channel with validated settings; secrets among them (declared with {@link ConfigKey#secret})
 * come from the environment or a file and are masked wherever the host shows settings.
 *
 * <p>The plugin sees only {@link Notification}s and its own settings: grouping, silences,
 * retries, rate limits, the circuit breaker and dead letters are the host's (see {@link Alerter}).
 */
public interface AlerterFactory extends ExtensionPoint, NamedFactory {

    /**
     * Creates a configured alerter.
     *
     * @throws ConfigException if a combination of values is invalid
     */
    Alerter create(Settings settings) throws ConfigException;
}
