package dev.ringbench.benches.charts;

import dev.ringbench.benches.charts.ChartSpec.ExtraField;
import dev.ringbench.benches.charts.ChartSpec.Jmh;
import dev.ringbench.benches.charts.ChartSpec.JmhRatio;
import dev.ringbench.benches.charts.ChartSpec.Source;
import dev.ringbench.benches.charts.RunData.Extra;
import dev.ringbench.benches.charts.RunData.HdrLog;
import dev.ringbench.benches.charts.RunData.Metric;
import dev.ringbench.benches.charts.RunData.Result;
import dev.ringbench.competitors.ChannelKind;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Turns a {@link ChartSpec} and a {@link RunData} into XChart charts (one per value of the spec's
 * split parameter), or into the reason it cannot. Pure: no files are written here ({@link ChartWriter}
 * does that), and the same data always gives the same charts in the same order.
 */
final class ChartRenderer {
    static final int WIDTH = 1100;
    static final int HEIGHT = 620;

    /** A drawn chart: file name stem, title, series labels and the caption's notes. */
    record Drawn(String name, String title, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart,
                 List<String> series, List<String> notes) {
    }

    /** One value to plot, with the parameters of the result it came from. */
    record Point(Map<String, String> params, double value, double error) {
    }

    /** Either points, or why there are none. */
    record Points(List<Point> points, String source, String problem) {
        static Points of(List<Point> p, String source) {
            return new Points(p, source, null);
        }

        static Points missing(String why) {
            return new Points(List.of(), null, why);
        }
    }

    private final RunData data;
    private final Consumer<String> log;

    /** @param log receives one line per problem (what is missing, what was used instead) */
    ChartRenderer(RunData data, Consumer<String> log) {
        this.data = data;
        this.log = log;
    }

    /** The charts of one spec; empty (after a message naming what is missing) when there is nothing to draw. */
    List<Drawn> render(ChartSpec spec) {
        return switch (spec.kind) {
            case LINES, BARS -> spec.fields.isEmpty() ? renderMetric(spec) : renderFields(spec);
            case HDR -> renderHdr(spec);
        };
    }

    // ---------------------------------------------------------------- data

    /** The points of the first source that has any, after a message for each that had none. */
    private Points firstPoints(ChartSpec spec, List<Source> sources) {
        List<String> problems = new ArrayList<>();
        for (Source s : sources) {
            Points p = points(spec, s);
            if (!p.points().isEmpty()) {
                if (!problems.isEmpty()) {
                    log.accept(spec.name + ": " + String.join("; ", problems) + "; drawn from "
                            + s.describe(spec.scenario) + " instead");
                }
                return p;
            }
            problems.add(p.problem());
        }
        return Points.missing(String.join("; ", problems));
    }

    Points points(ChartSpec spec, Source source) {
        return switch (source) {
            case Jmh j -> jmhPoints(spec, source, r -> {
                Metric m = r.metric(j.metric());
                return m == null ? null : new double[] {m.value() * j.scale(), m.errorOrNaN() * Math.abs(j.scale())};
            }, List.of(j.metric()));
            case JmhRatio q -> {
                List<String> names = new ArrayList<>(List.of(q.numerator()));
                names.addAll(q.denominators());
                yield jmhPoints(spec, source, r -> {
                    Metric num = r.metric(q.numerator());
                    double den = 0;
                    for (String d : q.denominators()) {
                        Metric m = r.metric(d);
                        if (m == null) {
                            return null;
                        }
                        den += m.value();
                    }
                    if (num == null) {
                        return null;
                    }
                    return new double[] {den == 0 ? Double.NaN : num.value() / den * q.scale(), Double.NaN};
                }, names);
            }
            case ExtraField e -> extraPoints(spec, e);
        };
    }

    private Points jmhPoints(ChartSpec spec, Source source, java.util.function.Function<Result, double[]> value,
                             List<String> metrics) {
        var results = data.results(spec.scenario);
        if (results.isEmpty()) {
            return Points.missing(data.absent(spec.scenario + ".json"));
        }
        List<Result> all = results.get();
        List<Map<String, String>> params = new ArrayList<>();
        for (Result r : all) {
            params.add(r.params());
        }
        List<Integer> kept = filter(spec, params);
        if (kept.isEmpty()) {
            return Points.missing(spec.scenario + ".json has no results " + describeFilter(spec));
        }
        List<Point> points = new ArrayList<>();
        Set<String> missingFor = new TreeSet<>();
        for (int i : kept) {
            Result r = all.get(i);
            double[] v = value.apply(r);
            if (v == null) {
                missingFor.add(r.params().getOrDefault("channel", "?"));
                continue;
            }
            if (!Double.isNaN(v[0]) && !Double.isInfinite(v[0])) {
                points.add(new Point(r.params(), v[0], v[1]));
            }
        }
        if (points.isEmpty()) {
            Set<String> have = new TreeSet<>();
            for (int i : kept) {
                have.addAll(all.get(i).secondary().keySet());
            }
            List<String> absent = metrics.stream().filter(m -> !"primary".equals(m)
                    && kept.stream().noneMatch(i -> all.get(i).secondary().containsKey(m))).toList();
            return Points.missing(spec.scenario + ".json has no " + (absent.isEmpty() ? "values for " + metrics
                    : "metric " + String.join(", ", absent.stream().map(m -> "'" + m + "'").toList()))
                    + " (it has: " + String.join(", ", have) + ")");
        }
        if (!missingFor.isEmpty()) {
            log.accept(spec.name + ": " + metrics + " absent for " + String.join(", ", missingFor) + " in "
                    + spec.scenario + ".json (left out of the chart)");
        }
        return Points.of(points, source.describe(spec.scenario));
    }

    private Points extraPoints(ChartSpec spec, ExtraField e) {
        String file = spec.scenario + "-" + e.what() + ".json";
        var extras = data.extras(spec.scenario, e.what());
        if (extras.isEmpty()) {
            return Points.missing(data.absent(file));
        }
        List<Extra> all = extras.get();
        List<Map<String, String>> params = new ArrayList<>();
        for (Extra x : all) {
            params.add(x.params());
        }
        List<Integer> kept = filter(spec, params);
        if (kept.isEmpty()) {
            return Points.missing(file + " has no entries " + describeFilter(spec));
        }
        List<Point> points = new ArrayList<>();
        boolean field = false;
        for (int i : kept) {
            Double v = all.get(i).values().get(e.field());
            if (v == null) {
                continue;
            }
            field = true;
            if (!v.isNaN() && !v.isInfinite()) {
                points.add(new Point(all.get(i).params(), v * e.scale(), Double.NaN));
            }
        }
        if (!field) {
            Set<String> have = new TreeSet<>();
            kept.forEach(i -> have.addAll(all.get(i).values().keySet()));
            return Points.missing(file + " has no '" + e.field() + "' (it has: " + String.join(", ", have) + ")");
        }
        if (points.isEmpty()) {
            return Points.missing(file + ": '" + e.field() + "' is null in every entry");
        }
        return Points.of(points, e.describe(spec.scenario));
    }

    /** Indexes of the parameter maps that pass the spec's filters, in their order. */
    private static List<Integer> filter(ChartSpec spec, List<Map<String, String>> params) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Map<String, String> p = params.get(i);
            if (spec.benchmarks != null && p.containsKey(RunData.BENCHMARK) && !spec.benchmarks.contains(p.get(RunData.BENCHMARK))) {
                continue;
            }
            if (spec.channels != null && !spec.channels.contains(p.get("channel"))) {
                continue;
            }
            boolean ok = true;
            for (var w : spec.where.entrySet()) {
                ok &= w.getValue().equals(p.get(w.getKey()));
            }
            for (var w : spec.whereNot.entrySet()) {
                ok &= !w.getValue().equals(p.get(w.getKey()));
            }
            if (ok) {
                kept.add(i);
            }
        }
        if (spec.atMaxOf != null) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i : kept) {
                max = Math.max(max, parse(params.get(i).get(spec.atMaxOf)));
            }
            double m = max;
            kept.removeIf(i -> parse(params.get(i).get(spec.atMaxOf)) != m);
        }
        return kept;
    }

    private static String describeFilter(ChartSpec spec) {
        List<String> f = new ArrayList<>();
        if (spec.benchmarks != null) {
            f.add("benchmark " + String.join(" or ", spec.benchmarks));
        }
        if (spec.channels != null) {
            f.add("channel in " + new TreeSet<>(spec.channels));
        }
        spec.where.forEach((k, v) -> f.add(k + "=" + v));
        spec.whereNot.forEach((k, v) -> f.add(k + "!=" + v));
        return f.isEmpty() ? "" : "for " + String.join(", ", f);
    }

    static double parse(String s) {
        if (s == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    // ---------------------------------------------------------------- series and ordering

    /**
     * A series: a competitor and the values of the spec's variant parameters; its label shows
     * numeric values with their parameter's name ({@code payload=64}), others as they are.
     */
    record SeriesKey(String channel, List<String> variants, List<String> names) {
        String label() {
            StringBuilder sb = new StringBuilder(channel);
            for (int i = 0; i < variants.size(); i++) {
                String v = variants.get(i);
                sb.append(' ').append(Double.isNaN(parse(v)) ? v : names.get(i) + "=" + v);
            }
            return sb.toString();
        }
    }

    private static SeriesKey key(ChartSpec spec, Map<String, String> params) {
        List<String> v = new ArrayList<>();
        for (String p : spec.variants) {
            v.add(params.getOrDefault(p, "-"));
        }
        return new SeriesKey(params.getOrDefault("channel", "?"), v, spec.variants);
    }

    private static int kindOrder(String channel) {
        try {
            return ChannelKind.valueOf(channel).ordinal();
        } catch (IllegalArgumentException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Compares two values of a parameter: the spec's order by prefix, then numbers, then text. */
    static Comparator<String> valueOrder(ChartSpec spec, String param) {
        List<String> prefixes = spec.order.getOrDefault(param, List.of());
        return Comparator.<String>comparingInt(v -> rank(prefixes, v))
                .thenComparing((a, b) -> {
                    double x = parse(a);
                    double y = parse(b);
                    if (!Double.isNaN(x) && !Double.isNaN(y)) {
                        return Double.compare(x, y);
                    }
                    // "SAMPLED:10" before "SAMPLED:100": compare the number after a colon
                    int ca = a.indexOf(':');
                    int cb = b.indexOf(':');
                    if (ca > 0 && cb > 0 && a.substring(0, ca).equals(b.substring(0, cb))) {
                        double na = parse(a.substring(ca + 1));
                        double nb = parse(b.substring(cb + 1));
                        if (!Double.isNaN(na) && !Double.isNaN(nb)) {
                            return Double.compare(na, nb);
                        }
                    }
                    return a.compareTo(b);
                });
    }

    private static int rank(List<String> prefixes, String v) {
        for (int i = 0; i < prefixes.size(); i++) {
            String p = prefixes.get(i);
            if (v.equals(p) || v.startsWith(p + ":")) {
                return i;
            }
        }
        return prefixes.size();
    }

    private static Comparator<SeriesKey> seriesOrder(ChartSpec spec) {
        Comparator<SeriesKey> c = Comparator.comparingInt((SeriesKey k) -> kindOrder(k.channel()))
                .thenComparing(SeriesKey::channel);
        for (int i = 0; i < spec.variants.size(); i++) {
            int idx = i;
            Comparator<String> vo = valueOrder(spec, spec.variants.get(i));
            c = c.thenComparing(k -> k.variants().get(idx), vo);
        }
        return c;
    }

    /** Variant index of a series: its variant values' position among all variant tuples of the chart. */
    private static Map<List<String>, Integer> variantIndex(ChartSpec spec, Set<SeriesKey> keys) {
        List<List<String>> tuples = new ArrayList<>(new LinkedHashSet<>(keys.stream().map(SeriesKey::variants).toList()));
        tuples.sort((a, b) -> {
            for (int i = 0; i < a.size(); i++) {
                int c = valueOrder(spec, spec.variants.get(i)).compare(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        Map<List<String>, Integer> index = new LinkedHashMap<>();
        for (List<String> t : tuples) {
            index.put(t, index.size());
        }
        return index;
    }

    /** The points grouped by split value (one group, key "", when the spec does not split or the parameter is absent). */
    private static Map<String, List<Point>> split(ChartSpec spec, List<Point> points) {
        Map<String, List<Point>> groups = new TreeMap<>(spec.splitBy == null ? Comparator.naturalOrder()
                : valueOrder(spec, spec.splitBy));
        for (Point p : points) {
            String v = spec.splitBy == null ? "" : p.params().getOrDefault(spec.splitBy, "");
            groups.computeIfAbsent(v, k -> new ArrayList<>()).add(p);
        }
        return groups;
    }

    private static String chartName(ChartSpec spec, String splitValue, int groups) {
        if (groups <= 1 || splitValue.isEmpty()) {
            return spec.name;
        }
        return spec.name + "-" + splitValue.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    private static String chartTitle(ChartSpec spec, String splitValue) {
        if (splitValue.isEmpty()) {
            return spec.title;
        }
        if ("ratePerSecond".equals(spec.splitBy)) {
            return spec.title + ", " + String.format(Locale.ROOT, "%,d", (long) parse(splitValue)) + " records/s offered";
        }
        return spec.title + " (" + spec.splitBy + " = " + splitValue + ")";
    }

    // ---------------------------------------------------------------- metric charts

    private List<Drawn> renderMetric(ChartSpec spec) {
        Points pts = firstPoints(spec, spec.y.sources());
        if (pts.points().isEmpty()) {
            log.accept(pts.problem() + ": chart " + spec.name + " skipped");
            return List.of();
        }
        Map<String, List<Point>> groups = split(spec, pts.points());
        List<Drawn> drawn = new ArrayList<>();
        for (var g : groups.entrySet()) {
            List<String> notes = new ArrayList<>();
            if (!pts.source().equals(spec.y.sources().get(0).describe(spec.scenario))) {
                notes.add("Values from " + pts.source() + ".");
            }
            Drawn d = spec.kind == ChartSpec.Kind.LINES
                    ? lineChart(spec, g.getKey(), groups.size(), g.getValue(), notes)
                    : barChart(spec, g.getKey(), groups.size(), g.getValue(), notes);
            if (d != null) {
                drawn.add(d);
            }
        }
        return drawn;
    }

    /** Points by series, then by x (first point wins when two results map to one place; a message says so). */
    private Map<SeriesKey, Map<String, Point>> bySeries(ChartSpec spec, String chart, List<Point> points) {
        Map<SeriesKey, Map<String, Point>> series = new TreeMap<>(seriesOrder(spec));
        Comparator<String> xo = spec.x == null ? Comparator.naturalOrder() : valueOrder(spec, spec.x);
        Set<String> duplicates = new TreeSet<>();
        for (Point p : points) {
            SeriesKey k = key(spec, p.params());
            String x = spec.x == null ? "" : p.params().getOrDefault(spec.x, "?");
            Map<String, Point> s = series.computeIfAbsent(k, kk -> new TreeMap<>(xo));
            if (s.putIfAbsent(x, p) != null) {
                duplicates.add(k.label() + (x.isEmpty() ? "" : " at " + spec.x + "=" + x));
            }
        }
        if (!duplicates.isEmpty()) {
            log.accept(chart + ": more than one result for " + String.join(", ", duplicates)
                    + " (parameters the chart does not show); the first is drawn");
        }
        return series;
    }

    private double divisor(ChartSpec spec, List<Point> points) {
        if (!spec.y.autoScale()) {
            return 1;
        }
        double max = 0;
        for (Point p : points) {
            max = Math.max(max, Math.abs(p.value()));
        }
        return max >= 1e9 ? 1e9 : max >= 1e6 ? 1e6 : max >= 1e4 ? 1e3 : 1;
    }

    private Drawn lineChart(ChartSpec spec, String splitValue, int groups, List<Point> points, List<String> notes) {
        String name = chartName(spec, splitValue, groups);
        double div = divisor(spec, points);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(chartTitle(spec, splitValue))
                .xAxisTitle(spec.xLabel).yAxisTitle(spec.y.axisTitle(div)).build();
        style(chart.getStyler(), chartTitle(spec, splitValue));
        chart.getStyler().setXAxisLogarithmic(spec.logX).setYAxisLogarithmic(spec.logY);
        Map<SeriesKey, Map<String, Point>> series = bySeries(spec, name, points);
        Map<List<String>, Integer> variants = variantIndex(spec, series.keySet());
        List<String> labels = new ArrayList<>();
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMax = 0;
        double yMin = Double.POSITIVE_INFINITY;
        double errTop = 0;
        Set<String> dropped = new TreeSet<>();
        for (var s : series.entrySet()) {
            List<double[]> xy = new ArrayList<>();
            for (var e : s.getValue().entrySet()) {
                double x = parse(e.getKey());
                double y = e.getValue().value() / div;
                double err = e.getValue().error() / div;
                if (Double.isNaN(x) || (spec.logX && x <= 0) || (spec.logY && y <= 0)) {
                    dropped.add(s.getKey().label() + " at " + spec.x + "=" + e.getKey()
                            + (Double.isNaN(x) ? "" : " (" + fmt(y * div) + ")"));
                    continue;
                }
                xy.add(new double[] {x, y, err});
            }
            if (xy.isEmpty()) {
                continue;
            }
            double[] xs = xy.stream().mapToDouble(a -> a[0]).toArray();
            double[] ys = xy.stream().mapToDouble(a -> a[1]).toArray();
            double[] es = new double[xy.size()];
            boolean hasError = false;
            for (int i = 0; i < es.length; i++) {
                double err = xy.get(i)[2];
                hasError |= !Double.isNaN(err) && err > 0;
                es[i] = Double.isNaN(err) ? 0 : spec.logY ? Math.min(err, ys[i] * 0.95) : err;
                xMin = Math.min(xMin, xs[i]);
                xMax = Math.max(xMax, xs[i]);
                yMax = Math.max(yMax, ys[i]);
                errTop = Math.max(errTop, ys[i] + es[i]);
                yMin = Math.min(yMin, ys[i]);
            }
            String label = s.getKey().label();
            XYSeries xs1 = hasError ? chart.addSeries(label, xs, ys, es) : chart.addSeries(label, xs, ys);
            int v = variants.get(s.getKey().variants());
            Color c = Palette.of(s.getKey().channel());
            xs1.setLineColor(c);
            xs1.setMarkerColor(c);
            xs1.setLineStyle(Palette.line(v));
            xs1.setMarker(Palette.marker(v));
            labels.add(label);
        }
        if (!dropped.isEmpty()) {
            log.accept(name + ": not drawable on " + (spec.logX || spec.logY ? "a log axis" : "this axis") + ": "
                    + String.join(", ", dropped));
        }
        if (labels.isEmpty()) {
            log.accept(name + ": nothing left to draw: chart skipped");
            return null;
        }
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setXAxisLogarithmicDecadeOnly(decadesOnly(xMin, xMax));
        chart.getStyler().setYAxisLogarithmicDecadeOnly(decadesOnly(yMin, yMax));
        double top = yMax;
        if (!spec.logY) {
            if (yMin >= 0) {
                chart.getStyler().setYAxisMin(0.0); // rates and shares start at zero
            }
            top = axisTop(yMax, errTop);
            if (top > 0) {
                chart.getStyler().setYAxisMax(top); // (XChart would stretch the axis to the widest error bar)
            }
            if (errTop > top) {
                notes.add(CUT_ERRORS);
            }
        }
        if (spec.markCores) {
            markCores(chart, spec, xMin, xMax, top, points, notes);
        }
        return new Drawn(name, chartTitle(spec, splitValue), chart, labels, notes);
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

    private Drawn barChart(ChartSpec spec, String splitValue, int groups, List<Point> points, List<String> notes) {
        String name = chartName(spec, splitValue, groups);
        double div = divisor(spec, points);
        Map<SeriesKey, Map<String, Point>> series = bySeries(spec, name, points);
        // categories: the x parameter's values, or one per series
        List<String> categories = new ArrayList<>();
        boolean perSeries = spec.x == null;
        if (perSeries) {
            series.keySet().forEach(k -> categories.add(k.label()));
        } else {
            Set<String> xs = new TreeSet<>(valueOrder(spec, spec.x));
            series.values().forEach(m -> xs.addAll(m.keySet()));
            categories.addAll(xs);
        }
        Map<SeriesKey, List<Double>> ys = new LinkedHashMap<>();
        Map<SeriesKey, List<Double>> errs = new LinkedHashMap<>();
        Set<String> dropped = new TreeSet<>();
        for (var s : series.entrySet()) {
            List<Double> y = new ArrayList<>();
            List<Double> e = new ArrayList<>();
            for (String cat : categories) {
                Point p = perSeries ? (cat.equals(s.getKey().label()) ? s.getValue().get("") : null) : s.getValue().get(cat);
                if (p != null && spec.logY && p.value() <= 0) {
                    dropped.add(s.getKey().label() + (perSeries ? "" : " at " + spec.x + "=" + cat) + " (" + fmt(p.value()) + ")");
                    p = null;
                }
                y.add(p == null ? null : p.value() / div);
                e.add(p == null ? null : p.error() / div);
            }
            ys.put(s.getKey(), y);
            errs.put(s.getKey(), e);
        }
        if (!dropped.isEmpty()) {
            log.accept(name + ": not drawable on a log axis: " + String.join(", ", dropped));
        }
        String xTitle = perSeries ? "" : spec.xLabel;
        return categoryChart(spec, name, chartTitle(spec, splitValue), xTitle, spec.y.axisTitle(div), categories,
                perSeries, ys, errs, notes);
    }

    /** Bars whose categories are the spec's fields: each series' value of each field. */
    private List<Drawn> renderFields(ChartSpec spec) {
        Map<String, Points> byField = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ChartSpec.Field f : spec.fields) {
            Points p = points(spec, f.source());
            if (p.points().isEmpty()) {
                problems.add(p.problem());
            } else {
                byField.put(f.label(), p);
            }
        }
        if (byField.isEmpty()) {
            log.accept(String.join("; ", new LinkedHashSet<>(problems)) + ": chart " + spec.name + " skipped");
            return List.of();
        }
        if (!problems.isEmpty()) {
            log.accept(spec.name + ": " + String.join("; ", new LinkedHashSet<>(problems)) + " (those bars left out)");
        }
        List<Point> all = new ArrayList<>();
        byField.values().forEach(p -> all.addAll(p.points()));
        Map<String, List<Point>> groups = split(spec, all);
        List<Drawn> drawn = new ArrayList<>();
        for (String splitValue : groups.keySet()) {
            String name = chartName(spec, splitValue, groups.size());
            List<Point> inGroup = groups.get(splitValue);
            double div = divisor(spec, inGroup);
            Set<SeriesKey> keys = new TreeSet<>(seriesOrder(spec));
            inGroup.forEach(p -> keys.add(key(spec, p.params())));
            List<String> categories = new ArrayList<>(byField.keySet());
            Map<SeriesKey, List<Double>> ys = new LinkedHashMap<>();
            Map<SeriesKey, List<Double>> errs = new LinkedHashMap<>();
            for (SeriesKey k : keys) {
                List<Double> y = new ArrayList<>();
                List<Double> e = new ArrayList<>();
                for (String field : categories) {
                    Point p = null;
                    for (Point q : byField.get(field).points()) {
                        String sv = spec.splitBy == null ? "" : q.params().getOrDefault(spec.splitBy, "");
                        if (sv.equals(splitValue) && key(spec, q.params()).equals(k)) {
                            p = q;
                            break;
                        }
                    }
                    boolean ok = p != null && !(spec.logY && p.value() <= 0);
                    y.add(ok ? p.value() / div : null);
                    e.add(ok ? p.error() / div : null);
                }
                ys.put(k, y);
                errs.put(k, e);
            }
            Drawn d = categoryChart(spec, name, chartTitle(spec, splitValue), spec.xLabel, spec.y.axisTitle(div),
                    categories, false, ys, errs, new ArrayList<>());
            if (d != null) {
                drawn.add(d);
            }
        }
        return drawn;
    }

    private Drawn categoryChart(ChartSpec spec, String name, String title, String xTitle, String yTitle,
                                List<String> categories, boolean overlapped, Map<SeriesKey, List<Double>> ys,
                                Map<SeriesKey, List<Double>> errs, List<String> notes) {
        ys.entrySet().removeIf(e -> e.getValue().stream().allMatch(Objects::isNull));
        if (ys.isEmpty() || categories.isEmpty()) {
            log.accept(name + ": nothing left to draw: chart skipped");
            return null;
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler(), title);
        chart.getStyler().setOverlapped(overlapped);
        chart.getStyler().setYAxisLogarithmic(spec.logY);
        chart.getStyler().setErrorBarsColor(new Color(0x303030));
        int longest = categories.stream().mapToInt(String::length).max().orElse(0);
        if (longest * categories.size() > 90) {
            chart.getStyler().setXAxisLabelRotation(longest > 16 ? 60 : 30);
        }
        if (spec.logY) {
            // XChart anchors bars at 0, which a log axis cannot show: start the axis a decade below the data
            double min = ys.values().stream().flatMap(List::stream).filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue).min().orElse(1);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
            double max = ys.values().stream().flatMap(List::stream).filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue).max().orElse(1);
            chart.getStyler().setYAxisLogarithmicDecadeOnly(decadesOnly(min, max));
        }
        // shades by a variant's rank within its competitor: a competitor with one variant keeps its colour
        Map<SeriesKey, Integer> shade = new LinkedHashMap<>();
        Map<String, Integer> perChannel = new TreeMap<>();
        for (SeriesKey k : ys.keySet()) { // already in series order
            shade.put(k, perChannel.merge(k.channel(), 1, Integer::sum) - 1);
        }
        if (overlapped) {
            chart.getStyler().setLegendVisible(false); // each bar is named on the x axis
        }
        List<String> labels = new ArrayList<>();
        List<BarErrors.Bar> errorBars = new ArrayList<>();
        for (var s : ys.entrySet()) {
            List<Double> y = s.getValue();
            List<Double> e = errs.get(s.getKey());
            String label = s.getKey().label();
            CategorySeries series = chart.addSeries(label, categories, y);
            series.setFillColor(Palette.shade(Palette.of(s.getKey().channel()), shade.get(s.getKey())));
            series.setLineColor(series.getFillColor());
            for (int i = 0; i < y.size() && !spec.logY; i++) {
                Double err = e.get(i);
                if (y.get(i) != null && err != null && !err.isNaN() && err > 0) {
                    errorBars.add(new BarErrors.Bar(i, labels.size(), y.get(i), err));
                }
            }
            labels.add(label);
        }
        if (!errorBars.isEmpty()) {
            double errTop = 0;
            for (BarErrors.Bar b : errorBars) {
                errTop = Math.max(errTop, b.value() + b.error());
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
            chart.addAnnotation(new BarErrors(errorBars, labels.size(), overlapped, top > dataMax ? top : Double.NaN));
        }
        return new Drawn(name, title, chart, labels, notes);
    }

    // ---------------------------------------------------------------- latency percentile plots

    /** Percentile level p (0..100) to the x position: log10(1 / (1 - p/100)). */
    static double percentileX(double p) {
        return Math.log10(1.0 / (1.0 - p / 100.0));
    }

    /** Tick label of an x position: "0%", "90%", "99%", "99.9%"... at whole decades, nothing between. */
    static String percentileLabel(double x) {
        double r = Math.rint(x);
        if (Math.abs(x - r) > 1e-6 || r < 0) {
            return " ";
        }
        int nines = (int) r;
        if (nines == 0) {
            return "0%";
        }
        if (nines == 1) {
            return "90%";
        }
        return "99" + (nines > 2 ? "." + "9".repeat(nines - 2) : "") + "%";
    }

    private List<Drawn> renderHdr(ChartSpec spec) {
        List<HdrLog> logs = data.hdrLogs(spec.scenario);
        if (logs.isEmpty()) {
            log.accept("no hdr/" + spec.scenario + "_*.hlog: chart " + spec.name + " skipped");
            return List.of();
        }
        List<Map<String, String>> params = new ArrayList<>();
        for (HdrLog l : logs) {
            params.add(l.params());
        }
        List<Integer> kept = filter(spec, params);
        List<HdrLog> chosen = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (int i : kept) {
            HdrLog l = logs.get(i);
            if (l.histogram() == null) {
                empty.add(l.file().getFileName().toString());
            } else {
                chosen.add(l);
            }
        }
        if (!empty.isEmpty()) {
            log.accept(spec.name + ": no histogram data in hdr/" + String.join(", hdr/", empty) + " (left out)");
        }
        if (chosen.isEmpty()) {
            log.accept("no hdr/" + spec.scenario + "_*.hlog with data " + describeFilter(spec) + ": chart "
                    + spec.name + " skipped");
            return List.of();
        }
        Map<String, List<HdrLog>> groups = new TreeMap<>(spec.splitBy == null ? Comparator.naturalOrder()
                : valueOrder(spec, spec.splitBy));
        for (HdrLog l : chosen) {
            groups.computeIfAbsent(spec.splitBy == null ? "" : l.params().getOrDefault(spec.splitBy, ""),
                    k -> new ArrayList<>()).add(l);
        }
        List<Drawn> drawn = new ArrayList<>();
        for (var g : groups.entrySet()) {
            String name = chartName(spec, g.getKey(), groups.size());
            String title = chartTitle(spec, g.getKey());
            XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                    .xAxisTitle("percentile").yAxisTitle("latency (µs)").build();
            style(chart.getStyler(), title);
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setxAxisTickLabelsFormattingFunction(ChartRenderer::percentileLabel);
            chart.getStyler().setMarkerSize(0);
            Map<SeriesKey, HdrLog> series = new TreeMap<>(seriesOrder(spec));
            Set<String> duplicates = new TreeSet<>();
            for (HdrLog l : g.getValue()) {
                if (series.putIfAbsent(key(spec, l.params()), l) != null) {
                    duplicates.add(l.file().getFileName().toString());
                }
            }
            if (!duplicates.isEmpty()) {
                log.accept(name + ": more than one log per series; left out " + String.join(", ", duplicates));
            }
            Map<List<String>, Integer> variants = variantIndex(spec, series.keySet());
            double maxX = 0;
            double minY = Double.POSITIVE_INFINITY;
            double maxY = 0;
            List<String> labels = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            for (var s : series.entrySet()) {
                double[][] curve = percentileCurve(s.getValue().histogram());
                maxX = Math.max(maxX, curve[0][curve[0].length - 1]);
                for (double y : curve[1]) {
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
                String label = s.getKey().label() + "  (" + String.format(Locale.ROOT, "%,d",
                        s.getValue().histogram().getTotalCount()) + " records)";
                XYSeries xs = chart.addSeries(label, curve[0], curve[1]);
                int v = variants.get(s.getKey().variants());
                Color c = Palette.of(s.getKey().channel());
                xs.setLineColor(c);
                xs.setMarkerColor(c);
                xs.setLineStyle(Palette.line(v));
                xs.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
                labels.add(label);
            }
            chart.getStyler().setYAxisLogarithmicDecadeOnly(decadesOnly(minY, maxY));
            chart.getStyler().setXAxisMin(0.0);
            chart.getStyler().setXAxisMax(Math.max(1.0, Math.ceil(maxX)));
            notes.add("x: percentile on a 1/(1-p) log scale (HdrHistogram style); each curve ends at its maximum.");
            drawn.add(new Drawn(name, title, chart, labels, notes));
        }
        return drawn;
    }

    /**
     * The percentile distribution of a histogram as {x, y in µs}: HdrHistogram's percentile iteration
     * (5 ticks per half distance), then the maximum at x = log10(count), where 1/(1-p) = count.
     */
    static double[][] percentileCurve(Histogram h) {
        List<double[]> pts = new ArrayList<>();
        double lastX = 0;
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            if (p >= 100.0) {
                break;
            }
            double x = percentileX(p);
            pts.add(new double[] {x, Math.max(v.getValueIteratedTo(), 1) / 1000.0});
            lastX = x;
        }
        double maxX = Math.max(lastX, Math.log10(Math.max(1, h.getTotalCount())));
        pts.add(new double[] {maxX, Math.max(h.getMaxValue(), 1) / 1000.0});
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            out[0][i] = pts.get(i)[0];
            out[1][i] = pts.get(i)[1];
        }
        return out;
    }

    // ---------------------------------------------------------------- style

    /** The title font: 16 pt bold, smaller (down to 11 pt) when the title would not fit the chart's width. */
    static Font titleFont(String title) {
        java.awt.image.BufferedImage scratch = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = scratch.createGraphics();
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

    static void style(AxesChartStyler s, String title) {
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

    static final String CUT_ERRORS = "Error bars that would reach beyond 1.5 times the largest value are cut "
            + "at the top of the plot (no cap).";

    /**
     * The top of a linear y axis: the largest error bar's top, but no more than 1.5 times the largest
     * value (JMH's 99.9 % interval over three iterations can be many times the score; the values
     * should stay readable).
     */
    static double axisTop(double dataMax, double errTop) {
        return Math.max(dataMax, Math.min(errTop, dataMax * 1.5));
    }

    /** Log axes label only 1, 10, 100... when the data spans a factor of 20 or more (else 2..9 too, which crowd). */
    static boolean decadesOnly(double min, double max) {
        return min > 0 && max / min >= 20;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 || v == Math.rint(v) ? "%,.0f" : "%.3g", v);
    }
}
