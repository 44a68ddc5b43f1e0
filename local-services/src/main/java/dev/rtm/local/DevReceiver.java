package dev.rtm.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.recorder.HttpRecorder;
import dev.rtm.recorder.RecordedRequest;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A local stand-in for a chat or paging service, for the demo and for trying a config: it takes
 * notifications in Alertmanager's webhook payload (the {@code webhook} alerter's format) and prints
 * one readable line per alert. Listens on 127.0.0.1 only.
 */
public final class DevReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpRecorder recorder;

    private DevReceiver(HttpRecorder recorder) {
        this.recorder = recorder;
    }

    /**
     * Starts a receiver.
     *
     * @param port the port, or 0 for a free one
     * @param print gets the lines to show
     */
    public static DevReceiver start(int port, Consumer<String> print) throws IOException {
        HttpRecorder r = port == 0 ? HttpRecorder.start() : HttpRecorder.start(port);
        r.onRequest(req -> print.accept(describe(req)));
        return new DevReceiver(r);
    }

    /** The URL to give the {@code webhook} alerter. */
    public String url() {
        return recorder.url("/rtm");
    }

    /** Notifications received so far. */
    public int received() {
        return recorder.requests().size();
    }

    /** One notification as lines: its status and group, then one line per alert. */
    public static String describe(RecordedRequest req) {
        try {
            JsonNode n = JSON.readTree(req.bodyText());
            StringBuilder sb = new StringBuilder();
            sb.append("notification ").append(n.path("status").asText().toUpperCase(java.util.Locale.ROOT)).append(' ')
                    .append(n.path("groupKey").asText());
            String key = req.header("Idempotency-Key");
            if (key != null) {
                sb.append(" (").append(key.substring(key.lastIndexOf('#'))).append(')');
            }
            for (JsonNode a : n.path("alerts")) {
                sb.append("\n    ").append(a.path("status").asText().equals("firing") ? "[FIRING]   " : "[RESOLVED] ")
                        .append(a.path("labels").path("severity").asText()).append("  ")
                        .append(a.path("annotations").path("summary").asText());
            }
            return sb.toString();
        } catch (IOException | RuntimeException e) {
            return "notification (not Alertmanager's webhook payload): " + req.method() + " " + req.path() + " "
                    + req.bodyText().length() + " bytes";
        }
    }

    @Override
    public void close() {
        recorder.close();
    }
}
