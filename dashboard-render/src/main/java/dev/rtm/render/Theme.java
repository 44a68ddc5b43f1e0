package dev.rtm.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/** Grafana's dark theme as far as the pictures need it: the colours, a panel's empty canvas, xchart's styling. */
final class Theme {

    static final Color BG = new Color(0x111217);
    static final Color PANEL = new Color(0x181b1f);
    static final Color BORDER = new Color(0x2c3235);
    static final Color TEXT = new Color(0xccccdc);
    static final Color DIM = new Color(0x8e8e9e);
    /** Every other row of a table. */
    static final Color STRIPE = new Color(0x202226);

    private Theme() {
    }

    /** An empty panel body. */
    static BufferedImage canvas(int w, int h) {
        BufferedImage img = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(PANEL);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    /** A panel body saying "No data", as Grafana's does. */
    static BufferedImage noData(int w, int h) {
        BufferedImage img = canvas(w, h);
        Graphics2D g = img.createGraphics();
        g.setColor(DIM);
        g.drawString("No data", w / 2 - 20, h / 2);
        g.dispose();
        return img;
    }

    /** An xchart chart in the panel's colours, without titles, legend below. */
    static void style(Styler st) {
        st.setChartBackgroundColor(PANEL);
        st.setPlotBackgroundColor(PANEL);
        st.setLegendBackgroundColor(PANEL);
        st.setLegendBorderColor(PANEL);
        st.setChartFontColor(TEXT);
        st.setPlotBorderVisible(false);
        st.setChartTitleVisible(false);
        st.setMarkerSize(7);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        if (st instanceof AxesChartStyler a) {
            a.setPlotGridLinesColor(BORDER);
            a.setAxisTickLabelsColor(DIM);
            a.setAxisTickMarksColor(BORDER);
            a.setXAxisTitleVisible(false);
            a.setYAxisTitleVisible(false);
            a.setyAxisTickLabelsFormattingFunction(Text::si); // 25 M, not 2.5E7
        }
    }
}
