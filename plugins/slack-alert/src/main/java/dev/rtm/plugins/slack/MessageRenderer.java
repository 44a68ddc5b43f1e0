package dev.rtm.plugins.slack;

import com.slack.api.model.block.LayoutBlock;
import dev.rtm.api.Alert;
import dev.rtm.api.Notification;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.asContextElements;
import static com.slack.api.model.block.element.BlockElements.asElements;
import static com.slack.api.model.block.element.BlockElements.button;

/**
 * Turns a {@link Notification} into a Block Kit message with Slack's SDK model: a header with the
 * severity emoji, one section per alert (host, metric, value against expected and band, score,
 * models, start and duration, silence hint, "View in Grafana" button), then a summary of the alerts
 * not shown, the group's Grafana link and a context line.
 *
 * <p>Slack's limits are kept by construction, never by cutting JSON: at most 50 blocks (only the
 * first {@code maxShown} alerts get a section, the rest are summarised as "and K more"), header
 * ≤ 150 characters, section and context text ≤ 3000, button text ≤ 75 and URL ≤ 3000 (longer URLs
 * get no button), fallback text ≤ 3000.
 */
final class MessageRenderer {

    static final int MAX_BLOCKS = 50;
    static final int MAX_HEADER = 150;
    static final int MAX_SECTION_TEXT = 3000;
    static final int MAX_BUTTON_TEXT = 75;
    static final int MAX_URL = 3000;
    static final int MAX_TEXT = 3000;
    /** Largest maxShown: header, then per alert a section and a divider, summary, actions, context. */
    static final int MAX_SHOWN = (MAX_BLOCKS - 4) / 2;

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final int maxShown;
    private final String silenceFor;

    /**
     * @param maxShown alerts that get their own section, 1 to {@link #MAX_SHOWN}
     * @param silenceFor the duration in the silence hint, e.g. "2h"
     */
    MessageRenderer(int maxShown, String silenceFor) {
        if (maxShown < 1 || maxShown > MAX_SHOWN) {
            throw new IllegalArgumentException("maxShown must be in [1, " + MAX_SHOWN + "]");
        }
        this.maxShown = maxShown;
        this.silenceFor = silenceFor;
    }

    SlackMessage render(Notification n) {
        List<Alert> alerts = n.alerts();
        List<Alert> shown = alerts.subList(0, Math.min(maxShown, alerts.size()));
        List<Alert> rest = alerts.subList(shown.size(), alerts.size());

        List<LayoutBlock> blocks = new ArrayList<>();
        String title = title(n);
        blocks.add(header(h -> h.text(plainText(pt -> pt.text(cut(title, MAX_HEADER)).emoji(true)))));
        for (int i = 0; i < shown.size(); i++) {
            Alert a = shown.get(i);
            String text = cut(alertText(a), MAX_SECTION_TEXT);
            String url = a.url();
            int index = i;
            blocks.add(section(s -> {
                s.text(markdownText(text));
                if (usable(url)) {
                    s.accessory(button(b -> b.text(plainText("View in Grafana")).url(url).actionId("grafana-" + index)));
                }
                return s;
            }));
            if (i < shown.size() - 1) {
                blocks.add(divider());
            }
        }
        if (!rest.isEmpty()) {
            blocks.add(section(s -> s.text(markdownText(cut(moreText(rest), MAX_SECTION_TEXT)))));
        }
        if (usable(n.url())) {
            blocks.add(actions(a -> a.elements(asElements(
                    button(b -> b.text(plainText(cut("View " + groupName(n) + " in Grafana", MAX_BUTTON_TEXT)))
                            .url(n.url()).actionId("grafana-group"))))));
        }
        String footer = "rtm anomaly detection · group " + escape(n.groupKey()) + " · notification #" + n.sequence()
                + (n.repeat() ? " (reminder)" : "");
        blocks.add(context(c -> c.elements(asContextElements(markdownText(cut(footer, MAX_SECTION_TEXT))))));
        return new SlackMessage(cut(fallback(n, title), MAX_TEXT), blocks);
    }

    /** e.g. ":red_circle: CRITICAL · 2 anomalies on web-1" or ":white_check_mark: RESOLVED · ...". */
    static String title(Notification n) {
        int count = n.alerts().size();
        String what = count == 1 ? kind(n.alerts().get(0)) : count + " " + plural(kind(n.alerts().get(0)));
        String where = " on " + groupName(n);
        if (n.status() == Alert.Status.RESOLVED) {
            return ":white_check_mark: RESOLVED · " + what + where;
        }
        Alert.Severity worst = n.firing().stream().map(Alert::severity).max(Comparator.naturalOrder())
                .orElse(Alert.Severity.INFO);
        return emoji(worst) + " " + worst.name() + " · " + what + where + (n.repeat() ? " (still firing)" : "");
    }

    private static String kind(Alert a) {
        return "nodata".equals(a.labels().get("alertname")) ? "no-data alert" : "anomaly";
    }

    private static String plural(String kind) {
        return kind.equals("anomaly") ? "anomalies" : kind + "s";
    }

    /** The group's labels' values ("web-1"), or its key when it has none. */
    static String groupName(Notification n) {
        if (n.groupLabels().isEmpty()) {
            return n.groupKey();
        }
        return n.groupLabels().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .map(java.util.Map.Entry::getValue).collect(Collectors.joining(" / "));
    }

    static String emoji(Alert.Severity s) {
        return switch (s) {
            case CRITICAL -> ":red_circle:";
            case WARNING -> ":large_orange_circle:";
            case INFO -> ":large_blue_circle:";
        };
    }

    String alertText(Alert a) {
        StringBuilder sb = new StringBuilder();
        sb.append(a.firing() ? emoji(a.severity()) : ":white_check_mark:")
                .append(" *").append(escape(a.metric())).append("* on *").append(escape(a.host())).append('*');
        if (!a.firing()) {
            sb.append(" — resolved");
        }
        sb.append('\n').append('*').append(number(a.value())).append('*');
        if (!Double.isNaN(a.expected())) {
            sb.append(" vs expected ").append(number(a.expected()));
        }
        if (!Double.isNaN(a.lower()) && !Double.isNaN(a.upper())) {
            sb.append(" (normal ").append(number(a.lower())).append(" to ").append(number(a.upper())).append(')');
        }
        sb.append(" · score *").append(number(a.score())).append("σ*");
        sb.append('\n').append("models: ").append(a.models().isEmpty() ? "none" : escape(String.join(", ", a.models())))
                .append(" · ").append(a.severity().name().toLowerCase(Locale.ROOT));
        sb.append('\n').append("started ").append(date(a.startsAt()));
        if (a.endsAt() != null && !a.firing()) {
            sb.append(" · lasted ").append(duration(Duration.between(a.startsAt(), a.endsAt())));
        }
        if (a.firing()) {
            sb.append('\n').append("Silence: `rtm silence add --host ").append(shellWord(a.host()))
                    .append(" --metric ").append(shellWord(a.metric())).append(" --for ").append(silenceFor).append('`');
        }
        return sb.toString();
    }

    private static String moreText(List<Alert> rest) {
        String list = rest.stream().map(a -> escape(a.metric()) + " on " + escape(a.host())
                        + (a.firing() ? " (" + a.severity().name().toLowerCase(Locale.ROOT) + ")" : " (resolved)"))
                .collect(Collectors.joining(", "));
        return "…and *" + rest.size() + " more*: " + list;
    }

    private static String fallback(Notification n, String title) {
        StringBuilder sb = new StringBuilder(title).append(": ");
        sb.append(n.alerts().stream().limit(5).map(a -> a.metric() + " " + number(a.value())
                + (Double.isNaN(a.expected()) ? "" : " (expected " + number(a.expected()) + ")")
                + (a.firing() ? "" : " resolved")).collect(Collectors.joining("; ")));
        if (n.alerts().size() > 5) {
            sb.append("; and ").append(n.alerts().size() - 5).append(" more");
        }
        return escape(sb.toString());
    }

    /** Slack's date token: shown in the reader's time zone, with the UTC text as fallback. */
    static String date(Instant t) {
        return "<!date^" + t.getEpochSecond() + "^{date_short_pretty} {time_secs}|" + UTC.format(t) + ">";
    }

    /** e.g. "45s", "18m 30s", "2h 5m", "3d 4h". */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        } else if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
        } else if (s < 86400) {
            return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
        }
        return s / 86400 + "d" + (s % 86400 / 3600 == 0 ? "" : " " + s % 86400 / 3600 + "h");
    }

    /** At most 4 significant digits, plain notation. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Escapes the three characters Slack's mrkdwn reserves. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A word for the silence hint, quoted when it holds characters a shell would treat specially. */
    static String shellWord(String s) {
        return s.matches("[A-Za-z0-9._:/@%+=-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private static boolean usable(String url) {
        return url != null && !url.isBlank() && url.length() <= MAX_URL
                && (url.startsWith("http://") || url.startsWith("https://"));
    }

    /**
     * {@code s} shortened to at most {@code max} UTF-16 units, ending with "…" when cut, never
     * splitting a surrogate pair or an {@code &amp;}-style escape.
     */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        int amp = s.lastIndexOf('&', end - 1);
        if (amp >= 0 && amp >= end - 5 && s.indexOf(';', amp) >= end) {
            end = amp;
        }
        return s.substring(0, end) + "…";
    }
}
