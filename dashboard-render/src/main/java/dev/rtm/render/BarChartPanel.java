package dev.rtm.render;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * A {@code barchart} panel: long rows (x, series, value) pivoted as the panel's
 * {@code groupingToMatrix} transformation does, one group of bars per x.
 */
final class BarChartPanel {

    private BarChartPanel() {
    }

    static BufferedImage draw(QueryResult t, SeriesColors colors, int w, int h) {
        int value = t.lastNumeric();
        if (t.empty() || value < 0) {
            return Theme.noData(w, h);
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
        Theme.style(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(45);
        for (var e : series.entrySet()) {
            List<Double> ys = xs.stream().map(x -> e.getValue().getOrDefault(x, 0.0)).toList();
            chart.addSeries(e.getKey(), xs, ys).setFillColor(colors.of(e.getKey()));
        }
        return BitmapEncoder.getBufferedImage(chart);
    }
}
