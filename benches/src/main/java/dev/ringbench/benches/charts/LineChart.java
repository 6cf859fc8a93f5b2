package dev.ringbench.benches.charts;

import dev.ringbench.benches.charts.PointReader.Point;
import dev.ringbench.benches.charts.SeriesOrder.SeriesKey;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static dev.ringbench.benches.charts.Axes.CUT_ERRORS;
import static dev.ringbench.benches.charts.Axes.axisTop;
import static dev.ringbench.benches.charts.Axes.decadesOnly;
import static dev.ringbench.benches.charts.Axes.fmt;
import static dev.ringbench.benches.charts.PointReader.parse;
import static dev.ringbench.benches.charts.Style.HEIGHT;
import static dev.ringbench.benches.charts.Style.WIDTH;

/**
 * Builds a {@link ChartSpec.Kind#LINES} chart (XY, numeric x from a parameter; a sweep): one line
 * per series with markers and the samples' spread as error bars ({@link LineErrors}), a competitor's colour from {@link Palette}, a
 * variant's line style and marker by its rank. Points an axis cannot show (a non-numeric x, a value
 * at or below 0 on a log axis) are left out with one log line; with {@link ChartSpec#markCores}, a
 * dashed line marks where producers and the consumer outnumber the machine's cores (env.json).
 */
final class LineChart {
    private final RunData data;
    private final Consumer<String> log;

    /** @param log receives one line per problem (points left out, nothing to draw) */
    LineChart(RunData data, Consumer<String> log) {
        this.data = data;
        this.log = log;
    }

    /** The extent of the drawn points, in axis units (values divided by the chart's divisor). */
    private static final class Extent {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = 0;
        /** The highest error bar's top. */
        double errTop = 0;

        void add(double x, double y, double high) {
            xMin = Math.min(xMin, x);
            xMax = Math.max(xMax, x);
            yMax = Math.max(yMax, y);
            errTop = Math.max(errTop, Double.isNaN(high) ? y : high);
            yMin = Math.min(yMin, y);
        }
    }

    /**
     * The chart of one split group; null (after a log line) when no point is drawable.
     *
     * @param notes the caption's notes so far; the chart adds its own
     */
    Drawn build(ChartSpec spec, String splitValue, int groups, List<Point> points, List<String> notes) {
        String name = Split.chartName(spec, splitValue, groups);
        String title = Split.chartTitle(spec, splitValue);
        double div = Axes.divisor(spec, points);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(spec.xLabel).yAxisTitle(spec.y.axisTitle(div)).build();
        Style.apply(chart.getStyler(), title);
        chart.getStyler().setXAxisLogarithmic(spec.logX).setYAxisLogarithmic(spec.logY);
        Extent extent = new Extent();
        List<LineErrors.Bar> errorBars = new ArrayList<>();
        List<String> labels = addSeries(chart, spec, name, SeriesOrder.bySeries(spec, name, points, log), div, extent,
                errorBars);
        if (labels.isEmpty()) {
            log.accept(name + ": nothing left to draw: chart skipped");
            return null;
        }
        double top = fitAxes(chart, spec, extent, notes);
        if (!errorBars.isEmpty()) {
            chart.addAnnotation(new LineErrors(errorBars, spec.logY || top <= 0 ? Double.NaN : top));
        }
        if (spec.markCores) {
            markCores(chart, spec, extent.xMin, extent.xMax, top, points, notes);
        }
        return new Drawn(name, title, chart, labels, notes);
    }

    /**
     * Adds one line per series that has a drawable point, in series order, and widens {@code extent}
     * by its points; one log line names the points left out. Returns the labels of the lines added.
     */
    private List<String> addSeries(XYChart chart, ChartSpec spec, String name, Map<SeriesKey, Map<String, Point>> series,
                                   double div, Extent extent, List<LineErrors.Bar> errorBars) {
        Map<List<String>, Integer> variants = SeriesOrder.variantIndex(spec, series.keySet());
        List<String> labels = new ArrayList<>();
        Set<String> dropped = new TreeSet<>();
        for (var s : series.entrySet()) {
            List<double[]> xy = drawablePoints(spec, s.getKey(), s.getValue(), div, dropped);
            if (xy.isEmpty()) {
                continue;
            }
            double[] xs = xy.stream().mapToDouble(a -> a[0]).toArray();
            double[] ys = xy.stream().mapToDouble(a -> a[1]).toArray();
            Color c = Palette.of(s.getKey().channel());
            for (int i = 0; i < xs.length; i++) {
                double low = xy.get(i)[2];
                double high = xy.get(i)[3];
                boolean bar = !Double.isNaN(low) && !Double.isNaN(high) && high > low;
                if (bar) {
                    errorBars.add(new LineErrors.Bar(xs[i], spec.logY ? Math.max(low, ys[i] * 0.05) : low, high, c));
                }
                extent.add(xs[i], ys[i], bar ? high : Double.NaN);
            }
            String label = s.getKey().label();
            XYSeries line = chart.addSeries(label, xs, ys);
            int v = variants.get(s.getKey().variants());
            line.setLineColor(c);
            line.setMarkerColor(c);
            line.setLineStyle(Palette.line(v));
            line.setMarker(Palette.marker(v));
            labels.add(label);
        }
        if (!dropped.isEmpty()) {
            log.accept(name + ": not drawable on " + (spec.logX || spec.logY ? "a log axis" : "this axis") + ": "
                    + String.join(", ", dropped));
        }
        return labels;
    }

    /**
     * A series' points as {x, y, low, high} in axis units, in x order; points the axes cannot show (a
     * non-numeric x, a value at or below 0 on a log axis) go to {@code dropped} instead.
     */
    private static List<double[]> drawablePoints(ChartSpec spec, SeriesKey key, Map<String, Point> byX, double div,
                                                 Set<String> dropped) {
        List<double[]> xy = new ArrayList<>();
        for (var e : byX.entrySet()) {
            double x = parse(e.getKey());
            double y = e.getValue().value() / div;
            double low = e.getValue().low() / div;
            double high = e.getValue().high() / div;
            if (Double.isNaN(x) || (spec.logX && x <= 0) || (spec.logY && y <= 0)) {
                dropped.add(key.label() + " at " + spec.x + "=" + e.getKey()
                        + (Double.isNaN(x) ? "" : " (" + fmt(y * div) + ")"));
                continue;
            }
            xy.add(new double[] {x, y, low, high});
        }
        return xy;
    }

    /**
     * Error bar colours, log axis labels, and a linear y axis from 0 (for non-negative data) up to
     * {@link Axes#axisTop} (a note when error bars are cut there). Returns the y axis' top.
     */
    private static double fitAxes(XYChart chart, ChartSpec spec, Extent extent, List<String> notes) {
        chart.getStyler().setXAxisLogarithmicDecadeOnly(decadesOnly(extent.xMin, extent.xMax));
        chart.getStyler().setYAxisLogarithmicDecadeOnly(decadesOnly(extent.yMin, extent.yMax));
        double top = extent.yMax;
        if (!spec.logY) {
            if (extent.yMin >= 0) {
                chart.getStyler().setYAxisMin(0.0); // rates and shares start at zero
            }
            top = axisTop(extent.yMax, extent.errTop);
            if (top > 0) {
                chart.getStyler().setYAxisMax(top); // (XChart would stretch the axis to the widest error bar)
            }
            if (extent.errTop > top) {
                notes.add(CUT_ERRORS);
            }
        }
        return top;
    }

    /** A dashed line where producers + one consumer thread exceed the machine's cores (env.json), and a label. */
    private void markCores(XYChart chart, ChartSpec spec, double xMin, double xMax, double yMax, List<Point> points,
                           List<String> notes) {
        int cores = data.env().path("cores").asInt(0);
        if (cores <= 0) {
            log.accept(spec.name + ": env.json has no 'cores': oversubscribed producer counts not marked");
            return;
        }
        TreeSet<Double> xs = new TreeSet<>();
        for (Point p : points) {
            double x = parse(p.params().get(spec.x));
            if (!Double.isNaN(x)) {
                xs.add(x);
            }
        }
        Double lastFits = xs.lower((double) cores); // producers + 1 <= cores
        Double firstOver = xs.ceiling((double) cores);
        if (firstOver == null) {
            notes.add("No producer count here outnumbers the " + cores + " cores with its consumer.");
            return;
        }
        double at;
        if (lastFits == null) {
            notes.add("Every producer count here, with its consumer, outnumbers the " + cores + " cores.");
            return;
        }
        at = spec.logX ? Math.sqrt(lastFits * firstOver) : (lastFits + firstOver) / 2;
        chart.getStyler().setAnnotationLineColor(new Color(0x606060));
        chart.getStyler().setAnnotationLineStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                10f, new float[] {6f, 4f}, 0f));
        chart.addAnnotation(new AnnotationLine(at, true, false));
        if (!spec.logY && yMax > 0) {
            chart.getStyler().setYAxisMax(yMax * 1.12);
            chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            chart.getStyler().setAnnotationTextFontColor(new Color(0x404040));
            double textX = spec.logX ? Math.sqrt(at * xMax) : (at + xMax) / 2;
            chart.addAnnotation(new AnnotationText("producers + consumer > " + cores + " cores", textX, yMax * 1.06, false));
        }
    }
}
