package dev.ringbench.benches.charts;

import dev.ringbench.benches.charts.PointReader.Point;
import dev.ringbench.benches.charts.PointReader.Points;
import dev.ringbench.benches.charts.SeriesOrder.SeriesKey;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import static dev.ringbench.benches.charts.Axes.CUT_ERRORS;
import static dev.ringbench.benches.charts.Axes.axisTop;
import static dev.ringbench.benches.charts.Axes.decadesOnly;
import static dev.ringbench.benches.charts.Axes.fmt;
import static dev.ringbench.benches.charts.Style.HEIGHT;
import static dev.ringbench.benches.charts.Style.WIDTH;

/**
 * Builds a {@link ChartSpec.Kind#BARS} chart (XChart category chart). Categories are the values of
 * the x parameter, or one per series (no x: bars overlap, the x axis names them and there is no
 * legend), or the spec's fields ({@link #fieldBars}). A competitor's bars have its {@link Palette}
 * colour, a variant a shade of it by its rank within the competitor; error bars (the
 * samples' spread, {@link dev.ringbench.benches.stats.Stats}) are drawn by {@link BarErrors} (none on a log axis). Values a log axis cannot show are left out with a log line.
 */
final class BarChart {
    private final Consumer<String> log;

    /** @param log receives one line per problem (bars left out, nothing to draw) */
    BarChart(Consumer<String> log) {
        this.log = log;
    }

    /**
     * The chart of one split group of a metric; null (after a log line) when nothing is drawable.
     *
     * @param notes the caption's notes so far; the chart adds its own
     */
    Drawn build(ChartSpec spec, String splitValue, int groups, List<Point> points, List<String> notes) {
        String name = Split.chartName(spec, splitValue, groups);
        double div = Axes.divisor(spec, points);
        Map<SeriesKey, Map<String, Point>> series = SeriesOrder.bySeries(spec, name, points, log);
        // categories: the x parameter's values, or one per series
        List<String> categories = new ArrayList<>();
        boolean perSeries = spec.x == null;
        if (perSeries) {
            series.keySet().forEach(k -> categories.add(k.label()));
        } else {
            Set<String> xs = new TreeSet<>(SeriesOrder.valueOrder(spec, spec.x));
            series.values().forEach(m -> xs.addAll(m.keySet()));
            categories.addAll(xs);
        }
        Map<SeriesKey, List<Double>> ys = new LinkedHashMap<>();
        Map<SeriesKey, List<double[]>> errs = new LinkedHashMap<>();
        Set<String> dropped = new TreeSet<>();
        for (var s : series.entrySet()) {
            List<Double> y = new ArrayList<>();
            List<double[]> e = new ArrayList<>();
            for (String cat : categories) {
                Point p = perSeries ? (cat.equals(s.getKey().label()) ? s.getValue().get("") : null) : s.getValue().get(cat);
                if (p != null && spec.logY && p.value() <= 0) {
                    dropped.add(s.getKey().label() + (perSeries ? "" : " at " + spec.x + "=" + cat) + " (" + fmt(p.value()) + ")");
                    p = null;
                }
                y.add(p == null ? null : p.value() / div);
                e.add(p == null ? null : new double[] {p.low() / div, p.high() / div});
            }
            ys.put(s.getKey(), y);
            errs.put(s.getKey(), e);
        }
        if (!dropped.isEmpty()) {
            log.accept(name + ": not drawable on a log axis: " + String.join(", ", dropped));
        }
        String xTitle = perSeries ? "" : spec.xLabel;
        return categoryChart(spec, name, Split.chartTitle(spec, splitValue), xTitle, spec.y.axisTitle(div), categories,
                perSeries, ys, errs, notes);
    }

    /**
     * Bars whose categories are the spec's fields, one chart per split group: each series' value of
     * each field, in field order ({@code byField}'s). Groups with nothing drawable are left out.
     *
     * @param byField the points of each field that has any, by field label
     */
    List<Drawn> fieldBars(ChartSpec spec, Map<String, Points> byField) {
        List<Point> all = new ArrayList<>();
        byField.values().forEach(p -> all.addAll(p.points()));
        Map<String, List<Point>> groups = Split.groups(spec, all);
        List<Drawn> drawn = new ArrayList<>();
        for (String splitValue : groups.keySet()) {
            String name = Split.chartName(spec, splitValue, groups.size());
            List<Point> inGroup = groups.get(splitValue);
            double div = Axes.divisor(spec, inGroup);
            Set<SeriesKey> keys = new TreeSet<>(SeriesOrder.of(spec));
            inGroup.forEach(p -> keys.add(SeriesOrder.key(spec, p.params())));
            List<String> categories = new ArrayList<>(byField.keySet());
            Map<SeriesKey, List<Double>> ys = new LinkedHashMap<>();
            Map<SeriesKey, List<double[]>> errs = new LinkedHashMap<>();
            for (SeriesKey k : keys) {
                List<Double> y = new ArrayList<>();
                List<double[]> e = new ArrayList<>();
                for (String field : categories) {
                    Point p = first(spec, byField.get(field).points(), splitValue, k);
                    boolean ok = p != null && !(spec.logY && p.value() <= 0);
                    y.add(ok ? p.value() / div : null);
                    e.add(ok ? new double[] {p.low() / div, p.high() / div} : null);
                }
                ys.put(k, y);
                errs.put(k, e);
            }
            Drawn d = categoryChart(spec, name, Split.chartTitle(spec, splitValue), spec.xLabel, spec.y.axisTitle(div),
                    categories, false, ys, errs, new ArrayList<>());
            if (d != null) {
                drawn.add(d);
            }
        }
        return drawn;
    }

    /** The first of {@code points} in split group {@code splitValue} and series {@code key}; null if none. */
    private static Point first(ChartSpec spec, List<Point> points, String splitValue, SeriesKey key) {
        for (Point q : points) {
            if (Split.value(spec, q.params()).equals(splitValue) && SeriesOrder.key(spec, q.params()).equals(key)) {
                return q;
            }
        }
        return null;
    }

    /** The category chart of a table of values (null: a gap), one row per series in order; null when empty. */
    private Drawn categoryChart(ChartSpec spec, String name, String title, String xTitle, String yTitle,
                                List<String> categories, boolean overlapped, Map<SeriesKey, List<Double>> ys,
                                Map<SeriesKey, List<double[]>> errs, List<String> notes) {
        ys.entrySet().removeIf(e -> e.getValue().stream().allMatch(Objects::isNull));
        if (ys.isEmpty() || categories.isEmpty()) {
            log.accept(name + ": nothing left to draw: chart skipped");
            return null;
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Style.apply(chart.getStyler(), title);
        chart.getStyler().setOverlapped(overlapped);
        chart.getStyler().setYAxisLogarithmic(spec.logY);
        chart.getStyler().setErrorBarsColor(new Color(0x303030));
        int longest = categories.stream().mapToInt(String::length).max().orElse(0);
        if (longest * categories.size() > 90) {
            chart.getStyler().setXAxisLabelRotation(longest > 16 ? 60 : 30);
        }
        if (spec.logY) {
            fitLogAxis(chart, ys);
        }
        if (overlapped) {
            chart.getStyler().setLegendVisible(false); // each bar is named on the x axis
        }
        Map<SeriesKey, Integer> shade = shades(ys.keySet());
        List<String> labels = new ArrayList<>();
        List<BarErrors.Bar> errorBars = new ArrayList<>();
        for (var s : ys.entrySet()) {
            List<Double> y = s.getValue();
            List<double[]> e = errs.get(s.getKey());
            String label = s.getKey().label();
            CategorySeries series = chart.addSeries(label, categories, y);
            series.setFillColor(Palette.shade(Palette.of(s.getKey().channel()), shade.get(s.getKey())));
            series.setLineColor(series.getFillColor());
            for (int i = 0; i < y.size() && !spec.logY; i++) {
                double[] err = e.get(i);
                if (y.get(i) != null && err != null && !Double.isNaN(err[0]) && !Double.isNaN(err[1]) && err[1] > err[0]) {
                    errorBars.add(new BarErrors.Bar(i, labels.size(), err[0], err[1]));
                }
            }
            labels.add(label);
        }
        if (!errorBars.isEmpty()) {
            addErrorBars(chart, ys, errorBars, labels.size(), overlapped, notes);
        }
        return new Drawn(name, title, chart, labels, notes);
    }

    /**
     * A log y axis from a decade below the smallest value (XChart anchors bars at 0, which a log axis
     * cannot show), labelled at decades only when the values span enough of them.
     */
    private static void fitLogAxis(CategoryChart chart, Map<SeriesKey, List<Double>> ys) {
        double min = ys.values().stream().flatMap(List::stream).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).min().orElse(1);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        double max = ys.values().stream().flatMap(List::stream).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).max().orElse(1);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(decadesOnly(min, max));
    }

    /** Shades by a variant's rank within its competitor: a competitor with one variant keeps its colour. */
    private static Map<SeriesKey, Integer> shades(Set<SeriesKey> inSeriesOrder) {
        Map<SeriesKey, Integer> shade = new LinkedHashMap<>();
        Map<String, Integer> perChannel = new TreeMap<>();
        for (SeriesKey k : inSeriesOrder) {
            shade.put(k, perChannel.merge(k.channel(), 1, Integer::sum) - 1);
        }
        return shade;
    }

    /**
     * The error bars as a {@link BarErrors} annotation, with the y axis raised to the highest bar's
     * top but no further than {@link Axes#axisTop} (a note when bars are cut there).
     */
    private static void addErrorBars(CategoryChart chart, Map<SeriesKey, List<Double>> ys, List<BarErrors.Bar> errorBars,
                                     int seriesCount, boolean overlapped, List<String> notes) {
        double errTop = 0;
        for (BarErrors.Bar b : errorBars) {
            errTop = Math.max(errTop, b.high());
        }
        double dataMax = ys.values().stream().flatMap(List::stream).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).max().orElse(0);
        double top = axisTop(dataMax, errTop);
        if (top > dataMax) {
            chart.getStyler().setYAxisMax(top);
        }
        if (errTop > top) {
            notes.add(CUT_ERRORS);
        }
        chart.addAnnotation(new BarErrors(errorBars, seriesCount, overlapped, top > dataMax ? top : Double.NaN));
    }
}
