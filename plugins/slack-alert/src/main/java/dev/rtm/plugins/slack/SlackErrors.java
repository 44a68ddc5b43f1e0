package dev.rtm.plugins.slack;

import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import dev.rtm.api.DeliveryException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Maps what Slack answered (or did not) to {@link DeliveryException}: timeouts, connection failures,
 * HTTP 429 (with Retry-After), 5xx and the Web API's transient errors ({@code ratelimited},
 * {@code service_unavailable}, ...) are retryable; other HTTP statuses and {@code ok:false} errors
 * ({@code channel_not_found}, {@code invalid_auth}, ...) are not. Every message is redacted: the
 * webhook URL (and its path), the token, never appear, even if Slack echoed them.
 */
final class SlackErrors {

    /** Web API errors worth retrying. */
    static final Set<String> TRANSIENT = Set.of("ratelimited", "rate_limited", "service_unavailable",
            "fatal_error", "internal_error", "request_timeout", "team_added_to_org");

    private static final int MAX_DETAIL = 300;

    private final List<String> secrets;
    private final int readTimeoutMs;

    SlackErrors(List<String> secrets, int readTimeoutMs) {
        List<String> all = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && !s.isBlank()) {
                all.add(s);
                all.addAll(urlParts(s));
            }
        }
        this.secrets = all.stream().distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.readTimeoutMs = readTimeoutMs;
    }

    /** No answer: a timeout or a connection failure, retryable. */
    DeliveryException io(String call, IOException e) {
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return new DeliveryException("no answer from Slack " + call + " within " + readTimeoutMs
                    + " ms (read timeout)", true, null);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException) {
            return new DeliveryException("cannot connect to Slack (" + call + "): " + redact(e.getMessage()), true, null);
        }
        return new DeliveryException("I/O error calling Slack " + call + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + redact(e.getMessage())), true, null);
    }

    /** A non-2xx HTTP answer, from a webhook or the Web API. */
    DeliveryException http(int status, String body, Map<String, List<String>> headers) {
        return DeliveryException.ofHttp("Slack", status, detail(body), retryAfter(headers));
    }

    /** The Web API's HTTP failure (the SDK throws for non-200 answers). */
    DeliveryException api(String call, SlackApiException e) {
        int status = e.getResponse() == null ? 0 : e.getResponse().code();
        String detail = e.getError() != null && e.getError().getError() != null ? e.getError().getError() : e.getResponseBody();
        Duration retryAfter = e.getResponse() == null ? null : parseRetryAfter(e.getResponse().header("Retry-After"));
        DeliveryException mapped = DeliveryException.ofHttp("Slack " + call, status, detail(detail), retryAfter);
        return status == 0 ? new DeliveryException(mapped.getMessage(), true, null) : mapped;
    }

    /** The Web API's {@code ok:false} answer (HTTP 200). */
    DeliveryException notOk(String call, SlackApiTextResponse r) {
        String error = r.getError() == null ? "unknown error" : r.getError();
        String needed = r.getNeeded() == null ? "" : " (needed scope: " + r.getNeeded() + ")";
        boolean retry = TRANSIENT.contains(error);
        Duration retryAfter = retry ? retryAfter(r.getHttpResponseHeaders()) : null;
        return new DeliveryException("Slack " + call + " failed: " + detail(error) + needed, retry, retryAfter, 200);
    }

    String detail(String body) {
        if (body == null) {
            return null;
        }
        String s = redact(body.strip().replaceAll("\\s+", " "));
        return s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL) + "..." : s;
    }

    String redact(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "******");
        }
        return out;
    }

    static Duration retryAfter(Map<String, List<String>> headers) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase("Retry-After"))
                .flatMap(e -> e.getValue().stream()).findFirst().map(SlackErrors::parseRetryAfter).orElse(null);
    }

    static Duration parseRetryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            long s = Long.parseLong(value.trim());
            return s < 0 ? null : Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Path, query, user info and long path segments of a secret URL; empty for other secrets. */
    static List<String> urlParts(String secret) {
        try {
            URI uri = new URI(secret.trim());
            if (uri.getScheme() == null) {
                return List.of();
            }
            List<String> parts = new ArrayList<>();
            parts.add(uri.getRawUserInfo());
            parts.add(uri.getRawQuery());
            String path = uri.getRawPath();
            if (path != null && path.length() > 1) {
                parts.add(path);
                for (String segment : path.split("/")) {
                    if (segment.length() >= 12) {
                        parts.add(segment);
                    }
                }
            }
            return parts.stream().filter(Objects::nonNull).filter(p -> !p.isBlank()).toList();
        } catch (URISyntaxException e) {
            return List.of();
        }
    }
}
