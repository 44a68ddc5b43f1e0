package dev.rtm.cli.nab;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.rtm.cli.report.ImageFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * A PNG of NAB scores: one group of bars per detector, one bar per profile (standard, low FP,
 * low FN), with 0 (the null detector) and 100 (perfect) as the scale's meaning.
 */
public final class NabChart {

    private static final Color[] PROFILE_COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};

    private NabChart() {
    }

    /** Writes the chart; {@code title} names the data (e.g. the input dir). */
    public static void write(List<DetectorScore> scores, String title, Path png) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(Math.max(600, 160 * scores.size() + 300)).height(420)
                .title("NAB score " + title).yAxisTitle("score (0 = null detector, 100 = perfect)").build();
        Styler st = c.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setLabelsVisible(true);
        c.getStyler().setDecimalPattern("#0.0");
        c.getStyler().setYAxisMax(100.0);
        double min = 0;
        List<String> names = scores.stream().map(DetectorScore::detector).toList();
        for (int p = 0; p < Profile.NAB.size(); p++) {
            Profile profile = Profile.NAB.get(p);
            List<Double> ys = new ArrayList<>();
            for (DetectorScore d : scores) {
                double v = d.of(profile).normalized();
                ys.add(v);
                min = Math.min(min, v);
            }
            c.addSeries(profile.label(), names, ys).setFillColor(PROFILE_COLORS[p]);
        }
        c.getStyler().setYAxisMin(Math.floor(min / 10) * 10);
        if (png.toAbsolutePath().getParent() != null) {
            Files.createDirectories(png.toAbsolutePath().getParent());
        }
        ImageFiles.write(BitmapEncoder.getBufferedImage(c), png, "--score-plot");
    }
}
