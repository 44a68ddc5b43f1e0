package dev.rtm.plugins.slack;

import com.slack.api.Slack;
import com.slack.api.webhook.Payload;
import com.slack.api.webhook.WebhookResponse;
import dev.rtm.api.Alerter;
import dev.rtm.api.DeliveryException;
import dev.rtm.api.Notification;

import java.io.IOException;

/**
 * Incoming Webhook mode: each notification is one message to the webhook's channel
 * ({@link Slack#send(String, Payload)}). Webhooks cannot reply in threads or edit, so a resolve is
 * a new message. Returns no receipt.
 */
final class WebhookSlackAlerter implements Alerter {

    private final Slack slack;
    private final String webhookUrl;
    private final MessageRenderer renderer;
    private final SlackErrors errors;

    WebhookSlackAlerter(Slack slack, String webhookUrl, MessageRenderer renderer, SlackErrors errors) {
        this.slack = slack;
        this.webhookUrl = webhookUrl;
        this.renderer = renderer;
        this.errors = errors;
    }

    @Override
    public String deliver(Notification n) throws DeliveryException {
        SlackMessage m = renderer.render(n);
        WebhookResponse r;
        try {
            r = slack.send(webhookUrl, Payload.builder().text(m.text()).blocks(m.blocks()).build());
        } catch (IOException e) {
            throw errors.io("webhook", e);
        }
        int code = r.getCode() == null ? 0 : r.getCode();
        if (code < 200 || code >= 300) {
            throw errors.http(code, r.getBody(), r.getHeaders());
        }
        return null;
    }

    @Override
    public void close() {
        SlackClients.close(slack);
    }
}
