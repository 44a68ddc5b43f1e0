package dev.rtm.plugins.pagerduty;

import dev.rtm.api.Alerter;
import dev.rtm.api.AlerterFactory;
import dev.rtm.api.ConfigException;
import dev.rtm.api.ConfigKey;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Settings;
import dev.rtm.support.HttpSender;
import org.pf4j.Extension;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The {@code pagerduty} alerter: PagerDuty Events API v2. */
@Extension
public final class PagerDutyAlerterFactory implements AlerterFactory {

    static final ConfigKey<String> ROUTING_KEY = ConfigKey.secret("routing-key",
            "the service's Events API v2 integration key (32 characters)");
    static final ConfigKey<String> URL = ConfigKey.string("url", "https://events.pagerduty.com/v2/enqueue",
            "Events API v2 endpoint (PagerDuty's; e.g. events.eu.pagerduty.com for EU accounts)");
    static final ConfigKey<String> CLIENT = ConfigKey.string("client", "rtm",
            "the sending tool's name shown on the incident");
    static final ConfigKey<Integer> CONNECT_TIMEOUT = ConfigKey.integer("connect-timeout-ms", 5_000,
            "time allowed to open the connection").atLeast(1);
    static final ConfigKey<Integer> READ_TIMEOUT = ConfigKey.integer("read-timeout-ms", 10_000,
            "time allowed for PagerDuty's answer; past it the attempt fails as retryable").atLeast(1);

    private static final ConfigSpec SPEC = ConfigSpec.of(ROUTING_KEY, URL, CLIENT, CONNECT_TIMEOUT, READ_TIMEOUT);

    @Override
    public String name() {
        return "pagerduty";
    }

    @Override
    public String description() {
        return "PagerDuty Events API v2: a trigger per firing alert and a resolve with the same dedup_key";
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public Alerter create(Settings s) throws ConfigException {
        String key = s.get(ROUTING_KEY).trim();
        if (!key.matches("[A-Za-z0-9]{32}")) {
            throw new ConfigException(ROUTING_KEY.name(), "value (hidden) is not an Events API v2 integration key "
                    + "(32 letters and digits, from the service's Integrations tab)");
        }
        URI url = HttpSender.httpUrl(URL, s.get(URL));
        HttpSender sender = new HttpSender("PagerDuty", Duration.ofMillis(s.get(CONNECT_TIMEOUT)),
                Duration.ofMillis(s.get(READ_TIMEOUT)), List.of(key), PagerDutyAlerter::errorText);
        return new PagerDutyAlerter(url, key, s.get(CLIENT), sender);
    }
}
