package dev.rtm.plugins.slack;

import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import dev.rtm.api.DeliveryException;
import dev.rtm.support.Redactor;
import dev.rtm.support.RetryAfter;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    private final Redactor redactor;
    private final int readTimeoutMs;

    SlackErrors(List<String> secrets, int readTimeoutMs) {
        this.redactor = new Redactor(secrets);
        this.readTimeoutMs = readTimeoutMs;
    }

    /** No answer: a timeout or a connection failure, retryable. */
    DeliveryException io(String call, IOException e) {
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return new DeliveryException("no answer from Slack " + call + " within " + readTimeoutMs
                    + " ms (read timeout)", true, null);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException) {
            return new DeliveryException("cannot connect to Slack (" + call + "): " + redactor.redact(e.getMessage()), true, null);
        }
        return new DeliveryException("I/O error calling Slack " + call + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + redactor.redact(e.getMessage())), true, null);
    }

    /** A non-2xx HTTP answer, from a webhook or the Web API. */
    DeliveryException http(int status, String body, Map<String, List<String>> headers) {
        return DeliveryException.ofHttp("Slack", status, redactor.detail(body), retryAfter(headers));
    }

    /** The Web API's HTTP failure (the SDK throws for non-200 answers). */
    DeliveryException api(String call, SlackApiException e) {
        int status = e.getResponse() == null ? 0 : e.getResponse().code();
        String detail = e.getError() != null && e.getError().getError() != null ? e.getError().getError() : e.getResponseBody();
        Duration retryAfter = e.getResponse() == null ? null : RetryAfter.parse(e.getResponse().header("Retry-After"));
        DeliveryException mapped = DeliveryException.ofHttp("Slack " + call, status, redactor.detail(detail), retryAfter);
        return status == 0 ? new DeliveryException(mapped.getMessage(), true, null) : mapped;
    }

    /** The Web API's {@code ok:false} answer (HTTP 200). */
    DeliveryException notOk(String call, SlackApiTextResponse r) {
        String error = r.getError() == null ? "unknown error" : r.getError();
        String needed = r.getNeeded() == null ? "" : " (needed scope: " + r.getNeeded() + ")";
        boolean retry = TRANSIENT.contains(error);
        Duration retryAfter = retry ? retryAfter(r.getHttpResponseHeaders()) : null;
        return new DeliveryException("Slack " + call + " failed: " + redactor.detail(error) + needed, retry, retryAfter, 200);
    }

    static Duration retryAfter(Map<String, List<String>> headers) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase("Retry-After"))
                .flatMap(e -> e.getValue().stream()).findFirst().map(RetryAfter::parse).orElse(null);
    }
}
