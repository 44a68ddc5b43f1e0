package dev.rtm.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A {@code timeseries} panel: one series per {@code metric} value (else per value column) over the
 * whole range, drawn as the field config says: {@code drawStyle} line, bars or points, and the
 * {@code byName}/{@code byRegexp} overrides of draw style and dashed line style.
 */
final class TimeSeriesPanel {

    private TimeSeriesPanel() {
    }

    static BufferedImage draw(JsonNode panel, List<QueryResult> results, Instant from, Instant to, SeriesColors colors, int w, int h) {
        Map<String, List<Date>> xs = new LinkedHashMap<>();
        Map<String, List<Double>> ys = new LinkedHashMap<>();
        for (QueryResult t : results) {
            collect(t, xs, ys);
        }
        if (xs.isEmpty()) {
            return Theme.noData(w, h);
        }
        XYChart chart = new XYChartBuilder().width(w).height(h).build();
        Theme.style(chart.getStyler());
        chart.getStyler().setDatePattern(Duration.between(from, to).toHours() > 48 ? "MM-dd" : "HH:mm");
        chart.getStyler().setXAxisMin((double) from.toEpochMilli());
        chart.getStyler().setXAxisMax((double) to.toEpochMilli());
        JsonNode fc = panel.path("fieldConfig");
        for (String name : xs.keySet()) {
            XYSeries s = chart.addSeries(name, xs.get(name), ys.get(name));
            Color col = colors.of(name);
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

    /** Adds a result's points by series: the {@code time} column, the {@code metric} column's value as name, the last other number. */
    private static void collect(QueryResult t, Map<String, List<Date>> xs, Map<String, List<Double>> ys) {
        int time = t.names().indexOf("time");
        int metric = t.names().indexOf("metric");
        int value = -1;
        for (int i = t.names().size() - 1; i >= 0; i--) {
            if (i != time && i != metric && t.numeric(i)) {
                value = i;
                break;
            }
        }
        if (time < 0 || value < 0) {
            return;
        }
        for (Object[] r : t.rows()) {
            if (r[value] == null || r[time] == null) {
                continue;
            }
            String name = metric >= 0 ? String.valueOf(r[metric]) : t.names().get(value);
            xs.computeIfAbsent(name, k -> new ArrayList<>()).add(new Date(QueryResult.epochMillis(r[time])));
            ys.computeIfAbsent(name, k -> new ArrayList<>()).add(((Number) r[value]).doubleValue());
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
}
