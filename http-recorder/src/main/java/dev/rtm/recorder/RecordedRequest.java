package dev.rtm.recorder;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request as the {@link HttpRecorder} received it.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the request path without the query, e.g. {@code /api/chat.postMessage}
 * @param query the raw query string, or null
 * @param headers the request headers, names in lower case
 * @param body the request body (empty when there was none)
 * @param receivedAt when the recorder had read the whole request
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              byte[] body, Instant receivedAt) {

    /** Copies the headers (names lower-cased) and the body. */
    public RecordedRequest {
        TreeMap<String, List<String>> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new java.util.ArrayList<>())
                .addAll(v));
        lower.replaceAll((k, v) -> List.copyOf(v));
        headers = java.util.Collections.unmodifiableMap(lower);
        body = body.clone();
    }

    /** The first value of a header (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        String text = bodyText();
        return method + " " + path + (query == null ? "" : "?" + query) + " ("
                + body.length + " bytes" + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text))
                + ")";
    }
}
