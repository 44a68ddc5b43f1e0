package dev.rtm.plugins.pagerduty;

import dev.rtm.api.DeliveryException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One POST of a JSON body, one attempt, mapped to {@link DeliveryException}: timeouts, connection
 * failures, 429 (with its Retry-After) and 5xx are retryable, other non-2xx answers are not and carry
 * the destination's error text. (The same as webhook-alert's; plugins share no code but the API.)
 * Every message is passed through the secrets it was given, so a URL
 * or token never shows, even when the destination echoes it back.
 */
final class HttpSender {

    private static final int MAX_DETAIL = 300;

    private final String destination;
    private final HttpClient client;
    private final Duration readTimeout;
    private final List<String> secrets;
    private final UnaryOperator<String> errorText;

    /**
     * @param destination who we talk to, for messages ("PagerDuty")
     * @param secrets values never to show (URL, keys); blanks are ignored
     * @param errorText turns an error answer's body into its error text (before redaction)
     */
    HttpSender(String destination, Duration connectTimeout, Duration readTimeout, List<String> secrets,
               UnaryOperator<String> errorText) {
        this.destination = destination;
        this.errorText = errorText;
        this.readTimeout = readTimeout;
        this.secrets = secrets.stream().filter(Objects::nonNull).filter(s -> !s.isBlank())
                .flatMap(s -> Stream.concat(Stream.of(s), urlParts(s).stream())).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** POSTs {@code json} with the given extra headers; returns the 2xx answer's body. */
    String post(URI uri, byte[] json, Map<String, String> headers) throws DeliveryException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(readTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "rtm")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        headers.forEach(b::header);
        HttpResponse<String> res;
        try {
            res = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new DeliveryException("connect to " + destination + " timed out", true, null);
        } catch (HttpTimeoutException e) {
            throw new DeliveryException("no answer from " + destination + " within " + readTimeout.toMillis()
                    + " ms (read timeout)", true, null);
        } catch (ConnectException e) {
            throw new DeliveryException("cannot connect to " + destination + ": " + redact(e.getMessage()), true, null);
        } catch (IOException e) {
            throw new DeliveryException("I/O error talking to " + destination + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + redact(e.getMessage())), true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while talking to " + destination, true, null);
        }
        int status = res.statusCode();
        if (status >= 200 && status < 300) {
            return res.body();
        }
        throw DeliveryException.ofHttp(destination, status, detail(errorText.apply(res.body())),
                retryAfter(res.headers().firstValue("Retry-After").orElse(null)));
    }

    /** The destination's error text, shortened, on one line, without secrets. */
    String detail(String body) {
        if (body == null) {
            return null;
        }
        String s = redact(body.strip().replaceAll("\\s+", " "));
        return s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL) + "..." : s;
    }

    /**
     * The parts of a secret URL that carry its secret and may come back alone in an answer: user
     * info, path, query, and path segments of 12 characters or more. Empty for a non-URL.
     */
    static List<String> urlParts(String secret) {
        URI uri;
        try {
            uri = new URI(secret.trim());
        } catch (URISyntaxException e) {
            return List.of();
        }
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
    }

    /** {@code text} with every secret replaced by {@code ******}. */
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

    /** A Retry-After header (delta-seconds or an HTTP date) as a duration, or null. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            long seconds = Long.parseLong(h);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
