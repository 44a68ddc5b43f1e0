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
import java.util.ArrayList;
import java.util.List;

/** The {@code webhook} alerter: Alertmanager's webhook payload, POSTed to any URL. */
@Extension
public final class WebhookAlerterFactory implements AlerterFactory {

    static final ConfigKey<String> URL = ConfigKey.secret("url",
            "where to POST (a secret: webhook URLs often carry a token)");
    static final ConfigKey<String> RECEIVER = ConfigKey.string("receiver", "rtm",
            "the payload's receiver field");
    static final ConfigKey<Integer> MAX_ALERTS = ConfigKey.integer("max-alerts", 0,
            "at most this many alerts per payload, the rest counted in truncatedAlerts (0: no limit)").atLeast(0);
    static final ConfigKey<String> HMAC_SECRET = ConfigKey.optionalSecret("hmac-secret",
            "when set, the body's HMAC-SHA256 with this key goes in signature-header as sha256=<hex>");
    static final ConfigKey<String> SIGNATURE_HEADER = ConfigKey.string("signature-header", "X-Rtm-Signature-256",
            "header that carries the HMAC signature");

    private static final ConfigSpec SPEC;

    static {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(URL, RECEIVER, MAX_ALERTS, HMAC_SECRET, SIGNATURE_HEADER));
        keys.addAll(HttpOptions.KEYS);
        SPEC = ConfigSpec.of(keys.toArray(ConfigKey<?>[]::new));
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String description() {
        return "POSTs Alertmanager's webhook payload (version 4) as JSON to a URL; optional HMAC signature and basic/bearer auth";
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public Alerter create(Settings s) throws ConfigException {
        URI url = HttpSender.httpUrl(URL, s.get(URL));
        if (!s.get(SIGNATURE_HEADER).matches("[A-Za-z0-9-]+")) {
            throw new ConfigException(SIGNATURE_HEADER.name(), "'" + s.get(SIGNATURE_HEADER) + "' is not a header name");
        }
        HttpOptions http = HttpOptions.of(s);
        List<String> secrets = new ArrayList<>(http.secrets());
        secrets.add(s.get(URL));
        secrets.add(s.get(HMAC_SECRET));
        HttpSender sender = new HttpSender("webhook", http.connectTimeout(), http.readTimeout(), secrets);
        return new WebhookAlerter(url, sender, http.headers(), s.get(RECEIVER), s.get(MAX_ALERTS),
                s.get(HMAC_SECRET), s.get(SIGNATURE_HEADER));
    }
}
