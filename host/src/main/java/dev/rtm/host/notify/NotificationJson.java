package dev.rtm.host.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtm.api.Alert;
import dev.rtm.api.Notification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link Notification} as the JSON kept in {@code notifications.payload}, and back. */
final class NotificationJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private NotificationJson() {
    }

    static String write(Notification n) {
        ObjectNode o = JSON.createObjectNode();
        o.put("key", n.key()).put("groupKey", n.groupKey()).put("sequence", n.sequence()).put("status", n.status().name())
                .put("repeat", n.repeat()).put("url", n.url());
        o.set("groupLabels", JSON.valueToTree(n.groupLabels()));
        ArrayNode alerts = o.putArray("alerts");
        for (Alert a : n.alerts()) {
            ObjectNode x = alerts.addObject();
            x.put("id", a.id()).put("status", a.status().name()).put("severity", a.severity().name()).put("host", a.host())
                    .put("metric", a.metric()).put("startsAt", a.startsAt().toString())
                    .put("endsAt", a.endsAt() == null ? null : a.endsAt().toString()).put("summary", a.summary()).put("url", a.url())
                    .put("score", a.score());
            num(x, "value", a.value());
            num(x, "expected", a.expected());
            num(x, "lower", a.lower());
            num(x, "upper", a.upper());
            x.set("models", JSON.valueToTree(a.models()));
            x.set("labels", JSON.valueToTree(a.labels()));
        }
        return o.toString();
    }

    static Notification read(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            List<Alert> alerts = new ArrayList<>();
            for (JsonNode x : o.get("alerts")) {
                List<String> models = new ArrayList<>();
                x.get("models").forEach(m -> models.add(m.asText()));
                alerts.add(new Alert(x.get("id").asText(), Alert.Status.valueOf(x.get("status").asText()),
                        Alert.Severity.valueOf(x.get("severity").asText()), x.get("host").asText(), x.get("metric").asText(), models,
                        num(x, "value"), num(x, "expected"), num(x, "lower"), num(x, "upper"), x.get("score").asDouble(),
                        Instant.parse(x.get("startsAt").asText()), text(x, "endsAt") == null ? null : Instant.parse(x.get("endsAt").asText()),
                        x.get("summary").asText(), text(x, "url"), map(x.get("labels"))));
            }
            return new Notification(o.get("key").asText(), o.get("groupKey").asText(), map(o.get("groupLabels")),
                    o.get("sequence").asLong(), Alert.Status.valueOf(o.get("status").asText()), alerts, o.get("repeat").asBoolean(),
                    text(o, "url"), null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored notification is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static void num(ObjectNode x, String field, double v) {
        if (Double.isNaN(v)) {
            x.putNull(field);
        } else {
            x.put(field, v);
        }
    }

    private static double num(JsonNode x, String field) {
        JsonNode v = x.get(field);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }

    private static String text(JsonNode x, String field) {
        JsonNode v = x.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, String> map(JsonNode o) {
        Map<String, String> m = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }
}
