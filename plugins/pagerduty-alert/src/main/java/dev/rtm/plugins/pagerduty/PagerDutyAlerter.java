package dev.rtm.plugins.pagerduty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.api.Alert;
import dev.rtm.api.Alerter;
import dev.rtm.api.DeliveryException;
import dev.rtm.api.Notification;
import dev.rtm.support.HttpSender;

import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends one Events API v2 event per alert of a notification: {@code trigger} for a firing alert
 * (again on a reminder: PagerDuty adds it to the open incident), {@code resolve} for a resolved one,
 * both with {@code dedup_key} = the alert's id, so an alert's resolve closes exactly its incident.
 * Events go in the notification's order; the first failure ends the attempt, and the host's retry
 * sends them all again, which PagerDuty de-duplicates by key. Returns no receipt.
 */
final class PagerDutyAlerter implements Alerter {

    static final int MAX_SUMMARY = 1024;
    static final int MAX_DEDUP_KEY = 255;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final String routingKey;
    private final String client;
    private final HttpSender sender;

    PagerDutyAlerter(URI url, String routingKey, String client, HttpSender sender) {
        this.url = url;
        this.routingKey = routingKey;
        this.client = client;
        this.sender = sender;
    }

    @Override
    public String deliver(Notification n) throws DeliveryException {
        for (Alert a : n.alerts()) {
            PagerDutyEvent event = a.firing() ? trigger(n, a) : resolve(a);
            try {
                sender.post(url, JSON.writeValueAsBytes(event), Map.of());
            } catch (JsonProcessingException e) {
                throw new DeliveryException("cannot write the PagerDuty event: " + e.getOriginalMessage(), false, null);
            }
        }
        return null;
    }

    PagerDutyEvent trigger(Notification n, Alert a) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("value", finite(a.value()));
        details.put("expected", finite(a.expected()));
        details.put("band", Double.isNaN(a.lower()) || Double.isNaN(a.upper()) ? null
                : number(a.lower()) + " to " + number(a.upper()));
        details.put("lower", finite(a.lower()));
        details.put("upper", finite(a.upper()));
        details.put("score", finite(a.score()));
        details.put("models", a.models());
        details.put("host", a.host());
        details.put("metric", a.metric());
        details.put("started", a.startsAt().toString());
        details.put("labels", a.labels());
        details.put("notification", n.key());
        List<PagerDutyEvent.Link> links = new ArrayList<>();
        if (a.url() != null) {
            links.add(new PagerDutyEvent.Link(a.url(), "View in Grafana"));
        }
        if (n.url() != null && !n.url().equals(a.url())) {
            links.add(new PagerDutyEvent.Link(n.url(), "Host dashboard in Grafana"));
        }
        PagerDutyEvent.Payload payload = new PagerDutyEvent.Payload(cut(a.summary(), MAX_SUMMARY), a.host(),
                severity(a.severity()), a.startsAt().toString(), a.metric(), n.groupKey(),
                a.labels().getOrDefault("alertname", "anomaly"), details);
        return new PagerDutyEvent(routingKey, "trigger", dedupKey(a), payload, links.isEmpty() ? null : links, client,
                n.url());
    }

    PagerDutyEvent resolve(Alert a) {
        return new PagerDutyEvent(routingKey, "resolve", dedupKey(a), null, null, null, null);
    }

    static String severity(Alert.Severity s) {
        return s.name().toLowerCase(Locale.ROOT);    // critical, warning, info: all PagerDuty severities
    }

    /** The alert's id, or its SHA-256 when longer than PagerDuty's 255 characters. */
    static String dedupKey(Alert a) {
        if (a.id().length() <= MAX_DEDUP_KEY) {
            return a.id();
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(a.id().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** PagerDuty's error answer ({@code {"status":..,"message":..,"errors":[..]}}) as one line. */
    static String errorText(String body) {
        try {
            JsonNode j = JSON.readTree(body);
            if (j != null && j.has("message")) {
                StringBuilder sb = new StringBuilder(j.get("message").asText());
                if (j.has("errors") && j.get("errors").isArray() && !j.get("errors").isEmpty()) {
                    List<String> errors = new ArrayList<>();
                    j.get("errors").forEach(e -> errors.add(e.asText()));
                    sb.append(": ").append(String.join("; ", errors));
                }
                return sb.toString();
            }
        } catch (JsonProcessingException | RuntimeException notJson) {
            // fall through: the raw body
        }
        return body;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static String number(double v) {
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
