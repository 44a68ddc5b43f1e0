package dev.rtm.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a Grafana dashboard JSON as one image without Grafana: the same variable, panel and macro
 * SQL (expanded by {@link GrafanaSql}, the interval chosen from the range and the panel's width as
 * Grafana does), the same grid layout ({@link GridLayout}), and the panel types rtm's dashboards
 * use ({@link TimeSeriesPanel}, {@link TablePanel}, {@link BarGaugePanel}, {@link BarChartPanel}).
 * It is a faithful picture of what the dashboard shows, not of Grafana's look.
 *
 * <pre>{@code
 * Rendered r = DashboardRenderer.render(connection, dashboardJson, from, to, Map.of("model", List.of("ewma")), 1600);
 * ImageIO.write(r.image(), "png", file);
 * }</pre>
 */
public final class DashboardRenderer {

    private static final int HEADER_PX = 64;
    private static final int GAP = 6;

    private final Connection c;
    private final Instant from;
    private final Instant to;
    private final SeriesColors colors = new SeriesColors();
    private final Map<String, Integer> drawn = new LinkedHashMap<>();

    /**
     * A rendered dashboard.
     *
     * @param image the picture
     * @param rowsByPanel rows each panel's queries returned, by panel title as shown (variables
     *                    replaced), in layout order
     */
    public record Rendered(BufferedImage image, Map<String, Integer> rowsByPanel) {
    }

    private DashboardRenderer(Connection c, Instant from, Instant to) {
        this.c = c;
        this.from = from;
        this.to = to;
    }

    /**
     * Renders {@code dashboard} for the range {@code from}..{@code to}, running its queries on {@code c}.
     *
     * @param overrides values for template variables (others as Grafana defaults them: all values
     *                  of a multi-value variable, the first value of a single-value one)
     * @param width image width in pixels
     * @throws RenderException when a variable has no values in the range
     * @throws SQLException when a query fails
     */
    public static Rendered render(Connection c, JsonNode dashboard, Instant from, Instant to,
                                  Map<String, List<String>> overrides, int width) throws SQLException {
        DashboardRenderer r = new DashboardRenderer(c, from, to);
        TemplateVariables vars = TemplateVariables.resolve(c, dashboard, overrides, from, to);
        List<GridLayout.Placed> placed = GridLayout.place(dashboard, vars.values());
        BufferedImage img = new BufferedImage(width, HEADER_PX + GridLayout.rows(placed) * GridLayout.ROW_PX + GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        r.header(g, img, dashboard.path("title").asText(), vars.values());
        double col = (width - GAP) / (double) GridLayout.COLUMNS;
        for (GridLayout.Placed p : placed) {
            int x = (int) Math.round(GAP + p.x() * col);
            int y = HEADER_PX + p.y() * GridLayout.ROW_PX;
            int w = (int) Math.round(p.w() * col) - GAP;
            int h = p.h() * GridLayout.ROW_PX - GAP;
            r.panel(g, p, x, y, w, h, vars);
        }
        g.dispose();
        return new Rendered(img, r.drawn);
    }

    /** The background, the dashboard's title, and below it the variables' values and the range. */
    private void header(Graphics2D g, BufferedImage img, String title, Map<String, List<String>> vars) {
        g.setColor(Theme.BG);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Theme.TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString(title, GAP * 2, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(Theme.DIM);
        StringBuilder sub = new StringBuilder();
        vars.forEach((k, v) -> sub.append(k).append(" = ").append(String.join(", ", v)).append("    "));
        sub.append(Text.STAMP.format(from)).append("  to  ").append(Text.STAMP.format(to));
        g.drawString(sub.toString(), GAP * 2, 50);
    }

    /** One panel: its frame and title, its queries run at the interval its width gives, its rows drawn by type. */
    private void panel(Graphics2D g, GridLayout.Placed p, int x, int y, int w, int h, TemplateVariables vars) throws SQLException {
        g.setColor(Theme.PANEL);
        g.fillRoundRect(x, y, w, h, 6, 6);
        g.setColor(Theme.BORDER);
        g.drawRoundRect(x, y, w, h, 6, 6);
        String title = p.panel().path("title").asText();
        for (var e : p.vars().entrySet()) {
            title = title.replace("$" + e.getKey(), String.join(" + ", e.getValue()));
        }
        g.setColor(Theme.TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, x + 10, y + 20);
        int cw = w - 8;
        int ch = h - 32;
        String interval = GrafanaSql.interval(Duration.between(from, to), cw);
        List<QueryResult> results = new ArrayList<>();
        for (JsonNode t : p.panel().path("targets")) {
            results.add(QueryResult.run(c, GrafanaSql.expand(t.path("rawSql").asText(), p.vars(), vars.multi(), from, to, interval)));
        }
        drawn.merge(title, results.stream().mapToInt(r -> r.rows().size()).sum(), Integer::sum);
        BufferedImage content = switch (p.panel().path("type").asText()) {
            case "timeseries" -> TimeSeriesPanel.draw(p.panel(), results, from, to, colors, cw, ch);
            case "bargauge" -> BarGaugePanel.draw(p.panel(), results.get(0), colors, cw, ch);
            case "barchart" -> BarChartPanel.draw(results.get(0), colors, cw, ch);
            default -> TablePanel.draw(results.get(0), cw, ch, p.panel().path("description").asText(""));
        };
        g.drawImage(content, x + 4, y + 28, null);
    }
}
