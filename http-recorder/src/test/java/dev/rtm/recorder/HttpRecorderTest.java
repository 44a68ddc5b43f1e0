package dev.rtm.recorder;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpRecorderTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> post(HttpRecorder rec, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(rec.url(path)))
                        .header("Content-Type", "application/json").header("X-Test", "a")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void recordsEveryRequestAndAnswers200ByDefault() throws Exception {
        try (HttpRecorder rec = HttpRecorder.start()) {
            assertThat(rec.uri().getHost()).isEqualTo("127.0.0.1");
            Instant before = Instant.now();
            HttpResponse<String> res = post(rec, "/hooks/x?a=1&b=2", "{\"héllo\":1}");
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.body()).isEqualTo("ok");

            RecordedRequest r = rec.awaitRequests(1, Duration.ofSeconds(5)).get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/hooks/x");
            assertThat(r.query()).isEqualTo("a=1&b=2");
            assertThat(r.header("x-test")).isEqualTo("a");
            assertThat(r.header("CONTENT-TYPE")).isEqualTo("application/json");
            assertThat(r.bodyText()).isEqualTo("{\"héllo\":1}");
            assertThat(r.receivedAt()).isBetween(before, Instant.now());
        }
    }

    @Test
    void answersByAScriptThatChangesAtAnyTime() throws Exception {
        try (HttpRecorder rec = HttpRecorder.start()) {
            rec.respond(Reply.tooManyRequests(Duration.ofSeconds(7)));
            HttpResponse<String> limited = post(rec, "/", "1");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");

            rec.respondOnce(Reply.serverError(), Reply.slackError("channel_not_found"));
            assertThat(post(rec, "/", "2").statusCode()).isEqualTo(500);
            HttpResponse<String> slack = post(rec, "/", "3");
            assertThat(slack.statusCode()).isEqualTo(200);
            assertThat(slack.body()).isEqualTo("{\"ok\":false,\"error\":\"channel_not_found\"}");
            assertThat(slack.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(post(rec, "/", "4").statusCode()).as("back to the script").isEqualTo(429);

            rec.script(r -> r.path().endsWith("/chat.update") ? Reply.status(404, "nope") : Reply.json("{\"ok\":true}"));
            assertThat(post(rec, "/api/chat.update", "5").statusCode()).isEqualTo(404);
            assertThat(post(rec, "/api/chat.postMessage", "6").body()).isEqualTo("{\"ok\":true}");

            rec.script(r -> { throw new IllegalStateException("boom"); });
            assertThat(post(rec, "/", "7").statusCode()).isEqualTo(500);

            assertThat(rec.requests()).extracting(RecordedRequest::bodyText).containsExactly("1", "2", "3", "4", "5", "6", "7");
        }
    }

    @Test
    void aHangingReplyTimesTheClientOutAndIsReleasedByClose() throws Exception {
        HttpRecorder rec = HttpRecorder.start();
        rec.respond(Reply.hang());
        HttpRequest req = HttpRequest.newBuilder(URI.create(rec.url("/slow")))
                .POST(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofMillis(300)).build();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client.send(req, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(rec.awaitRequests(1, Duration.ofSeconds(5)).get(0).path()).isEqualTo("/slow");

        // a request still hanging when the recorder closes gets its connection closed, not an answer
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(
                HttpRequest.newBuilder(URI.create(rec.url("/pending"))).GET().build(), HttpResponse.BodyHandlers.ofString());
        rec.awaitRequest(r -> r.path().equals("/pending"), Duration.ofSeconds(5));
        long c0 = System.nanoTime();
        rec.close();
        assertThat(Duration.ofNanos(System.nanoTime() - c0)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> pending.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void awaitFailsAtTheDeadlineNamingWhatArrived() throws Exception {
        try (HttpRecorder rec = HttpRecorder.start()) {
            post(rec, "/one", "");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> rec.awaitRequests(2, Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("expected 2 requests").hasMessageContaining("got 1").hasMessageContaining("/one");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(190), Duration.ofSeconds(3));
        }
    }

    @Test
    void awaitWakesUpWhenARequestArrivesAndListenersSeeIt() throws Exception {
        try (HttpRecorder rec = HttpRecorder.start()) {
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            rec.onRequest(r -> seen.add(r.path()));
            CompletableFuture<List<RecordedRequest>> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return rec.awaitRequests(3, Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < 3; i++) {
                post(rec, "/n" + i, "");
            }
            assertThat(waiter.get(10, java.util.concurrent.TimeUnit.SECONDS)).extracting(RecordedRequest::path)
                    .containsExactly("/n0", "/n1", "/n2");
            assertThat(seen).containsExactly("/n0", "/n1", "/n2");
            rec.clear();
            assertThat(rec.requests()).isEmpty();
        }
    }
}
