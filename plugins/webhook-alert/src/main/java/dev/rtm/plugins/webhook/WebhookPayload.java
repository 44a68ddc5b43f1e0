package dev.rtm.plugins.webhook;

import dev.rtm.api.Alert;
import dev.rtm.api.Notification;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alertmanager's webhook payload ({@code version "4"}), field for field, so that every tool that
 * consumes Alertmanager webhooks consumes rtm's notifications. Serialised with Jackson.
 *
 * @param version always "4"
 * @param groupKey the group's identity
 * @param truncatedAlerts how many alerts were left out by {@code max-alerts}
 * @param status "firing" or "resolved"
 * @param receiver the configured receiver name
 * @param groupLabels the labels that define the group
 * @param commonLabels the labels all alerts share
 * @param commonAnnotations the annotations all alerts share
 * @param externalURL a link for the group (rtm's Grafana), or ""
 * @param alerts the alerts
 */
record WebhookPayload(String version, String groupKey, int truncatedAlerts, String status, String receiver,
                      Map<String, String> groupLabels, Map<String, String> commonLabels,
                      Map<String, String> commonAnnotations, String externalURL, List<Item> alerts) {

    /** What Alertmanager puts in {@code endsAt} while an alert fires (Go's zero time). */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    /**
     * One alert of the payload.
     *
     * @param status "firing" or "resolved"
     * @param labels the alert's labels
     * @param annotations summary and description
     * @param startsAt RFC 3339
     * @param endsAt RFC 3339; {@link #ZERO_TIME} while firing
     * @param generatorURL where to look (Grafana), or ""
     * @param fingerprint the alert's stable id
     */
    record Item(String status, Map<String, String> labels, Map<String, String> annotations, String startsAt,
                String endsAt, String generatorURL, String fingerprint) {
    }

    /**
     * The payload of a notification.
     *
     * @param maxAlerts at most this many alerts (0: all); the rest are counted in truncatedAlerts
     */
    static WebhookPayload of(Notification n, String receiver, int maxAlerts) {
        List<Alert> all = n.alerts();
        List<Alert> kept = maxAlerts > 0 && all.size() > maxAlerts ? all.subList(0, maxAlerts) : all;
        List<Item> items = kept.stream().map(WebhookPayload::item).toList();
        return new WebhookPayload("4", n.groupKey(), all.size() - kept.size(), status(n.status()), receiver,
                new TreeMap<>(n.groupLabels()), common(items.stream().map(Item::labels).toList()),
                common(items.stream().map(Item::annotations).toList()), n.url() == null ? "" : n.url(), items);
    }

    static Item item(Alert a) {
        return new Item(status(a.status()), AlertText.labels(a), AlertText.annotations(a), time(a.startsAt()),
                a.endsAt() == null || a.firing() ? ZERO_TIME : time(a.endsAt()), a.url() == null ? "" : a.url(), a.id());
    }

    static String status(Alert.Status s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    static String time(Instant t) {
        return t.toString();
    }

    /** The entries every map has, with the same value. */
    static Map<String, String> common(List<Map<String, String>> maps) {
        Map<String, String> common = new TreeMap<>(maps.get(0));
        for (Map<String, String> m : maps.subList(1, maps.size())) {
            common.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
        }
        return common;
    }
}
