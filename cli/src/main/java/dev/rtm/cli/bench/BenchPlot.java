package dev.rtm.cli.bench;

import dev.rtm.cli.report.ImageFiles;
import dev.rtm.host.RtmException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code rtm bench --plot}: result files drawn as one image. Latency (p50, p99, max) against the
 * rate, from the runs that measured latency; values/s, and checkpoint and heap bytes per series,
 * against the count of live series (log scale), from {@code --series} runs. A run that measured
 * neither is refused, naming it.
 */
public final class BenchPlot {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 380;

    private BenchPlot() {
    }

    /**
     * @param results the results with their file names (the legend says which file a line comes from when there are several)
     * @param file the image to write ({@code .png}, ...)
     * @return the charts drawn, by title (up to its first parenthesis)
     */
    public static List<String> write(List<Named> results, Path file) throws IOException {
        ImageFiles.check(file, "--plot");
        boolean several = results.size() > 1;
        List<XYChart> charts = new ArrayList<>();
        XYChart latency = chart("produce -> committed score row latency", "values/s", "ms", false);
        XYChart rate = chart("end to end rate by live series (sustained; runs too short for it left out)", "live series", "values/s", true);
        XYChart bytes = chart("state per live series (heap includes the job's fixed cost: read it at large counts)", "live series",
                "bytes per series", true);
        bytes.getStyler().setYAxisLogarithmic(true);
        for (Named n : results) {
            BenchResult r = n.result();
            String tag = several ? " (" + n.name() + ")" : "";
            if (!r.latency().isEmpty()) {
                List<BenchResult.Latency> ls = r.latency().stream().filter(l -> l.samples() > 0).toList();
                double[] x = ls.stream().mapToDouble(BenchResult.Latency::valuesPerSecond).toArray();
                line(latency, "p50" + tag, x, ls.stream().mapToDouble(BenchResult.Latency::p50Ms).toArray());
                line(latency, "p99" + tag, x, ls.stream().mapToDouble(BenchResult.Latency::p99Ms).toArray());
                line(latency, "max" + tag, x, ls.stream().mapToDouble(BenchResult.Latency::maxMs).toArray());
            }
            if (!r.series().isEmpty()) {
                double[] x = r.series().stream().mapToDouble(BenchResult.Scale::series).toArray();
                List<BenchResult.Scale> sustained = r.series().stream().filter(c -> !c.startUpIncluded()).toList();
                line(rate, String.join("+", r.detectors()) + tag, sustained.stream().mapToDouble(BenchResult.Scale::series).toArray(),
                        sustained.stream().mapToDouble(BenchResult.Scale::valuesPerSecond).toArray());
                line(bytes, "checkpoint" + tag, x, r.series().stream().mapToDouble(BenchResult.Scale::checkpointBytesPerSeries).toArray());
                line(bytes, "heap" + tag, x, r.series().stream().mapToDouble(BenchResult.Scale::heapBytesPerSeries).toArray());
            }
        }
        List<String> drawn = new ArrayList<>();
        for (XYChart c : List.of(latency, rate, bytes)) {
            if (!c.getSeriesMap().isEmpty()) {
                charts.add(c);
                drawn.add(c.getTitle().replaceAll(" \\(.*", ""));
            }
        }
        if (charts.isEmpty()) {
            throw new RtmException("--plot: " + String.join(", ", results.stream().map(Named::name).toList())
                    + " measured neither latency (--latency-seconds) nor live series (--series): nothing to draw");
        }
        ImageFiles.write(charts, file, "--plot");
        return drawn;
    }

    /** A result and the name of the file it came from. */
    public record Named(String name, BenchResult result) {
    }

    private static XYChart chart(String title, String x, String y, boolean logX) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setYAxisDecimalPattern("#,##0");
        c.getStyler().setXAxisDecimalPattern("#,##0");
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return c;
    }

    private static void line(XYChart c, String name, double[] x, double[] y) {
        if (x.length > 0) {
            c.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
        }
    }
}
