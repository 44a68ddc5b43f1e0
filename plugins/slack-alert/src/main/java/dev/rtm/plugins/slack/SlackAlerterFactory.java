package dev.rtm.plugins.slack;

import com.slack.api.Slack;
import dev.rtm.api.Alerter;
import dev.rtm.api.AlerterFactory;
import dev.rtm.api.ConfigException;
import dev.rtm.api.ConfigKey;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Settings;
import org.pf4j.Extension;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/**
 * The {@code slack} alerter, on Slack's Java SDK: Block Kit messages through an Incoming Webhook
 * ({@code webhook-url}) or the Web API ({@code token} and {@code channel}), where a resolve answers
 * the firing message in its thread and marks the original resolved.
 */
@Extension
public final class SlackAlerterFactory implements AlerterFactory {

    static final ConfigKey<String> WEBHOOK_URL = ConfigKey.optionalSecret("webhook-url",
            "Incoming Webhook URL (https://hooks.slack.com/services/...); give this or token + channel");
    static final ConfigKey<String> TOKEN = ConfigKey.optionalSecret("token",
            "bot token (xoxb-...) with the chat:write scope, for Web API mode; give this or webhook-url");
    static final ConfigKey<String> CHANNEL = ConfigKey.string("channel", "",
            "channel id or name for Web API mode, e.g. C0123ABCD or #alerts (the bot must be a member)");
    static final ConfigKey<String> API_URL = ConfigKey.string("api-url", "https://slack.com/api/",
            "prefix of the Web API methods (Slack's own unless a proxy or a test receiver stands in)");
    static final ConfigKey<Integer> MAX_ALERTS_SHOWN = ConfigKey.integer("max-alerts-shown", 10,
            "alerts of a notification shown in full; the rest are summarised in one line")
            .atLeast(1).atMost(MessageRenderer.MAX_SHOWN);
    static final ConfigKey<String> SILENCE_FOR = ConfigKey.string("silence-hint-for", "2h",
            "duration in the message's 'rtm silence add ... --for' hint");
    static final ConfigKey<Integer> CONNECT_TIMEOUT = ConfigKey.integer("connect-timeout-ms", 5_000,
            "time allowed to open the connection").atLeast(1);
    static final ConfigKey<Integer> READ_TIMEOUT = ConfigKey.integer("read-timeout-ms", 10_000,
            "time allowed for Slack's answer; past it the attempt fails as retryable").atLeast(1);

    private static final ConfigSpec SPEC = ConfigSpec.of(WEBHOOK_URL, TOKEN, CHANNEL, API_URL, MAX_ALERTS_SHOWN,
            SILENCE_FOR, CONNECT_TIMEOUT, READ_TIMEOUT);

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public String description() {
        return "Slack Block Kit messages by Incoming Webhook, or by Web API with resolves threaded under the firing message";
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public Alerter create(Settings s) throws ConfigException {
        String webhook = s.get(WEBHOOK_URL).trim();
        String token = s.get(TOKEN).trim();
        String channel = s.get(CHANNEL).trim();
        if (webhook.isEmpty() && token.isEmpty()) {
            throw new ConfigException(WEBHOOK_URL.name(), "required: give webhook-url (Incoming Webhook) or token and channel (Web API)");
        }
        if (!webhook.isEmpty() && !token.isEmpty()) {
            throw new ConfigException(TOKEN.name(), "give either webhook-url or token, not both");
        }
        if (!token.isEmpty() && channel.isEmpty()) {
            throw new ConfigException(CHANNEL.name(), "required with token");
        }
        if (!webhook.isEmpty()) {
            checkUrl(WEBHOOK_URL, webhook);
        }
        String apiUrl = s.get(API_URL).trim();
        checkUrl(API_URL, apiUrl);
        if (!s.get(SILENCE_FOR).matches("[0-9]+[smhdw]")) {
            throw new ConfigException(SILENCE_FOR.name(), "'" + s.get(SILENCE_FOR) + "' is not a duration like 30m, 2h or 1d");
        }
        Duration connect = Duration.ofMillis(s.get(CONNECT_TIMEOUT));
        Duration read = Duration.ofMillis(s.get(READ_TIMEOUT));
        MessageRenderer renderer = new MessageRenderer(s.get(MAX_ALERTS_SHOWN), s.get(SILENCE_FOR));
        SlackErrors errors = new SlackErrors(List.of(webhook, token), s.get(READ_TIMEOUT));
        Slack slack = SlackClients.create(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/", connect, read);
        return webhook.isEmpty()
                ? new WebApiSlackAlerter(slack, token, channel, renderer, errors)
                : new WebhookSlackAlerter(slack, webhook, renderer, errors);
    }

    private static void checkUrl(ConfigKey<String> key, String value) throws ConfigException {
        try {
            URI uri = new URI(value);
            if (("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // reported below, without a secret value
        }
        throw new ConfigException(key.name(), (key.secret() ? "value (hidden)" : "'" + value + "'")
                + " is not an https:// URL");
    }
}
