package dev.rtm.host.alert;

import java.io.Serializable;

/**
 * When a model's flags on one series become an alert, and when the alert ends: it fires when at
 * least {@code fireAfter} of the series' last {@code window} points are flagged, and resolves
 * after {@code resolveAfter} unflagged points in a row. One alert per (host, metric, model), so
 * models can be compared on their alerts as on their scores.
 *
 * @param fireAfter flagged points needed in the window (1..window)
 * @param window points looked at (1..63)
 * @param resolveAfter unflagged points in a row that end a firing alert (at least 1)
 */
public record AlertRule(int fireAfter, int window, int resolveAfter) implements Serializable {

    /** 3 of the last 5 points flagged; resolved after 10 normal points. */
    public static final AlertRule DEFAULT = new AlertRule(3, 5, 10);

    /** From the validated {@code alerts} section. */
    public static AlertRule of(dev.rtm.api.Settings alerts) {
        return new AlertRule(alerts.get(dev.rtm.host.config.HostSettings.Alerts.FIRE_AFTER),
                alerts.get(dev.rtm.host.config.HostSettings.Alerts.WINDOW),
                alerts.get(dev.rtm.host.config.HostSettings.Alerts.RESOLVE_AFTER));
    }

    /** Checks the ranges. */
    public AlertRule {
        if (window < 1 || window > 63 || fireAfter < 1 || fireAfter > window || resolveAfter < 1) {
            throw new IllegalArgumentException("alert rule needs 1 <= fire-after <= window <= 63 and resolve-after >= 1, was "
                    + fireAfter + " of " + window + ", resolve after " + resolveAfter);
        }
    }
}
