package dev.rtm.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code bargauge} panel: one horizontal bar per row, labelled by the first column, as long as
 * the value (the last numeric column the reduce options' {@code fields} pattern names) relative
 * to the largest; {@code percentunit} values written as percentages.
 */
final class BarGaugePanel {

    private BarGaugePanel() {
    }

    static BufferedImage draw(JsonNode panel, QueryResult t, SeriesColors colors, int w, int h) {
        Pattern fields = Pattern.compile(panel.path("options").path("reduceOptions").path("fields").asText("/.*/").replaceAll("^/|/$", ""));
        int value = -1;
        for (int i = 0; i < t.names().size(); i++) {
            if (t.numeric(i) && fields.matcher(t.names().get(i)).find()) {
                value = i;
            }
        }
        if (t.empty() || value < 0) {
            return Theme.noData(w, h);
        }
        boolean percent = panel.path("fieldConfig").path("defaults").path("unit").asText().equals("percentunit");
        double max = 0;
        for (Object[] r : t.rows()) {
            max = Math.max(max, r[value] == null ? 0 : ((Number) r[value]).doubleValue());
        }
        BufferedImage img = Theme.canvas(w, h);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int n = t.rows().size();
        int rowH = Math.max(14, Math.min(40, (h - 8) / n));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int i = 0; i < n; i++) {
            Object[] r = t.rows().get(i);
            double v = r[value] == null ? 0 : ((Number) r[value]).doubleValue();
            int y = 4 + i * rowH;
            String label = String.valueOf(r[0]);
            g.setColor(Theme.TEXT);
            g.drawString(label, 6, y + rowH / 2 + 5);
            int bx = 120;
            int bw = w - bx - 110;
            g.setColor(Theme.BORDER);
            g.fillRect(bx, y + 3, bw, rowH - 6);
            g.setColor(colors.of(label));
            g.fillRect(bx, y + 3, max <= 0 ? 0 : (int) (bw * v / max), rowH - 6);
            g.setColor(Theme.TEXT);
            g.drawString(percent ? String.format(Locale.ROOT, "%.3f %%", v * 100) : Text.number(v), bx + bw + 10, y + rowH / 2 + 5);
        }
        g.dispose();
        return img;
    }
}
