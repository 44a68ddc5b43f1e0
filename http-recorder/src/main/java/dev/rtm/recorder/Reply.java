package dev.rtm.recorder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@link HttpRecorder} answers to a request: a status, headers and a body, or
 * {@link #hang()} (no answer at all until the recorder is closed). Immutable.
 */
public final class Reply {

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private final boolean hang;

    private Reply(int status, Map<String, String> headers, byte[] body, boolean hang) {
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = body;
        this.hang = hang;
    }

    /** 200 with a plain-text body (e.g. Slack's webhook answers {@code ok}). */
    public static Reply ok(String body) {
        return status(200, body);
    }

    /** 200 with a JSON body. */
    public static Reply json(String json) {
        return json(200, json);
    }

    /** A status with a JSON body. */
    public static Reply json(int status, String json) {
        return new Reply(status, Map.of("Content-Type", "application/json; charset=utf-8"),
                json.getBytes(StandardCharsets.UTF_8), false);
    }

    /** A status with a plain-text body (empty for none). */
    public static Reply status(int status, String body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        return new Reply(status, Map.of("Content-Type", "text/plain; charset=utf-8"),
                body.getBytes(StandardCharsets.UTF_8), false);
    }

    /** 429 Too Many Requests with a {@code Retry-After} in whole seconds. */
    public static Reply tooManyRequests(Duration retryAfter) {
        return status(429, "rate limited").withHeader("Retry-After", String.valueOf(retryAfter.toSeconds()));
    }

    /** 500 Internal Server Error. */
    public static Reply serverError() {
        return status(500, "internal error");
    }

    /** Slack Web API's failure shape: HTTP 200 with {@code {"ok":false,"error":"..."}}. */
    public static Reply slackError(String error) {
        return json("{\"ok\":false,\"error\":\"" + error.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    /** No answer: the request waits until the recorder is closed (a hanging destination). */
    public static Reply hang() {
        return new Reply(0, Map.of(), new byte[0], true);
    }

    /** A copy with one more (or a replaced) response header. */
    public Reply withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Reply(status, copy, body, hang);
    }

    /** The status (0 for {@link #hang()}). */
    public int status() {
        return status;
    }

    /** The response headers. */
    public Map<String, String> headers() {
        return headers;
    }

    /** A copy of the body. */
    public byte[] body() {
        return body.clone();
    }

    /** Whether this reply never answers. */
    public boolean hangs() {
        return hang;
    }

    @Override
    public String toString() {
        return hang ? "hang" : status + " " + new String(body, StandardCharsets.UTF_8);
    }
}
