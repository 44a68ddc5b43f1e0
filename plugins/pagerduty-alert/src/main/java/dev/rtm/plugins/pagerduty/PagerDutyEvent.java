package dev.rtm.plugins.pagerduty;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * One PagerDuty Events API v2 event, field for field (snake_case as PagerDuty spells it).
 * A resolve carries only the routing key, the action and the dedup key.
 *
 * @param routingKey the integration key (a secret)
 * @param eventAction "trigger" or "resolve"
 * @param dedupKey the alert's identity: a trigger with the same key joins the open incident, a
 *        resolve with it closes the incident
 * @param payload what the incident shows; null for a resolve
 * @param links links shown on the incident, or null
 * @param client the sending tool's name
 * @param clientUrl a link to the sending tool, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PagerDutyEvent(@JsonProperty("routing_key") String routingKey,
                      @JsonProperty("event_action") String eventAction,
                      @JsonProperty("dedup_key") String dedupKey,
                      Payload payload,
                      List<Link> links,
                      String client,
                      @JsonProperty("client_url") String clientUrl) {

    /**
     * The incident's content.
     *
     * @param summary one line, at most 1024 characters
     * @param source the affected system: the host
     * @param severity critical, error, warning or info
     * @param timestamp when the incident started (ISO 8601)
     * @param component the affected part: the metric
     * @param group the rtm group
     * @param type the kind of alert ({@code class} in PagerDuty: anomaly or nodata)
     * @param customDetails the figures (value, expected, band, score, models, ...)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Payload(String summary, String source, String severity, String timestamp, String component, String group,
                   @JsonProperty("class") String type,
                   @JsonProperty("custom_details") Map<String, Object> customDetails) {
    }

    /**
     * A link on the incident.
     *
     * @param href the URL
     * @param text what the link is called
     */
    record Link(String href, String text) {
    }
}
