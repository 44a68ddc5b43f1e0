package dev.rtm.cli.report;

import dev.rtm.host.detect.Scores;
import dev.rtm.host.source.SeriesData;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One PNG with a chart per series: the values, each model's expected line and band, its flagged
 * points, and the label windows when known. Charts are stacked top to bottom.
 */
public final class PlotWriter {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 340;

    private final List<XYChart> charts = new ArrayList<>();
    private final List<String> models = new ArrayList<>();

    /** Adds the chart of one series. */
    public void add(SeriesData data, List<Scores> scores, List<long[]> labelWindows) {
        int n = data.size();
        String title = data.labelKey() != null ? data.labelKey() : data.key().toString();
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).build();
        Styler st = c.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(false);
        st.setMarkerSize(6);
        c.getStyler().setDatePattern(span(data) > 3L * 86_400_000 ? "MM-dd" : "MM-dd HH:mm");

        List<Date> x = new ArrayList<>(n);
        List<Double> y = new ArrayList<>(n);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            x.add(new Date(data.time(i)));
            y.add(data.value(i));
            min = Math.min(min, data.value(i));
            max = Math.max(max, data.value(i));
        }
        if (n == 0) {
            return;
        }
        double pad = Math.max((max - min) * 0.25, 1e-9);
        double lo = min - pad;
        double hi = max + pad;
        c.getStyler().setYAxisMin(lo);
        c.getStyler().setYAxisMax(hi);

        for (int w = 0; w < labelWindows.size(); w++) {
            long[] win = labelWindows.get(w);
            XYSeries ls = c.addSeries(w == 0 ? "label windows" : "label window " + (w + 1),
                    List.of(new Date(win[0]), new Date(win[0]), new Date(win[1]), new Date(win[1])),
                    List.of(lo, hi, hi, lo));
            ls.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
            ls.setFillColor(new Color(255, 200, 0, 50));
            ls.setLineColor(new Color(255, 200, 0, 0));
            ls.setMarker(SeriesMarkers.NONE);
            ls.setShowInLegend(w == 0);
        }
        List<Runnable> flags = new ArrayList<>();
        for (Scores s : scores) {
            Color col = color(s.model());
            Color faint = new Color(col.getRed(), col.getGreen(), col.getBlue(), 110);
            List<Double> e = new ArrayList<>(n);
            List<Double> l = new ArrayList<>(n);
            List<Double> u = new ArrayList<>(n);
            List<Date> ax = new ArrayList<>();
            List<Double> ay = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                e.add(clip(s.expected(i), lo, hi));
                l.add(clip(s.lower(i), lo, hi));
                u.add(clip(s.upper(i), lo, hi));
                if (s.anomaly(i)) {
                    ax.add(x.get(i));
                    ay.add(data.value(i));
                }
            }
            line(c, s.model() + " expected", x, e, col, 1.2f, false);
            line(c, s.model() + " band", x, l, faint, 0.8f, false);
            line(c, s.model() + " band ", x, u, faint, 0.8f, true);
            if (!ax.isEmpty()) {
                flags.add(() -> {
                    XYSeries a = c.addSeries(s.model() + " anomaly (" + ax.size() + ")", ax, ay);
                    a.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    a.setMarker(SeriesMarkers.CIRCLE);
                    a.setMarkerColor(col);
                });
            }
        }
        // the values on top of the model lines, the flags on top of everything
        XYSeries v = c.addSeries("value", x, y);
        v.setMarker(SeriesMarkers.NONE);
        v.setLineColor(new Color(40, 40, 40));
        v.setLineStyle(new BasicStroke(0.8f));
        flags.forEach(Runnable::run);
        charts.add(c);
    }

    private static void line(XYChart c, String name, List<Date> x, List<Double> y, Color col, float width, boolean hideLegend) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(col);
        s.setLineStyle(new BasicStroke(width));
        s.setShowInLegend(!hideLegend);
    }

    private Color color(String model) {
        int i = models.indexOf(model);
        if (i < 0) {
            models.add(model);
            i = models.size() - 1;
        }
        return PALETTE[i % PALETTE.length];
    }

    private static double clip(double d, double lo, double hi) {
        return Double.isNaN(d) ? Double.NaN : Math.max(lo, Math.min(hi, d));
    }

    private static long span(SeriesData d) {
        return d.size() < 2 ? 0 : d.time(d.size() - 1) - d.time(0);
    }

    /** Number of charts added. */
    public int size() {
        return charts.size();
    }

    /**
     * Writes all charts, one below the other, into one image in the format the file's extension
     * names ({@link ImageFiles}).
     */
    public void write(Path file) throws IOException {
        if (charts.isEmpty()) {
            throw new IOException("nothing to plot");
        }
        ImageFiles.write(charts, file, "--plot");
    }
}
