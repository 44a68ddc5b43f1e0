package dev.rtm.render;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * A {@code table} panel (and any panel type not drawn otherwise): a header row, striped rows while
 * they fit, columns as wide as their text when that fits; with no rows, "No data" and the panel's
 * description, which says why a panel can be empty, as it does in Grafana.
 */
final class TablePanel {

    private TablePanel() {
    }

    static BufferedImage draw(QueryResult t, int w, int h, String description) {
        BufferedImage img = Theme.canvas(w, h);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int cols = t.names().size();
        int[] needed = new int[cols];
        for (int i = 0; i < cols; i++) {
            needed[i] = fm.stringWidth(t.names().get(i)) + 14;
            for (Object[] row : t.rows()) {
                needed[i] = Math.max(needed[i], fm.stringWidth(Text.cell(row[i])) + 14);
            }
        }
        int[] colW = columnWidths(needed, w - 8);
        int line = 20;
        g.setColor(Theme.DIM);
        g.setFont(g.getFont().deriveFont(Font.BOLD));
        for (int i = 0, x = 6; i < cols; x += colW[i], i++) {
            g.drawString(Text.clip(t.names().get(i), fm, colW[i] - 8), x, 15);
        }
        g.setFont(g.getFont().deriveFont(Font.PLAIN));
        int y = 15 + line;
        for (int r = 0; r < t.rows().size() && y < h - 4; r++, y += line) {
            if (r % 2 == 0) {
                g.setColor(Theme.STRIPE);
                g.fillRect(2, y - 14, w - 4, line);
            }
            g.setColor(Theme.TEXT);
            Object[] row = t.rows().get(r);
            for (int i = 0, x = 6; i < cols; x += colW[i], i++) {
                g.drawString(Text.clip(Text.cell(row[i]), fm, colW[i] - 8), x, y);
            }
        }
        if (t.empty()) {
            g.setColor(Theme.DIM);
            g.drawString("No data", w / 2 - 20, h / 2);
            int dy = h / 2 + 18;
            for (String l : Text.wrap(description, fm, w - 24)) {
                if (dy > h - 4) {
                    break;
                }
                g.drawString(l, 12, dy);
                dy += 16;
            }
        }
        g.dispose();
        return img;
    }

    /**
     * Column widths for a table {@code total} pixels wide: each column what its widest text needs
     * when that fits; otherwise the narrow columns keep theirs and the wide ones share the rest.
     */
    static int[] columnWidths(int[] needed, int total) {
        int n = needed.length;
        int[] w = new int[n];
        int sum = Arrays.stream(needed).sum();
        if (sum <= total) {
            int spare = (total - sum) / Math.max(1, n);
            for (int i = 0; i < n; i++) {
                w[i] = needed[i] + spare;
            }
            return w;
        }
        int fair = total / Math.max(1, n);
        int left = total;
        int wide = 0;
        for (int i = 0; i < n; i++) {
            if (needed[i] <= fair) {
                w[i] = needed[i];
                left -= needed[i];
            } else {
                wide++;
            }
        }
        for (int i = 0; i < n; i++) {
            if (needed[i] > fair) {
                w[i] = Math.max(1, left / wide);
            }
        }
        return w;
    }
}
