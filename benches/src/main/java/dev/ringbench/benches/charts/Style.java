package dev.ringbench.benches.charts;

import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * The look every chart shares: its size, background, fonts, grid and legend place. Chart builders
 * call {@link #apply} right after building a chart and then set only what is particular to their
 * chart type; colours of series come from {@link Palette}.
 */
final class Style {
    /** Width of every chart, in pixels (the caption below it has the same width). */
    static final int WIDTH = 1100;
    /** Height of every chart without its caption, in pixels. */
    static final int HEIGHT = 620;

    private Style() {
    }

    /** The title font: 16 pt bold, smaller (down to 11 pt) when the title would not fit the chart's width. */
    static Font titleFont(String title) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            for (int size = 16; size > 11; size--) {
                Font f = new Font(Font.SANS_SERIF, Font.BOLD, size);
                if (g.getFontMetrics(f).stringWidth(title) <= WIDTH - 40) {
                    return f;
                }
            }
            return new Font(Font.SANS_SERIF, Font.BOLD, 11);
        } finally {
            g.dispose();
        }
    }

    /** Sets the shared look on a chart's styler; {@code title} picks the title's font size. */
    static void apply(AxesChartStyler s, String title) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0xB0B0B0));
        s.setPlotGridLinesColor(new Color(0xE4E4E4));
        s.setChartFontColor(new Color(0x202020));
        s.setChartTitleFont(titleFont(title));
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(new Color(0xD0D0D0));
        s.setToolTipsEnabled(false);
        s.setChartButtonBackgroundColor(Color.WHITE);
        s.setAntiAlias(true);
        s.setMarkerSize(7);
        s.setChartPadding(12);
        s.setDecimalPattern("#,##0.###");
    }
}
