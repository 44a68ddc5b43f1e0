package dev.rtm.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.recorder.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Alertmanager webhook payloads (version 4) a receiver recorded: for every firing alert,
 * identified by its {@code host} and {@code metric} labels and its {@code startsAt} (the first
 * flagged point's time), when the first notification telling it arrived, and that notification's
 * {@code Idempotency-Key}.
 */
final class FiringArrivals {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An alert as the payload names it: series labels and start (epoch ms). */
    record Key(String host, String metric, long startsAtMillis) {
    }

    /** The first arrival of an alert at the receiver. */
    record Arrival(Instant at, String notificationKey) {
    }

    private FiringArrivals() {
    }

    /** Each firing alert of the requests (in arrival order), with its first arrival. */
    static Map<Key, Arrival> of(List<RecordedRequest> requests) {
        Map<Key, Arrival> out = new HashMap<>();
        for (RecordedRequest r : requests) {
            JsonNode payload;
            try {
                payload = JSON.readTree(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException("the receiver got a body that is not JSON: " + r, e);
            }
            for (JsonNode a : payload.path("alerts")) {
                if ("firing".equals(a.path("status").asText())) {
                    JsonNode labels = a.path("labels");
                    Key k = new Key(labels.path("host").asText(), labels.path("metric").asText(),
                            Instant.parse(a.path("startsAt").asText()).toEpochMilli());
                    out.putIfAbsent(k, new Arrival(r.receivedAt(), r.header("Idempotency-Key")));
                }
            }
        }
        return out;
    }
}
