package dev.rtm.plugins.webhook;

import dev.rtm.api.Alerter;
import dev.rtm.api.AlerterFactory;
import dev.rtm.api.ConfigException;
import dev.rtm.api.ConfigKey;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Settings;
import dev.rtm.support.HttpSender;
import org.pf4j.Extension;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@code alertmanager} alerter: rtm's alerts into a running Alertmanager, through its API v2. */
@Extension
public final class AlertmanagerAlerterFactory implements AlerterFactory {

    static final ConfigKey<String> URL = ConfigKey.string("url", null,
            "Alertmanager's base URL, e.g. http://alertmanager:9093 (alerts go to <url>/api/v2/alerts)");
    static final ConfigKey<Integer> FIRING_ENDS_AFTER = ConfigKey.integer("firing-ends-after-minutes", 300,
            "endsAt of a firing alert is now plus this; rtm's re-notification moves it on, so keep it "
                    + "above the channel's repeat interval (Alertmanager resolves an alert whose endsAt passed)").atLeast(1);

    private static final ConfigSpec SPEC;

    static {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(URL, FIRING_ENDS_AFTER));
        keys.addAll(HttpOptions.KEYS);
        SPEC = ConfigSpec.of(keys.toArray(ConfigKey<?>[]::new));
    }

    @Override
    public String name() {
        return "alertmanager";
    }

    @Override
    public String description() {
        return "Posts alerts to Alertmanager's API v2 (POST /api/v2/alerts) to be routed, grouped and silenced there";
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public Alerter create(Settings s) throws ConfigException {
        URI base = HttpSender.httpUrl(URL, s.get(URL));
        String b = base.toString();
        URI alerts = URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/api/v2/alerts");
        HttpOptions http = HttpOptions.of(s);
        HttpSender sender = new HttpSender("Alertmanager", http.connectTimeout(), http.readTimeout(), http.secrets());
        return new AlertmanagerAlerter(alerts, sender, http.headers(),
                Duration.ofMinutes(s.get(FIRING_ENDS_AFTER)), Clock.systemUTC());
    }
}
