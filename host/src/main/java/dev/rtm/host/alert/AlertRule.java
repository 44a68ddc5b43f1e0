package dev.rtm.host.alert;

import dev.rtm.api.Settings;
import dev.rtm.host.config.HostSettings.Alerts;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * When flags become alerts. Per model and series: an alert fires when at least {@code fireAfter} of
 * the series' last {@code window} points are flagged, and resolves after {@code resolveAfter}
 * unflagged points in a row (the {@code alerts} table, one alert per model). Per series: the alert
 * people are told about fires while the models {@code agreement} names are firing together, with
 * a severity from its peak score, and a series that stops reporting raises a {@code nodata} alert.
 *
 * @param fireAfter flagged points needed in the window (1..window)
 * @param window points looked at (1..63)
 * @param resolveAfter unflagged points in a row that end a firing alert (at least 1)
 * @param agreement which models must be firing for the series' alert to fire
 * @param criticalScore peak score (sigmas) from which an alert is critical rather than a warning
 * @param noDataAfter raise {@code nodata} after this many of the series' intervals without a point (0: off)
 */
public record AlertRule(int fireAfter, int window, int resolveAfter, List<SeriesRule> rules) implements Serializable {

    /**
     * The first flag fires (the detectors flag an event once and then hold off for a refractory
     * period, so one flag is an event, not noise); resolved after 10 normal points; any model;
     * critical from 6 sigmas.
     */
    public static final AlertRule DEFAULT = new AlertRule(1, 5, 10);

    /** A rule with the default agreement (any model), severity bands and no nodata alerts. */
    public AlertRule(int fireAfter, int window, int resolveAfter) {
        this(fireAfter, window, resolveAfter, Agreement.ANY, 6.0, 0);
    }

    /** A rule with one series rule for every series. */
    public AlertRule(int fireAfter, int window, int resolveAfter, Agreement agreement, double criticalScore, int noDataAfter) {
        this(fireAfter, window, resolveAfter, List.of(new SeriesRule("default", "*", "*", agreement, criticalScore, noDataAfter)));
    }

    /** From the validated {@code alerts} section alone (one rule for every series). */
    public static AlertRule of(Settings alerts) {
        return new AlertRule(alerts.get(Alerts.FIRE_AFTER), alerts.get(Alerts.WINDOW), alerts.get(Alerts.RESOLVE_AFTER),
                Agreement.parse(alerts.get(Alerts.MODELS)), alerts.get(Alerts.CRITICAL_SCORE), alerts.get(Alerts.NO_DATA_AFTER));
    }

    /** From a config: its {@code alert-rules} in order, then the {@code alerts} section's rule for every other series. */
    public static AlertRule of(dev.rtm.host.config.RtmConfig cfg) {
        AlertRule base = of(cfg.host().alerts());
        List<SeriesRule> rules = new java.util.ArrayList<>();
        for (dev.rtm.host.config.RtmConfig.AlertRuleSection r : cfg.alertRules()) {
            rules.add(new SeriesRule(r.name(), r.host(), r.metric(), r.models() == null ? base.agreement() : Agreement.parse(r.models()),
                    r.criticalScore() == null ? base.defaultRule().criticalScore() : r.criticalScore(),
                    r.noDataAfter() == null ? base.defaultRule().noDataAfter() : r.noDataAfter()));
        }
        rules.add(base.defaultRule());
        return new AlertRule(base.fireAfter(), base.window(), base.resolveAfter(), rules);
    }

    /** Checks the ranges. */
    public AlertRule {
        if (window < 1 || window > 63 || fireAfter < 1 || fireAfter > window || resolveAfter < 1) {
            throw new IllegalArgumentException("alert rule needs 1 <= fire-after <= window <= 63 and resolve-after >= 1, was "
                    + fireAfter + " of " + window + ", resolve after " + resolveAfter);
        }
        rules = List.copyOf(rules);
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("alert rule needs at least one series rule");
        }
    }

    /** The rule for series no other rule matches (the last). */
    public SeriesRule defaultRule() {
        return rules.get(rules.size() - 1);
    }

    /** The default rule's agreement. */
    public Agreement agreement() {
        return defaultRule().agreement();
    }

    /** The first rule matching a series (the default one at the latest). */
    public SeriesRule forSeries(String host, String metric) {
        for (SeriesRule r : rules) {
            if (r.matches(host, metric)) {
                return r;
            }
        }
        return defaultRule();
    }

    /** The severity of an alert with this peak score under the default rule. */
    public String severity(double peakScore) {
        return defaultRule().severity(peakScore);
    }

    /**
     * When a series' alert — the one people are told about — fires: which models must agree, from
     * which peak it is critical, and after how many silent intervals a nodata alert is raised.
     *
     * @param name the rule's name (the {@code rule} label of its alerts)
     * @param host glob on the host
     * @param metric glob on the metric
     */
    public record SeriesRule(String name, String host, String metric, Agreement agreement, double criticalScore, int noDataAfter)
            implements Serializable {

        /** Checks the values. */
        public SeriesRule {
            if (agreement == null || !(criticalScore > 0) || noDataAfter < 0) {
                throw new IllegalArgumentException("alert rule " + name + " needs models, critical-score > 0 and no-data-after >= 0");
            }
            dev.rtm.host.config.Glob.compile(host);
            dev.rtm.host.config.Glob.compile(metric);
        }

        /** Whether it covers a series. */
        public boolean matches(String h, String m) {
            return dev.rtm.host.config.Glob.compile(host).matches(h) && dev.rtm.host.config.Glob.compile(metric).matches(m);
        }

        /** The severity of an alert with this peak score. */
        public String severity(double peakScore) {
            return peakScore >= criticalScore ? "critical" : "warning";
        }
    }

    /**
     * Which of a series' models must be firing for the series' alert to fire.
     *
     * @param mode {@code any}, {@code all}, {@code majority} or {@code list}
     * @param models for {@code list}: the models that must all be firing
     */
    public record Agreement(String mode, List<String> models) implements Serializable {

        /** Any one model. */
        public static final Agreement ANY = new Agreement("any", List.of());

        /** Copies the list. */
        public Agreement {
            models = List.copyOf(models);
        }

        /**
         * Parses {@code any}, {@code all}, {@code majority} or a comma-separated list of model names.
         *
         * @throws IllegalArgumentException naming what is wrong
         */
        public static Agreement parse(String text) {
            String t = text.trim();
            if (t.equals("any") || t.equals("all") || t.equals("majority")) {
                return new Agreement(t, List.of());
            }
            List<String> names = Arrays.stream(t.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (names.isEmpty() || !names.stream().allMatch(n -> n.matches("[a-z][a-z0-9-]*"))) {
                throw new IllegalArgumentException("must be any, all, majority or a list of model names like ewma,arima; was '" + text + "'");
            }
            return new Agreement("list", names);
        }

        /**
         * Whether the firing models agree.
         *
         * @param firing the models firing now
         * @param known every model seen on the series
         * @param scoring how many models score the series (0: unknown), so {@code all} and
         *        {@code majority} are not decided before every model has been seen
         */
        public boolean holds(java.util.Collection<String> firing, java.util.Collection<String> known, int scoring) {
            int total = Math.max(known.size(), scoring);
            return switch (mode) {
                case "any" -> !firing.isEmpty();
                case "all" -> !firing.isEmpty() && firing.size() >= total && firing.containsAll(known);
                case "majority" -> 2 * firing.size() > total;
                default -> firing.containsAll(models);
            };
        }

        @Override
        public String toString() {
            return mode.equals("list") ? String.join(",", models) : mode;
        }
    }
}
