package dev.rtm.plugins.webhook;

import dev.rtm.api.Alert;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Labels and human text of an {@link Alert}, shared by the webhook and Alertmanager payloads. */
final class AlertText {

    private AlertText() {
    }

    /**
     * Alertmanager-style labels: the alert's own labels, completed with {@code alertname},
     * {@code host}, {@code metric}, {@code severity} and {@code model} (the models that flagged it,
     * comma-separated) where the host did not set them. Sorted by name.
     */
    static Map<String, String> labels(Alert a) {
        Map<String, String> labels = new TreeMap<>(a.labels());
        labels.putIfAbsent("alertname", "anomaly");
        labels.putIfAbsent("host", a.host());
        labels.putIfAbsent("metric", a.metric());
        labels.putIfAbsent("severity", a.severity().name().toLowerCase(Locale.ROOT));
        if (!a.models().isEmpty()) {
            labels.putIfAbsent("model", String.join(",", a.models()));
        }
        return labels;
    }

    /** Annotations: {@code summary} (the alert's line) and {@code description} (the figures). */
    static Map<String, String> annotations(Alert a) {
        Map<String, String> annotations = new TreeMap<>();
        annotations.put("summary", a.summary());
        annotations.put("description", description(a));
        return annotations;
    }

    /** e.g. "value 97.2, expected 41 (normal 30.1 to 51.9), score 6.3 sigmas; flagged by ewma, arima". */
    static String description(Alert a) {
        StringBuilder sb = new StringBuilder("value ").append(number(a.value()));
        if (!Double.isNaN(a.expected())) {
            sb.append(", expected ").append(number(a.expected()));
        }
        if (!Double.isNaN(a.lower()) && !Double.isNaN(a.upper())) {
            sb.append(" (normal ").append(number(a.lower())).append(" to ").append(number(a.upper())).append(')');
        }
        sb.append(", score ").append(number(a.score())).append(" sigmas");
        if (!a.models().isEmpty()) {
            sb.append("; flagged by ").append(String.join(", ", a.models()));
        }
        return sb.toString();
    }

    /** A number with at most 4 significant digits, plain notation ("NaN" stays "NaN"). */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
