package dev.rtm.plugins.slack;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTML approximation of how Slack lays out a Block Kit message (header, section with a button
 * accessory, divider, actions, context; mrkdwn bold, italic, strike, code, links, date tokens and the
 * emoji the plugin uses), for the README's picture. Not Slack's renderer: fonts and spacing differ.
 */
final class BlockKitHtml {

    private static final Map<String, String> EMOJI = Map.of(":red_circle:", "🔴", ":large_orange_circle:", "🟠",
            ":large_blue_circle:", "🔵", ":white_check_mark:", "✅");
    private static final Pattern TOKEN = Pattern.compile("<([^<>|]+)(?:\\|([^<>]+))?>");

    private BlockKitHtml() {
    }

    static String page(JsonNode message, String appName, String time) {
        StringBuilder blocks = new StringBuilder();
        for (JsonNode b : message.get("blocks")) {
            blocks.append(block(b));
        }
        return """
                <!doctype html><html><head><meta charset="utf-8"><style>
                body { margin: 0; background: #fff; font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif;
                       font-size: 15px; line-height: 22px; color: #1d1c1d; }
                .msg { display: flex; padding: 16px 20px; width: 680px; }
                .avatar { width: 36px; height: 36px; border-radius: 6px; background: #4a154b; color: #fff; font-weight: bold;
                          font-size: 13px; display: flex; align-items: center; justify-content: center; margin-right: 8px; flex: none; }
                .body { flex: 1; min-width: 0; }
                .who b { font-weight: 900; } .badge { background: #e8e8e8; color: #616061; font-size: 10px; font-weight: bold;
                          padding: 1px 3px; border-radius: 2px; margin: 0 4px; } .time { color: #616061; font-size: 12px; }
                .header { font-size: 18px; font-weight: 900; line-height: 26px; margin: 6px 0 4px; }
                .section { display: flex; justify-content: space-between; align-items: flex-start; margin: 6px 0; }
                .section .text { flex: 1; }
                .divider { border-top: 1px solid #dddddd; margin: 10px 0; }
                .actions { margin: 8px 0; }
                .button { display: inline-block; border: 1px solid #bbbbbb; border-radius: 4px; padding: 0 12px; height: 28px;
                          line-height: 28px; font-size: 13px; font-weight: bold; margin-left: 12px; white-space: nowrap; }
                .actions .button { margin: 0 8px 0 0; }
                .context { color: #616061; font-size: 12px; line-height: 18px; margin: 6px 0; }
                code { color: #e01e5a; background: #f6f6f6; border: 1px solid #e1e1e1; border-radius: 3px; padding: 0 3px;
                       font-family: 'DejaVu Sans Mono', monospace; font-size: 12px; }
                a { color: #1264a3; text-decoration: none; }
                </style></head><body><div class="msg"><div class="avatar">rtm</div><div class="body">
                <div class="who"><b>%s</b><span class="badge">APP</span><span class="time">%s</span></div>
                %s</div></div></body></html>
                """.formatted(html(appName), html(time), blocks);
    }

    private static String block(JsonNode b) {
        return switch (b.get("type").asText()) {
            case "header" -> "<div class=\"header\">" + emoji(html(b.get("text").get("text").asText())) + "</div>\n";
            case "section" -> "<div class=\"section\"><div class=\"text\">" + text(b.get("text")) + "</div>"
                    + (b.has("accessory") ? button(b.get("accessory")) : "") + "</div>\n";
            case "divider" -> "<div class=\"divider\"></div>\n";
            case "actions" -> {
                StringBuilder sb = new StringBuilder("<div class=\"actions\">");
                b.get("elements").forEach(e -> sb.append(button(e)));
                yield sb.append("</div>\n").toString();
            }
            case "context" -> {
                StringBuilder sb = new StringBuilder("<div class=\"context\">");
                b.get("elements").forEach(e -> sb.append(text(e)).append(' '));
                yield sb.append("</div>\n").toString();
            }
            default -> throw new IllegalArgumentException("block type the plugin does not send: " + b.get("type"));
        };
    }

    private static String button(JsonNode e) {
        return "<span class=\"button\">" + html(e.get("text").get("text").asText()) + "</span>";
    }

    private static String text(JsonNode t) {
        String s = t.get("text").asText();
        return t.get("type").asText().equals("mrkdwn") ? mrkdwn(s) : emoji(html(s));
    }

    /** Slack mrkdwn (already &amp;-escaped by the sender) to HTML. */
    static String mrkdwn(String s) {
        Matcher m = TOKEN.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String target = m.group(1);
            String label = m.group(2);
            String replacement = target.startsWith("!date") ? (label == null ? "" : label)
                    : "<a href=\"" + target + "\">" + (label == null ? target : label) + "</a>";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        String h = out.toString()
                .replaceAll("`([^`\n]+)`", "<code>$1</code>")
                .replaceAll("(?<![\\w*])\\*([^*\n]+)\\*(?![\\w*])", "<b>$1</b>")
                .replaceAll("(?<![\\w_])_([^_\n]+)_(?![\\w_])", "<i>$1</i>")
                .replaceAll("(?<![\\w~])~([^~\n]+)~(?![\\w~])", "<s>$1</s>")
                .replace("\n", "<br>");
        return emoji(h);
    }

    private static String emoji(String s) {
        for (var e : EMOJI.entrySet()) {
            s = s.replace(e.getKey(), e.getValue());
        }
        return s;
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
