package dev.ringbench.benches.charts;

import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.style.CategoryStyler;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * Error bars over a category (bar) chart, drawn as an annotation at the positions XChart gives its
 * bars. XChart 3.8.8's own bar error bars cannot be used beside a missing value (a null bar): it
 * throws while scaling the axis, and pairs the wrong error with each bar when drawing. Bars here
 * are often missing (a competitor without a strategy, a failed run), so the chart gets no error
 * bars from XChart and this draws them instead.
 */
final class BarErrors extends Annotation {
    /** One error bar: category index, series index (in the chart's series order), its low and high ends. */
    record Bar(int category, int series, double low, double high) {
    }

    private static final Color COLOUR = new Color(0x303030);
    private static final BasicStroke STROKE = new BasicStroke(1.2f);

    private final List<Bar> bars;
    private final int seriesCount;
    private final boolean overlapped;

    private final double axisMax;

    /** @param axisMax the y axis' top, where error bars are cut (NaN: not set, nothing cut) */
    BarErrors(List<Bar> bars, int seriesCount, boolean overlapped, double axisMax) {
        super(false);
        this.bars = List.copyOf(bars);
        this.seriesCount = seriesCount;
        this.overlapped = overlapped;
        this.axisMax = axisMax;
    }

    @Override
    public void paint(Graphics2D g) {
        if (!isVisible) {
            return;
        }
        double fill = ((CategoryStyler) chart.getStyler()).getAvailableSpaceFill();
        Color colour = g.getColor();
        java.awt.Stroke stroke = g.getStroke();
        g.setColor(COLOUR);
        g.setStroke(STROKE);
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Bar b : bars) {
            double start = chart.getScreenXFromChart(b.category());
            double grid = chart.getScreenXFromChart(b.category() + 1) - start;
            double margin = grid * (1 - fill) / 2;
            double width = overlapped ? grid * fill : grid / seriesCount * fill;
            double x = start + margin + (overlapped ? 0 : b.series() * width) + width / 2;
            boolean cut = b.high() > axisMax; // false when axisMax is NaN
            double top = chart.getScreenYFromChart(cut ? axisMax : b.high());
            double bottom = chart.getScreenYFromChart(Math.max(0, b.low()));
            double cap = Math.min(4, width / 4);
            g.draw(new Line2D.Double(x, top, x, bottom));
            if (!cut) {
                g.draw(new Line2D.Double(x - cap, top, x + cap, top));
            }
            g.draw(new Line2D.Double(x - cap, bottom, x + cap, bottom));
            minX = Math.min(minX, x - cap);
            maxX = Math.max(maxX, x + cap);
            minY = Math.min(minY, top);
            maxY = Math.max(maxY, bottom);
        }
        g.setColor(colour);
        g.setStroke(stroke);
        bounds = bars.isEmpty() ? new Rectangle2D.Double() : new Rectangle2D.Double(minX, minY, maxX - minX, maxY - minY);
    }
}
