package dev.ringbench.benches.charts;

import org.knowm.xchart.internal.chartpart.Annotation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * Error bars over an XY (line) chart, drawn as an annotation: XChart's own XY error bars are
 * symmetric (value ± error), and the suite's spread (the interquartile range of the samples, see
 * {@link dev.ringbench.benches.stats.Stats}) is not symmetric about the median. Each bar is a
 * vertical line from its low to its high end at its point's x, capped at both ends, in its
 * series' colour; a bar above the axis' top is cut there (no cap), as {@link BarErrors} does.
 */
final class LineErrors extends Annotation {
    /** One error bar, in axis units. */
    record Bar(double x, double low, double high, Color colour) {
    }

    private static final BasicStroke STROKE = new BasicStroke(1.2f);
    private static final double CAP = 4;

    private final List<Bar> bars;
    private final double axisMax;

    /** @param axisMax the y axis' top, where error bars are cut (NaN: nothing cut) */
    LineErrors(List<Bar> bars, double axisMax) {
        super(false);
        this.bars = List.copyOf(bars);
        this.axisMax = axisMax;
    }

    @Override
    public void paint(Graphics2D g) {
        if (!isVisible || bars.isEmpty()) {
            bounds = new Rectangle2D.Double();
            return;
        }
        Color colour = g.getColor();
        java.awt.Stroke stroke = g.getStroke();
        g.setStroke(STROKE);
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Bar b : bars) {
            g.setColor(b.colour());
            double x = chart.getScreenXFromChart(b.x());
            boolean cut = b.high() > axisMax; // false when axisMax is NaN
            double top = chart.getScreenYFromChart(cut ? axisMax : b.high());
            double bottom = chart.getScreenYFromChart(b.low());
            g.draw(new Line2D.Double(x, top, x, bottom));
            if (!cut) {
                g.draw(new Line2D.Double(x - CAP, top, x + CAP, top));
            }
            g.draw(new Line2D.Double(x - CAP, bottom, x + CAP, bottom));
            minX = Math.min(minX, x - CAP);
            maxX = Math.max(maxX, x + CAP);
            minY = Math.min(minY, top);
            maxY = Math.max(maxY, bottom);
        }
        g.setColor(colour);
        g.setStroke(stroke);
        bounds = new Rectangle2D.Double(minX, minY, maxX - minX, maxY - minY);
    }
}
