package dev.rtm.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message to one destination: the alerts of one group that changed (or are re-notified)
 * together, like an Alertmanager notification. The host builds it; an {@link Alerter} turns it
 * into the destination's format and sends it.
 *
 * @param key idempotency key, unique per (group, sequence) and the same on every retry of this
 *        notification, also after a restart; destinations that de-duplicate may use it
 * @param groupKey the group's stable identity, e.g. {@code {host="web-1"}}: every notification of
 *        the group carries it (Alertmanager's {@code groupKey})
 * @param groupLabels the labels the group's alerts share (e.g. {@code host=web-1})
 * @param sequence 1 for the group's first notification, then 2, 3, ...
 * @param status FIRING while any alert of the group fires, RESOLVED when all have resolved
 * @param alerts the alerts to tell about: firing ones first, then resolved ones; never empty
 * @param repeat true when nothing changed and this is a reminder (repeat interval)
 * @param url a link for the whole group (Grafana's host dashboard), or null
 * @param previousReceipt what this destination's {@link Alerter#deliver} returned for the group's
 *        first delivered notification (e.g. a Slack message's channel and {@code ts}), so a later
 *        message can update or answer it; null when there is none
 */
public record Notification(String key, String groupKey, Map<String, String> groupLabels, long sequence,
                           Alert.Status status, List<Alert> alerts, boolean repeat, String url,
                           String previousReceipt) {

    /** Checks required fields and copies the collections. */
    public Notification {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(groupKey, "groupKey");
        Objects.requireNonNull(status, "status");
        groupLabels = groupLabels == null ? Map.of() : Map.copyOf(groupLabels);
        alerts = List.copyOf(alerts);
        if (alerts.isEmpty()) {
            throw new IllegalArgumentException("a notification needs at least one alert");
        }
    }

    /** The firing alerts, in order. */
    public List<Alert> firing() {
        return alerts.stream().filter(Alert::firing).toList();
    }

    /** The resolved alerts, in order. */
    public List<Alert> resolved() {
        return alerts.stream().filter(a -> !a.firing()).toList();
    }

    /** The same notification with another receipt of an earlier delivery. */
    public Notification withPreviousReceipt(String receipt) {
        return new Notification(key, groupKey, groupLabels, sequence, status, alerts, repeat, url, receipt);
    }
}
