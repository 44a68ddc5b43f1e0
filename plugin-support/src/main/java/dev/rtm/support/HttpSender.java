package dev.rtm.support;

import dev.rtm.api.ConfigException;
import dev.rtm.api.ConfigKey;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One POST of a JSON body, one attempt (the host retries), over the JDK's HTTP client, mapped to
 * {@link DeliveryException}: timeouts, connection failures, 429 (with its Retry-After) and 5xx are
 * retryable, other non-2xx answers are not and carry the destination's error text. Every message
 * goes through a {@link Redactor} of the secrets it was given, so a URL or token never shows, even
 * when the destination echoes it back. Redirects are not followed.
 *
 * <pre>{@code
 * HttpSender sender = new HttpSender("webhook", Duration.ofSeconds(5), Duration.ofSeconds(10), List.of(url));
 * String answer = sender.post(URI.create(url), json, Map.of());
 * }</pre>
 */
public final class HttpSender {

    private final String destination;
    private final HttpClient client;
    private final Duration readTimeout;
    private final Redactor redactor;
    private final UnaryOperator<String> errorText;

    /**
     * @param destination who we talk to, for messages ("webhook", "PagerDuty")
     * @param connectTimeout time allowed to open the connection
     * @param readTimeout time allowed for the answer once the request is sent
     * @param secrets values never to show (URL, tokens); blanks are ignored
     */
    public HttpSender(String destination, Duration connectTimeout, Duration readTimeout, List<String> secrets) {
        this(destination, connectTimeout, readTimeout, secrets, UnaryOperator.identity());
    }

    /**
     * As above, with {@code errorText} turning an error answer's body into its error text (before
     * redaction), e.g. to pick the {@code errors} field out of a JSON body.
     */
    public HttpSender(String destination, Duration connectTimeout, Duration readTimeout, List<String> secrets,
                      UnaryOperator<String> errorText) {
        this.destination = destination;
        this.readTimeout = readTimeout;
        this.redactor = new Redactor(secrets);
        this.errorText = errorText;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** POSTs {@code json} with the given extra headers; returns the 2xx answer's body. */
    public String post(URI uri, byte[] json, Map<String, String> headers) throws DeliveryException {
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
            throw new DeliveryException("cannot connect to " + destination + ": " + redactor.redact(e.getMessage()), true, null);
        } catch (IOException e) {
            throw new DeliveryException("I/O error talking to " + destination + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + redactor.redact(e.getMessage())), true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while talking to " + destination, true, null);
        }
        int status = res.statusCode();
        if (status >= 200 && status < 300) {
            return res.body();
        }
        throw DeliveryException.ofHttp(destination, status, redactor.detail(errorText.apply(res.body())),
                RetryAfter.parse(res.headers().firstValue("Retry-After").orElse(null)));
    }

    /**
     * Checks, at create, that {@code value} of {@code key} is an absolute http(s) URL. The value is
     * not echoed when the key is a secret.
     */
    public static URI httpUrl(ConfigKey<String> key, String value) throws ConfigException {
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, without the value
        }
        throw new ConfigException(key.name(), (key.secret() ? "value (hidden)" : "'" + value + "'")
                + " is not an http:// or https:// URL");
    }
}
