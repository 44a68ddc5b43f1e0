package dev.rtm.plugins.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.api.Alert;
import dev.rtm.api.Alerter;
import dev.rtm.api.DeliveryException;
import dev.rtm.api.Notification;
import dev.rtm.support.HttpSender;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Posts a notification's alerts to Alertmanager's {@code POST /api/v2/alerts}, as Prometheus
 * does: labels identify the alert (so its resolve must carry the same labels, which rtm's host
 * does), {@code startsAt} is the incident's start, {@code endsAt} is its end once resolved and
 * "now + firing-ends-after" while firing. Alertmanager then groups, routes, silences and
 * notifies by its own configuration. Returns no receipt.
 */
final class AlertmanagerAlerter implements Alerter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One alert of the API v2 body ({@code postableAlert}).
     *
     * @param labels identity and routing labels
     * @param annotations summary and description
     * @param startsAt RFC 3339
     * @param endsAt RFC 3339
     * @param generatorURL where to look, or "" (then left out)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record PostableAlert(Map<String, String> labels, Map<String, String> annotations, String startsAt,
                         String endsAt, String generatorURL) {
    }

    private final URI alertsUrl;
    private final HttpSender sender;
    private final Map<String, String> headers;
    private final Duration firingEndsAfter;
    private final Clock clock;

    AlertmanagerAlerter(URI alertsUrl, HttpSender sender, Map<String, String> headers, Duration firingEndsAfter,
                        Clock clock) {
        this.alertsUrl = alertsUrl;
        this.sender = sender;
        this.headers = headers;
        this.firingEndsAfter = firingEndsAfter;
        this.clock = clock;
    }

    @Override
    public String deliver(Notification n) throws DeliveryException {
        List<PostableAlert> body = n.alerts().stream().map(this::postable).toList();
        try {
            sender.post(alertsUrl, JSON.writeValueAsBytes(body), headers);
        } catch (JsonProcessingException e) {
            throw new DeliveryException("cannot write the Alertmanager payload: " + e.getOriginalMessage(), false, null);
        }
        return null;
    }

    PostableAlert postable(Alert a) {
        String endsAt = a.firing() ? clock.instant().plus(firingEndsAfter).toString() : a.endsAt().toString();
        return new PostableAlert(AlertText.labels(a), AlertText.annotations(a), a.startsAt().toString(), endsAt,
                a.url() == null ? "" : a.url());
    }
}
