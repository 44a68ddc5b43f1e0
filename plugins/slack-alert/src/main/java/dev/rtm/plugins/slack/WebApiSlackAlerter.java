package dev.rtm.plugins.slack;

import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import dev.rtm.api.Alert;
import dev.rtm.api.Alerter;
import dev.rtm.api.DeliveryException;
import dev.rtm.api.Notification;

import java.io.IOException;
import java.util.Set;

/**
 * Web API mode (a bot token and a channel): a group's first notification is posted with
 * {@code chat.postMessage} and its receipt is {@code channel:ts}. Every later notification of the
 * group (the host hands that receipt back) is a reply in the message's thread; a RESOLVED one
 * first updates the original message ({@code chat.update}) to show it resolved, then replies. The
 * update comes first because it is idempotent: if the reply fails, the host's retry updates again
 * and replies once.
 */
final class WebApiSlackAlerter implements Alerter {

    /** chat.update failures that must not block the resolved reply: the original cannot be edited. */
    static final Set<String> UNEDITABLE = Set.of("message_not_found", "cant_update_message", "edit_window_closed",
            "is_archived");

    private final Slack slack;
    private final MethodsClient methods;
    private final String channel;
    private final MessageRenderer renderer;
    private final SlackErrors errors;

    WebApiSlackAlerter(Slack slack, String token, String channel, MessageRenderer renderer, SlackErrors errors) {
        this.slack = slack;
        this.methods = slack.methods(token);
        this.channel = channel;
        this.renderer = renderer;
        this.errors = errors;
    }

    @Override
    public String deliver(Notification n) throws DeliveryException {
        SlackMessage m = renderer.render(n);
        Receipt first = Receipt.parse(n.previousReceipt());
        if (first == null) {
            ChatPostMessageResponse r = post(channel, null, m);
            return new Receipt(r.getChannel() == null ? channel : r.getChannel(), r.getTs()).toString();
        }
        if (n.status() == Alert.Status.RESOLVED) {
            update(first, m);
        }
        post(first.channel(), first.ts(), m);
        return first.toString();
    }

    private ChatPostMessageResponse post(String to, String threadTs, SlackMessage m) throws DeliveryException {
        ChatPostMessageResponse r;
        try {
            r = methods.chatPostMessage(b -> b.channel(to).threadTs(threadTs).text(m.text()).blocks(m.blocks())
                    .unfurlLinks(false).unfurlMedia(false));
        } catch (IOException e) {
            throw errors.io("chat.postMessage", e);
        } catch (SlackApiException e) {
            throw errors.api("chat.postMessage", e);
        }
        if (!r.isOk()) {
            throw errors.notOk("chat.postMessage", r);
        }
        return r;
    }

    private void update(Receipt original, SlackMessage m) throws DeliveryException {
        ChatUpdateResponse r;
        try {
            r = methods.chatUpdate(b -> b.channel(original.channel()).ts(original.ts()).text(m.text()).blocks(m.blocks()));
        } catch (IOException e) {
            throw errors.io("chat.update", e);
        } catch (SlackApiException e) {
            throw errors.api("chat.update", e);
        }
        if (!r.isOk() && !UNEDITABLE.contains(r.getError())) {
            throw errors.notOk("chat.update", r);
        }
    }

    @Override
    public void close() {
        SlackClients.close(slack);
    }
}
