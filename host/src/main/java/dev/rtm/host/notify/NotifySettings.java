package dev.rtm.host.notify;

import dev.rtm.api.Settings;
import dev.rtm.host.config.Durations;
import dev.rtm.host.config.HostSettings;
import dev.rtm.host.config.HostSettings.Alerts;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How alerts are grouped and told, from the {@code alerts} section.
 *
 * @param groupBy labels whose alerts go out together (host, metric, kind)
 * @param groupWait wait after a new group's first alert before its first notification
 * @param groupInterval wait between notifications about changes in a group
 * @param repeatInterval re-notify a still-firing group after this long
 * @param retryFor keep retrying a failed notification this long, then dead-letter it
 * @param grafanaUrl base URL for links, or null
 */
public record NotifySettings(List<String> groupBy, Duration groupWait, Duration groupInterval, Duration repeatInterval,
                             Duration retryFor, String grafanaUrl) implements Serializable {

    /** From the validated {@code alerts} section. */
    public static NotifySettings of(Settings alerts) {
        return new NotifySettings(Arrays.stream(alerts.get(Alerts.GROUP_BY).split(",")).map(String::trim).toList(),
                Durations.parse(alerts.get(Alerts.GROUP_WAIT)), Durations.parse(alerts.get(Alerts.GROUP_INTERVAL)),
                Durations.parse(alerts.get(Alerts.REPEAT_INTERVAL)), Durations.parse(alerts.get(Alerts.RETRY_FOR)),
                HostSettings.orNull(alerts.get(Alerts.GRAFANA_URL)));
    }

    /** The defaults of the {@code alerts} section. */
    public static NotifySettings defaults() {
        return of(HostSettings.defaults().alerts());
    }

    /** The same with other group timings (tests, the demo). */
    public NotifySettings withTimings(Duration wait, Duration interval, Duration repeat) {
        return new NotifySettings(groupBy, wait, interval, repeat, retryFor, grafanaUrl);
    }
}
