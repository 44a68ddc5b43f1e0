package dev.rtm.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtm.host.RtmException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a Grafana dashboard JSON as one PNG-ready image without Grafana: the same variable,
 * panel and macro SQL (expanded by {@link GrafanaSql}, the interval chosen from the range and the
 * panel's width as Grafana does), the same grid layout, and the panel types rtm's dashboards use
 * (timeseries with line/bars/points draw styles and dashed overrides, table, bargauge, barchart).
 * It is a faithful picture of what the dashboard shows, not of Grafana's look.
 */
public final class DashboardRenderer {

    private static final int ROW_PX = 34;          // Grafana: 30 px per grid unit + margin
    private static final int HEADER_PX = 64;
    private static final int GAP = 6;
    private static final Color[] PALETTE = {
        new Color(0x73bf69), new Color(0xf2cc0c), new Color(0x5794f2), new Color(0xff780a),
        new Color(0xf2495c), new Color(0xb877d9), new Color(0x8ab8ff), new Color(0x96d98d)};
    private static final Color BG = new Color(0x111217);
    private static final Color PANEL = new Color(0x181b1f);
    private static final Color BORDER = new Color(0x2c3235);
    private static final Color TEXT = new Color(0xccccdc);
    private static final Color DIM = new Color(0x8e8e9e);
    private static final long[] NICE_MS = {1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000,
        600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000};
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final Connection c;
    private final Instant from;
    private final Instant to;
    private final int width;
    private final Map<String, Integer> colors = new LinkedHashMap<>();
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

    private DashboardRenderer(Connection c, Instant from, Instant to, int width) {
        this.c = c;
        this.from = from;
        this.to = to;
        this.width = width;
    }

    /**
     * Renders {@code dashboard} for the range {@code from}..{@code to}.
     *
     * @param overrides values for template variables (others as Grafana defaults them: all values
     *                  of a multi-value variable, the first value of a single-value one)
     * @param width image width in pixels
     */
    public static Rendered render(Connection c, JsonNode dashboard, Instant from, Instant to,
                                  Map<String, List<String>> overrides, int width) throws SQLException {
        DashboardRenderer r = new DashboardRenderer(c, from, to, width);
        BufferedImage img = r.draw(dashboard, overrides);
        return new Rendered(img, r.drawn);
    }

    /** Grafana's {@code $__interval}: the range over the panel's width in pixels, rounded up to a readable step. */
    public static String interval(Duration range, int pixels) {
        long raw = range.toMillis() / Math.max(1, pixels);
        long pick = NICE_MS[NICE_MS.length - 1];
        for (long n : NICE_MS) {
            if (n >= raw) {
                pick = n;
                break;
            }
        }
        return pick % 86_400_000 == 0 ? pick / 86_400_000 + "d" : pick % 3_600_000 == 0 ? pick / 3_600_000 + "h"
                : pick % 60_000 == 0 ? pick / 60_000 + "m" : pick / 1000 + "s";
    }

    private record Placed(JsonNode panel, int x, int y, int w, int h, Map<String, List<String>> vars) {
    }

    private BufferedImage draw(JsonNode d, Map<String, List<String>> overrides) throws SQLException {
        Map<String, List<String>> vars = new LinkedHashMap<>();
        Set<String> multi = new HashSet<>();
        for (JsonNode v : d.path("templating").path("list")) {
            String name = v.path("name").asText();
            boolean isMulti = v.path("multi").asBoolean();
            List<String> values = overrides.containsKey(name) ? overrides.get(name)
                    : column(GrafanaSql.expand(v.path("query").asText(), vars, multi, from, to, "1m"));
            if (values.isEmpty()) {
                throw new RtmException("dashboard variable $" + name + " has no values between "
                        + dev.rtm.host.source.Timestamps.display(from) + " and " + dev.rtm.host.source.Timestamps.display(to)
                        + ": is there data in that range?");
            }
            if (isMulti) {
                multi.add(name);
            }
            vars.put(name, isMulti ? values : List.of(values.get(0)));
        }
        List<Placed> placed = layout(d, vars);
        int rows = placed.stream().mapToInt(p -> p.y() + p.h()).max().orElse(1);
        BufferedImage img = new BufferedImage(width, HEADER_PX + rows * ROW_PX + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(BG);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString(d.path("title").asText(), GAP * 2, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(DIM);
        StringBuilder sub = new StringBuilder();
        vars.forEach((k, v) -> sub.append(k).append(" = ").append(String.join(", ", v)).append("    "));
        sub.append(STAMP.format(from)).append("  to  ").append(STAMP.format(to));
        g.drawString(sub.toString(), GAP * 2, 50);
        double col = (width - GAP) / 24.0;
        for (Placed p : placed) {
            int x = (int) Math.round(GAP + p.x() * col);
            int y = HEADER_PX + p.y() * ROW_PX;
            int w = (int) Math.round(p.w() * col) - GAP;
            int h = p.h() * ROW_PX - GAP;
            panel(g, p, x, y, w, h, multi);
        }
        g.dispose();
        return img;
    }

    /** Grid positions; a repeated panel once per value of its variable, the panels below moved down. */
    private static List<Placed> layout(JsonNode d, Map<String, List<String>> vars) {
        List<Placed> out = new ArrayList<>();
        int shift = 0;
        for (JsonNode p : d.path("panels")) {
            JsonNode gp = p.path("gridPos");
            int x = gp.path("x").asInt();
            int y = gp.path("y").asInt() + shift;
            int w = gp.path("w").asInt(24);
            int h = gp.path("h").asInt(8);
            String repeat = p.path("repeat").asText("");
            if (repeat.isEmpty() || !vars.containsKey(repeat)) {
                out.add(new Placed(p, x, y, w, h, vars));
                continue;
            }
            List<String> values = vars.get(repeat);
            for (int i = 0; i < values.size(); i++) {
                Map<String, List<String>> one = new LinkedHashMap<>(vars);
                one.put(repeat, List.of(values.get(i)));
                out.add(new Placed(p, x, y + i * h, w, h, one));
            }
            shift += (values.size() - 1) * h;
        }
        return out;
    }

    private void panel(Graphics2D g, Placed p, int x, int y, int w, int h, Set<String> multi) throws SQLException {
        g.setColor(PANEL);
        g.fillRoundRect(x, y, w, h, 6, 6);
        g.setColor(BORDER);
        g.drawRoundRect(x, y, w, h, 6, 6);
        String title = p.panel().path("title").asText();
        for (var e : p.vars().entrySet()) {
            title = title.replace("$" + e.getKey(), String.join(" + ", e.getValue()));
        }
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, x + 10, y + 20);
        int cx = x + 4;
        int cy = y + 28;
        int cw = w - 8;
        int ch = h - 32;
        String interval = interval(Duration.between(from, to), cw);
        List<Table> results = new ArrayList<>();
        for (JsonNode t : p.panel().path("targets")) {
            results.add(query(GrafanaSql.expand(t.path("rawSql").asText(), p.vars(), multi, from, to, interval)));
        }
        drawn.merge(title, results.stream().mapToInt(r -> r.rows().size()).sum(), Integer::sum);
        String type = p.panel().path("type").asText();
        BufferedImage content = switch (type) {
            case "timeseries" -> timeseries(p.panel(), results, cw, ch);
            case "bargauge" -> bargauge(p.panel(), results.get(0), cw, ch);
            case "barchart" -> barchart(results.get(0), cw, ch);
            default -> table(results.get(0), cw, ch, p.panel().path("description").asText(""));
        };
        g.drawImage(content, cx, cy, null);
    }

    /** A query's result: column names, SQL types, and rows of Java values. */
    private record Table(List<String> names, List<Integer> types, List<Object[]> rows) {
        boolean empty() {
            return rows.isEmpty();
        }
    }

    private Table query(String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> names = new ArrayList<>();
            List<Integer> types = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                names.add(md.getColumnLabel(i));
                types.add(md.getColumnType(i));
            }
            List<Object[]> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] r = new Object[names.size()];
                for (int i = 0; i < r.length; i++) {
                    r[i] = rs.getObject(i + 1);
                }
                rows.add(r);
            }
            return new Table(names, types, rows);
        }
    }

    private BufferedImage timeseries(JsonNode panel, List<Table> results, int w, int h) {
        XYChart chart = new XYChartBuilder().width(w).height(h).build();
        style(chart.getStyler());
        chart.getStyler().setyAxisTickLabelsFormattingFunction(DashboardRenderer::si); // 25 M, not 2.5E7
        chart.getStyler().setDatePattern(Duration.between(from, to).toHours() > 48 ? "MM-dd" : "HH:mm");
        chart.getStyler().setXAxisMin((double) from.toEpochMilli());
        chart.getStyler().setXAxisMax((double) to.toEpochMilli());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        Map<String, List<Date>> xs = new LinkedHashMap<>();
        Map<String, List<Double>> ys = new LinkedHashMap<>();
        for (Table t : results) {
            int time = t.names().indexOf("time");
            int metric = t.names().indexOf("metric");
            int value = -1;
            for (int i = t.names().size() - 1; i >= 0; i--) {
                if (i != time && i != metric && numeric(t.types().get(i))) {
                    value = i;
                    break;
                }
            }
            if (time < 0 || value < 0) {
                continue;
            }
            for (Object[] r : t.rows()) {
                if (r[value] == null || r[time] == null) {
                    continue;
                }
                String name = metric >= 0 ? String.valueOf(r[metric]) : t.names().get(value);
                xs.computeIfAbsent(name, k -> new ArrayList<>()).add(new Date(epochMillis(r[time])));
                ys.computeIfAbsent(name, k -> new ArrayList<>()).add(((Number) r[value]).doubleValue());
            }
        }
        if (xs.isEmpty()) {
            return noData(w, h);
        }
        JsonNode fc = panel.path("fieldConfig");
        for (String name : xs.keySet()) {
            XYSeries s = chart.addSeries(name, xs.get(name), ys.get(name));
            Color col = color(name);
            String draw = fc.path("defaults").path("custom").path("drawStyle").asText("line");
            boolean dashed = false;
            for (JsonNode o : fc.path("overrides")) {
                if (matches(o.path("matcher"), name)) {
                    for (JsonNode prop : o.path("properties")) {
                        switch (prop.path("id").asText()) {
                            case "custom.drawStyle" -> draw = prop.path("value").asText();
                            case "custom.lineStyle" -> dashed = prop.path("value").path("fill").asText().equals("dash");
                            default -> { }
                        }
                    }
                }
            }
            s.setLineColor(col);
            s.setMarkerColor(col);
            switch (draw) {
                case "points" -> {
                    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    s.setMarker(SeriesMarkers.CIRCLE);
                }
                case "bars" -> {
                    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
                    s.setMarker(SeriesMarkers.NONE);
                    s.setFillColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 120));
                }
                default -> {
                    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    s.setMarker(SeriesMarkers.NONE);
                    s.setLineStyle(dashed ? new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f)
                            : new BasicStroke(1.4f));
                }
            }
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    private BufferedImage barchart(Table t, int w, int h) {
        // long rows (x, series, value), pivoted as the panel's groupingToMatrix transformation does
        int value = lastNumeric(t);
        if (t.empty() || value < 0) {
            return noData(w, h);
        }
        List<String> xs = new ArrayList<>();
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        for (Object[] r : t.rows()) {
            String x = String.valueOf(r[0]);
            String s = value > 1 ? String.valueOf(r[1]) : t.names().get(value);
            if (!xs.contains(x)) {
                xs.add(x);
            }
            series.computeIfAbsent(s, k -> new LinkedHashMap<>()).merge(x, ((Number) r[value]).doubleValue(), Double::sum);
        }
        CategoryChart chart = new CategoryChartBuilder().width(w).height(h).build();
        chart.getStyler().setyAxisTickLabelsFormattingFunction(DashboardRenderer::si);
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(45);
        for (var e : series.entrySet()) {
            List<Double> ys = xs.stream().map(x -> e.getValue().getOrDefault(x, 0.0)).toList();
            chart.addSeries(e.getKey(), xs, ys).setFillColor(color(e.getKey()));
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    private BufferedImage bargauge(JsonNode panel, Table t, int w, int h) {
        Pattern fields = Pattern.compile(panel.path("options").path("reduceOptions").path("fields").asText("/.*/").replaceAll("^/|/$", ""));
        int value = -1;
        for (int i = 0; i < t.names().size(); i++) {
            if (numeric(t.types().get(i)) && fields.matcher(t.names().get(i)).find()) {
                value = i;
            }
        }
        if (t.empty() || value < 0) {
            return noData(w, h);
        }
        boolean percent = panel.path("fieldConfig").path("defaults").path("unit").asText().equals("percentunit");
        double max = 0;
        for (Object[] r : t.rows()) {
            max = Math.max(max, r[value] == null ? 0 : ((Number) r[value]).doubleValue());
        }
        BufferedImage img = canvas(w, h);
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
            g.setColor(TEXT);
            g.drawString(label, 6, y + rowH / 2 + 5);
            int bx = 120;
            int bw = w - bx - 110;
            g.setColor(BORDER);
            g.fillRect(bx, y + 3, bw, rowH - 6);
            g.setColor(color(label));
            g.fillRect(bx, y + 3, max <= 0 ? 0 : (int) (bw * v / max), rowH - 6);
            g.setColor(TEXT);
            g.drawString(percent ? String.format(Locale.ROOT, "%.3f %%", v * 100) : fmt(v), bx + bw + 10, y + rowH / 2 + 5);
        }
        g.dispose();
        return img;
    }

    private static BufferedImage table(Table t, int w, int h, String description) {
        BufferedImage img = canvas(w, h);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int cols = t.names().size();
        int[] needed = new int[cols];
        for (int i = 0; i < cols; i++) {
            needed[i] = fm.stringWidth(t.names().get(i)) + 14;
            for (Object[] row : t.rows()) {
                needed[i] = Math.max(needed[i], fm.stringWidth(cell(row[i])) + 14);
            }
        }
        int[] colW = columnWidths(needed, w - 8);
        int line = 20;
        g.setColor(DIM);
        g.setFont(g.getFont().deriveFont(Font.BOLD));
        for (int i = 0, x = 6; i < cols; x += colW[i], i++) {
            g.drawString(clip(t.names().get(i), fm, colW[i] - 8), x, 15);
        }
        g.setFont(g.getFont().deriveFont(Font.PLAIN));
        int y = 15 + line;
        for (int r = 0; r < t.rows().size() && y < h - 4; r++, y += line) {
            if (r % 2 == 0) {
                g.setColor(new Color(0x202226));
                g.fillRect(2, y - 14, w - 4, line);
            }
            g.setColor(TEXT);
            Object[] row = t.rows().get(r);
            for (int i = 0, x = 6; i < cols; x += colW[i], i++) {
                g.drawString(clip(cell(row[i]), fm, colW[i] - 8), x, y);
            }
        }
        if (t.empty()) {
            g.setColor(DIM);
            g.drawString("No data", w / 2 - 20, h / 2);
            // say why a panel can be empty, as the panel's description does in Grafana
            int dy = h / 2 + 18;
            for (String l : wrap(description, fm, w - 24)) {
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
        int sum = java.util.Arrays.stream(needed).sum();
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

    private static List<String> wrap(String text, FontMetrics fm, int px) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (cur.length() > 0 && fm.stringWidth(cur + " " + word) > px) {
                lines.add(cur.toString());
                cur.setLength(0);
            }
            cur.append(cur.length() > 0 ? " " : "").append(word);
        }
        if (cur.length() > 0) {
            lines.add(cur.toString());
        }
        return lines;
    }

    /**
     * A number as Grafana's "short" unit writes it: SI prefixes from a thousand up (25 M, 1.5 K),
     * at most three significant decimals below, no trailing zeros (1.500000001 is 1.5).
     */
    static String si(Double value) {
        double v = value == null ? 0 : value;
        double a = Math.abs(v);
        String[] prefix = {"", " K", " M", " G", " T", " P"};
        int k = 0;
        while (a >= 1000 && k < prefix.length - 1) {
            a /= 1000;
            v /= 1000;
            k++;
        }
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(3)); // 3 significant digits
        String s = d.stripTrailingZeros().toPlainString();
        return (s.equals("-0") ? "0" : s) + prefix[k];
    }

    private static String cell(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Timestamp ts) {
            return STAMP.format(ts.toInstant());
        }
        if (o instanceof Double || o instanceof Float || o instanceof java.math.BigDecimal) {
            return fmt(((Number) o).doubleValue());
        }
        return o.toString();
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 1000 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String clip(String s, FontMetrics fm, int px) {
        if (fm.stringWidth(s) <= px) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > px) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }

    private static BufferedImage noData(int w, int h) {
        BufferedImage img = canvas(w, h);
        Graphics2D g = img.createGraphics();
        g.setColor(DIM);
        g.drawString("No data", w / 2 - 20, h / 2);
        g.dispose();
        return img;
    }

    private static BufferedImage canvas(int w, int h) {
        BufferedImage img = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(PANEL);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    private static void style(Styler st) {
        st.setChartBackgroundColor(PANEL);
        st.setPlotBackgroundColor(PANEL);
        st.setLegendBackgroundColor(PANEL);
        st.setLegendBorderColor(PANEL);
        st.setChartFontColor(TEXT);
        st.setPlotBorderVisible(false);
        st.setChartTitleVisible(false);
        st.setMarkerSize(7);
        if (st instanceof org.knowm.xchart.style.AxesChartStyler a) {
            a.setPlotGridLinesColor(BORDER);
            a.setAxisTickLabelsColor(DIM);
            a.setAxisTickMarksColor(BORDER);
            a.setXAxisTitleVisible(false);
            a.setYAxisTitleVisible(false);
        }
    }

    private static boolean matches(JsonNode matcher, String name) {
        String opt = matcher.path("options").asText();
        return switch (matcher.path("id").asText()) {
            case "byRegexp" -> Pattern.compile(opt).matcher(name).matches();
            case "byName" -> opt.equals(name);
            default -> false;
        };
    }

    private Color color(String name) {
        String key = name.split(" ")[0];
        Integer i = colors.get(key);
        if (i == null) {
            i = colors.size();
            colors.put(key, i);
        }
        Color base = PALETTE[i % PALETTE.length];
        return name.endsWith(" lower") || name.endsWith(" upper") ? base.darker() : base;
    }

    private static int lastNumeric(Table t) {
        for (int i = t.names().size() - 1; i >= 0; i--) {
            if (numeric(t.types().get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean numeric(int sqlType) {
        return switch (sqlType) {
            case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.NUMERIC, Types.DECIMAL, Types.INTEGER, Types.BIGINT, Types.SMALLINT -> true;
            default -> false;
        };
    }

    /** Grafana reads a time column as a timestamp, or as epoch seconds (milliseconds when that large). */
    private static long epochMillis(Object o) {
        if (o instanceof Timestamp ts) {
            return ts.getTime();
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant().toEpochMilli();
        }
        double v = ((Number) o).doubleValue();
        return v > 1e11 ? (long) v : (long) (v * 1000);
    }

    private List<String> column(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
