package dev.rtm.host.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.api.Alerter;
import dev.rtm.api.DeliveryException;
import dev.rtm.api.Notification;
import dev.rtm.host.config.RtmConfig.SilenceRule;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.sink.Schema;
import dev.rtm.local.Poll;
import dev.rtm.recorder.HttpRecorder;
import dev.rtm.recorder.RecordedRequest;
import dev.rtm.recorder.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The notify stage on a real PostgreSQL and a local HTTP receiver, with a simulated clock for the
 * group timings: grouping, group-wait / -interval / repeat, silences, Retry-After, backoff, the
 * circuit breaker, dead letters and their retry, a hanging channel beside a healthy one, a long
 * outage, and a restart between creation and delivery.
 */
class DispatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static PostgresServer pg;
    private static HttpRecorder recorder;
    private final List<Dispatcher> open = new ArrayList<>();
    private SimClock clock;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start(java.nio.file.Files.createTempDirectory(Path.of("target"), "pg-dispatcher").resolve("pg"));
        try (Connection c = pg.connect()) {
            Schema.apply(c);
        }
        recorder = HttpRecorder.start();
    }

    @AfterAll
    static void stop() {
        if (recorder != null) {
            recorder.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void clean() throws Exception {
        open.forEach(Dispatcher::close);
        open.clear();
        recorder.clear();
        recorder.respond(Reply.ok("ok"));
        clock = new SimClock(T0);
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE alert_events, silences, alert_groups, notifications, notification_attempts, notification_receipts");
        }
    }

    /** A clock the test moves. */
    static final class SimClock extends Clock {
        volatile Instant now;

        SimClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** An alerter as a plugin would be: one JSON POST per attempt to the receiver, mapping the answer. */
    static final class PostingAlerter implements Alerter {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final String path;

        PostingAlerter(String path) {
            this.path = path;
        }

        @Override
        public String deliver(Notification n) throws DeliveryException {
            try {
                String body = NotificationJson.write(n);
                HttpRequest req = HttpRequest.newBuilder(URI.create(recorder.url(path))).timeout(Duration.ofSeconds(10))
                        .header("Idempotency-Key", n.key()).header("Previous-Receipt", String.valueOf(n.previousReceipt()))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() >= 300) {
                    Duration after = r.headers().firstValue("Retry-After").map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(null);
                    throw DeliveryException.ofHttp("receiver", r.statusCode(), r.body(), after);
                }
                return "receipt-of-" + n.key();
            } catch (java.io.IOException e) {
                throw new DeliveryException("receiver unreachable: " + e.getClass().getSimpleName(), true, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeliveryException("interrupted", true, null);
            }
        }
    }

    private Dispatcher dispatcher(NotifySettings settings, List<SilenceRule> silences, String... channels) {
        Map<String, String> dest = new LinkedHashMap<>();
        List<Channel> chs = new ArrayList<>();
        for (String ch : channels) {
            dest.put(ch, "test channel '" + ch + "'");
            chs.add(new Channel(ch, dest.get(ch), new PostingAlerter("/" + ch), 100, Duration.ofMillis(800), Duration.ofMillis(200)));
        }
        Dispatcher d = new Dispatcher(pg::connect, new Grouper(settings, dest, silences), chs, clock, settings.retryFor());
        open.add(d);
        return d;
    }

    private static NotifySettings settings() {
        return NotifySettings.defaults(); // group-wait 30s, group-interval 5m, repeat 4h, group by host
    }

    private static void event(String id, String state, String host, String metric, Instant startsAt, Instant at) throws Exception {
        try (Connection c = pg.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO alert_events (alert_id, state, "
                + "kind, host, metric, models, severity, value, expected, lower, upper, score, starts_at, ends_at, at) "
                + "VALUES (?, ?, 'anomaly', ?, ?, 'ewma,arima', 'critical', 97.5, 41, 30, 52, 7.5, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, state);
            ps.setString(3, host);
            ps.setString(4, metric);
            ps.setTimestamp(5, Timestamp.from(startsAt));
            ps.setTimestamp(6, state.equals("resolved") ? Timestamp.from(at) : null);
            ps.setTimestamp(7, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    /** Runs passes until the condition holds or the deadline passes (attempts run on channel threads). */
    private static void passUntil(Dispatcher d, BooleanSupplier done, Duration deadline) {
        try {
            Poll.until("the condition", deadline, () -> {
                d.runOnce();
                return done.getAsBoolean();
            });
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "; requests: " + recorder.requests(), e);
        }
    }

    /** Passes until no attempt is in flight, so the outcome is recorded. */
    private static void settle(Dispatcher d) {
        passUntil(d, () -> !d.busy(), Duration.ofSeconds(10));
        d.runOnce();
    }

    private static List<RecordedRequest> requests(String path) {
        return recorder.requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    private static JsonNode body(RecordedRequest r) throws Exception {
        return JSON.readTree(r.bodyText());
    }

    private static long count(String sql) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void alertsOfOneHostAreGroupedToldOnceInOrderAndResolved() throws Exception {
        Dispatcher d = dispatcher(settings(), List.of(), "slack", "pager");
        event("a1", "firing", "web-1", "cpu", T0, T0);
        event("a2", "firing", "web-1", "mem", T0, T0.plusSeconds(5));
        event("b1", "firing", "db-1", "disk", T0, T0);
        d.runOnce();
        clock.advance(Duration.ofSeconds(29));
        settle(d);
        assertThat(recorder.requests()).as("nothing before group-wait").isEmpty();

        clock.advance(Duration.ofSeconds(2));
        passUntil(d, () -> recorder.requests().size() == 4, Duration.ofSeconds(10));
        settle(d);
        List<RecordedRequest> slack = requests("/slack");
        assertThat(slack).hasSize(2);
        JsonNode web = slack.stream().map(r -> {
            try {
                return body(r);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(b -> b.get("groupKey").asText().equals("{host=\"web-1\"}")).findFirst().orElseThrow();
        assertThat(web.get("key").asText()).isEqualTo("{host=\"web-1\"}#1");
        assertThat(web.get("status").asText()).isEqualTo("FIRING");
        assertThat(web.get("alerts")).hasSize(2);
        assertThat(web.get("alerts").get(0).get("summary").asText())
                .isEqualTo("cpu on web-1 is 97.5 (expected 41, normal 30 to 52), score 7.5, flagged by ewma, arima");
        assertThat(web.get("alerts").get(0).get("url").asText()).startsWith("http://localhost:3000/d/rtm-host/host?var-host=web-1");
        assertThat(count("SELECT count(*) FROM notifications WHERE state = 'sent'")).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM notification_attempts WHERE outcome = 'sent' AND latency_ms > 0")).isEqualTo(4);

        // cpu resolves: told only after group-interval, together with mem still firing; as a reply to the first message
        event("a1", "resolved", "web-1", "cpu", T0, T0.plusSeconds(60));
        clock.advance(Duration.ofSeconds(60));
        settle(d);
        assertThat(requests("/slack")).hasSize(2);
        clock.advance(Duration.ofMinutes(5));
        passUntil(d, () -> requests("/slack").size() == 3, Duration.ofSeconds(10));
        RecordedRequest second = requests("/slack").get(2);
        JsonNode b2 = body(second);
        assertThat(b2.get("key").asText()).isEqualTo("{host=\"web-1\"}#2");
        assertThat(b2.get("status").asText()).isEqualTo("FIRING");
        assertThat(b2.get("alerts")).extracting(a -> a.get("metric").asText() + " " + a.get("status").asText())
                .containsExactly("mem FIRING", "cpu RESOLVED");
        assertThat(second.header("Previous-Receipt")).isEqualTo("receipt-of-{host=\"web-1\"}#1");

        // everything resolved: one RESOLVED notification, then nothing more, ever
        event("a2", "resolved", "web-1", "mem", T0, T0.plusSeconds(400));
        clock.advance(Duration.ofMinutes(6));
        passUntil(d, () -> requests("/slack").size() == 4, Duration.ofSeconds(10));
        assertThat(body(requests("/slack").get(3)).get("status").asText()).isEqualTo("RESOLVED");
        settle(d);
        clock.advance(Duration.ofHours(5));
        settle(d);
        assertThat(requests("/slack").stream().filter(r -> r.bodyText().contains("web-1"))).hasSize(3);
        assertThat(requests("/pager")).hasSameSizeAs(requests("/slack"));
    }

    @Test
    void aFlappingSeriesMakesNoStormAndBlipsWithinGroupWaitAreNotNews() throws Exception {
        Dispatcher d = dispatcher(settings(), List.of(), "slack");
        // 10 incidents in 13 minutes: each fires for 60 s, then is quiet for 20 s
        for (int i = 0; i < 10; i++) {
            Instant start = T0.plusSeconds(80L * i);
            event("f" + i, "firing", "web-1", "cpu", start, start);
            for (int k = 0; k < 6; k++) {
                clock.advance(Duration.ofSeconds(10));
                settle(d);
            }
            event("f" + i, "resolved", "web-1", "cpu", start, start.plusSeconds(60));
            clock.advance(Duration.ofSeconds(20));
            settle(d);
        }
        clock.advance(Duration.ofMinutes(10));
        settle(d);
        settle(d);
        // group-wait, then at most one notification per group-interval (5 min) while it flaps, then the end
        assertThat(recorder.requests()).hasSizeBetween(3, 5);
        JsonNode last = body(recorder.requests().get(recorder.requests().size() - 1));
        assertThat(last.get("status").asText()).isEqualTo("RESOLVED");
        assertThat(count("SELECT count(*) FROM alert_events WHERE handled_at IS NOT NULL")).as("every transition recorded").isEqualTo(20);

        // a blip that fires and resolves within group-wait is recorded, not told (as Alertmanager does)
        recorder.clear();
        event("blip", "firing", "db-9", "cpu", clock.instant(), clock.instant());
        settle(d);
        clock.advance(Duration.ofSeconds(10));
        event("blip", "resolved", "db-9", "cpu", clock.instant().minusSeconds(10), clock.instant());
        clock.advance(Duration.ofMinutes(1));
        settle(d);
        settle(d);
        assertThat(recorder.requests()).isEmpty();
        assertThat(count("SELECT count(*) FROM alert_events WHERE alert_id = 'blip' AND handled_at IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void aStillFiringGroupIsRemindedAfterTheRepeatInterval() throws Exception {
        Dispatcher d = dispatcher(settings(), List.of(), "slack");
        event("a1", "firing", "web-1", "cpu", T0, T0);
        d.runOnce();
        clock.advance(Duration.ofSeconds(31));
        passUntil(d, () -> recorder.requests().size() == 1, Duration.ofSeconds(10));
        clock.advance(Duration.ofHours(3));
        settle(d);
        assertThat(recorder.requests()).hasSize(1);
        clock.advance(Duration.ofHours(1));
        passUntil(d, () -> recorder.requests().size() == 2, Duration.ofSeconds(10));
        JsonNode b = body(recorder.requests().get(1));
        assertThat(b.get("repeat").asBoolean()).isTrue();
        assertThat(b.get("sequence").asLong()).isEqualTo(2);
    }

    @Test
    void aSilenceMutesAndIsRecordedAndStoredSilencesApplyWithoutARestart() throws Exception {
        Dispatcher d = dispatcher(settings(), List.of(new SilenceRule(0, "db-*", "*", Instant.EPOCH, T0.plusSeconds(3600), "maint")),
                "slack");
        long id;
        try (Connection c = pg.connect()) {
            id = Silences.add(c, "web-*", "cpu", T0, T0.plusSeconds(3600), "deploy", "test");
        }
        event("s1", "firing", "db-1", "disk", T0, T0);
        event("s2", "firing", "web-1", "cpu", T0, T0);
        event("s3", "firing", "web-1", "mem", T0, T0);
        d.runOnce();
        assertThat(count("SELECT count(*) FROM alert_events WHERE silenced_by = -1")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM alert_events WHERE silenced_by = " + id)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(31));
        passUntil(d, () -> recorder.requests().size() == 1, Duration.ofSeconds(10));
        settle(d);
        assertThat(body(recorder.requests().get(0)).get("alerts")).extracting(a -> a.get("metric").asText()).containsExactly("mem");

        try (Connection c = pg.connect()) {
            assertThat(Silences.expire(c, id, clock.instant())).isTrue();
        }
        event("s4", "firing", "web-1", "cpu", T0.plusSeconds(40), T0.plusSeconds(40));
        clock.advance(Duration.ofMinutes(6));
        passUntil(d, () -> recorder.requests().size() == 2, Duration.ofSeconds(10));
        assertThat(body(recorder.requests().get(1)).get("alerts")).extracting(a -> a.get("metric").asText()).contains("cpu");
    }

    @Test
    void retryAfterIsHonouredAndARefusalIsDeadLetteredUntilRetried() throws Exception {
        Dispatcher d = dispatcher(settings().withTimings(Duration.ZERO, Duration.ZERO, Duration.ofHours(4)), List.of(), "slack");
        recorder.respondOnce(Reply.tooManyRequests(Duration.ofSeconds(120)));
        event("r1", "firing", "web-1", "cpu", T0, T0);
        passUntil(d, () -> recorder.requests().size() == 1, Duration.ofSeconds(10));
        settle(d);
        clock.advance(Duration.ofSeconds(119));
        settle(d);
        assertThat(recorder.requests()).as("not before Retry-After").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        passUntil(d, () -> recorder.requests().size() == 2, Duration.ofSeconds(10));
        settle(d);
        assertThat(count("SELECT count(*) FROM notification_attempts WHERE outcome = 'retry' AND http_status = 429")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM notifications WHERE state = 'sent' AND attempts = 2")).isEqualTo(1);

        recorder.respond(Reply.status(404, "channel_not_found"));
        event("r2", "firing", "db-1", "cpu", T0, T0);
        passUntil(d, () -> recorder.requests().size() == 3, Duration.ofSeconds(10));
        settle(d);
        clock.advance(Duration.ofHours(1));
        settle(d);
        assertThat(recorder.requests()).as("a 404 is not retried").hasSize(3);
        assertThat(count("SELECT count(*) FROM notifications WHERE state = 'dead' AND http_status = 404 "
                + "AND last_error LIKE '%channel_not_found%'")).isEqualTo(1);

        recorder.respond(Reply.ok("ok"));
        try (Connection c = pg.connect()) {
            assertThat(Outbox.retryDead(c, null, clock.instant())).isEqualTo(1);
        }
        passUntil(d, () -> recorder.requests().size() == 4, Duration.ofSeconds(10));
        settle(d);
        assertThat(count("SELECT count(*) FROM notifications WHERE state = 'sent'")).isEqualTo(2);
    }

    @Test
    void aLongOutageLosesNothingTheBreakerSparesTheReceiverAndOrderIsKeptPerGroup() throws Exception {
        Dispatcher d = dispatcher(settings().withTimings(Duration.ZERO, Duration.ofSeconds(30), Duration.ofHours(4)), List.of(), "slack");
        recorder.respond(Reply.status(503, "down"));
        event("o1", "firing", "web-1", "cpu", T0, T0);
        d.runOnce();
        for (int i = 0; i < 60; i++) { // 10 minutes of simulated time, a pass every 10 s
            clock.advance(Duration.ofSeconds(10));
            if (i == 5) {
                event("o1", "resolved", "web-1", "cpu", T0, T0.plusSeconds(60));
            }
            if (i == 20) {
                event("o2", "firing", "web-1", "mem", T0.plusSeconds(200), T0.plusSeconds(200));
            }
            settle(d);
        }
        int duringOutage = recorder.requests().size();
        assertThat(duringOutage).as("backoff and the breaker keep the attempts few").isBetween(3, 30);
        assertThat(count("SELECT count(*) FROM notifications WHERE state = 'pending'")).isEqualTo(3);

        recorder.respond(Reply.ok("ok"));
        clock.advance(Duration.ofMinutes(6));
        passUntil(d, () -> {
            try {
                return count("SELECT count(*) FROM notifications WHERE state = 'sent'") == 3;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(20));
        List<Long> delivered = new ArrayList<>();
        for (RecordedRequest r : recorder.requests().subList(duringOutage, recorder.requests().size())) {
            delivered.add(body(r).get("sequence").asLong());
        }
        assertThat(delivered).as("every notification once after recovery, in order").containsExactly(1L, 2L, 3L);
    }

    @Test
    void aHangingChannelTimesOutWhileAnotherDelivers() throws Exception {
        Dispatcher d = dispatcher(settings().withTimings(Duration.ZERO, Duration.ZERO, Duration.ofHours(4)), List.of(), "slow", "fast");
        recorder.script(r -> r.path().equals("/slow") ? Reply.hang() : Reply.ok("ok"));
        event("h1", "firing", "web-1", "cpu", T0, T0);
        passUntil(d, () -> requests("/fast").size() == 1, Duration.ofSeconds(5));
        passUntil(d, () -> {
            try {
                return count("SELECT count(*) FROM notification_attempts WHERE channel = 'slow' AND error LIKE 'no answer within%'") == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(10));
        recorder.respond(Reply.ok("ok"));
        clock.advance(Duration.ofMinutes(1));
        passUntil(d, () -> requests("/slow").size() == 2, Duration.ofSeconds(10));
        settle(d);
        assertThat(count("SELECT count(*) FROM notifications WHERE state = 'sent'")).isEqualTo(2);
    }

    @Test
    void aRestartSendsWhatWasPendingOnceAndNothingThatWasAcknowledged() throws Exception {
        NotifySettings s = settings().withTimings(Duration.ZERO, Duration.ZERO, Duration.ofHours(4));
        Dispatcher first = dispatcher(s, List.of(), "slack");
        event("x1", "firing", "web-1", "cpu", T0, T0);
        passUntil(first, () -> recorder.requests().size() == 1, Duration.ofSeconds(10));
        settle(first);
        recorder.respond(Reply.status(503, "down"));
        event("x2", "firing", "db-1", "cpu", T0, T0);
        passUntil(first, () -> recorder.requests().size() == 2, Duration.ofSeconds(10));
        settle(first);
        first.close(); // the job stops with x2's notification pending

        recorder.respond(Reply.ok("ok"));
        Dispatcher second = dispatcher(s, List.of(), "slack");
        clock.advance(Duration.ofMinutes(10));
        passUntil(second, () -> recorder.requests().size() == 3, Duration.ofSeconds(10));
        settle(second);
        clock.advance(Duration.ofMinutes(10));
        settle(second);
        List<String> keys = new ArrayList<>();
        for (RecordedRequest r : recorder.requests()) {
            keys.add(r.header("Idempotency-Key"));
        }
        assertThat(keys).containsExactly("{host=\"web-1\"}#1", "{host=\"db-1\"}#1", "{host=\"db-1\"}#1");
        assertThat(count("SELECT count(*) FROM notifications WHERE state = 'sent'")).isEqualTo(2);
    }
}
