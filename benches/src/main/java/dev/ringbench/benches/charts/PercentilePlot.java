package dev.ringbench.benches.charts;

import dev.ringbench.benches.charts.RunData.HdrLog;
import dev.ringbench.benches.charts.SeriesOrder.SeriesKey;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import static dev.ringbench.benches.charts.Style.HEIGHT;
import static dev.ringbench.benches.charts.Style.WIDTH;

/**
 * Builds {@link ChartSpec.Kind#HDR} charts: latency percentile distributions from a scenario's
 * HdrHistogram logs ({@code hdr/<scenario>_*.hlog}), x = percentile on a 1/(1-p) log scale
 * (HdrHistogram's plots), y = latency in µs on a log axis. One curve per series (one log each: a
 * second log of a series is left out with a log line), a competitor's colour from {@link Palette},
 * a variant's line style by its rank; one chart per split value.
 *
 * <p><b>Saturated runs.</b> Where the scenario's JMH JSON has a {@code saturated} secondary metric
 * (0 or 1 per iteration: the iteration delivered less than {@link #SATURATION_DELIVERED} of the
 * records due), a series with a saturated
 * iteration is labelled so in the legend and named in the caption. Older runs without it are
 * judged from their delivered records per second ({@code hits}, per iteration) against the
 * offered {@code ratePerSecond}, and the caption says so.
 */
final class PercentilePlot {
    /**
     * The latency scenario's saturation rule ({@code support.LatencyAccount.SATURATION_DELIVERED},
     * which this package may not use; a test keeps the two equal): for the caption, and to judge
     * runs saved before they reported {@code saturated}.
     */
    static final double SATURATION_DELIVERED = 0.99;

    private final RunData data;
    private final Consumer<String> log;

    /** @param log receives one line per problem (logs missing, empty or left out) */
    PercentilePlot(RunData data, Consumer<String> log) {
        this.data = data;
        this.log = log;
    }

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

    /** The charts of one spec; empty (after a log line naming what is missing) when no log has data. */
    List<Drawn> render(ChartSpec spec) {
        List<HdrLog> chosen = logsWithData(spec);
        if (chosen.isEmpty()) {
            return List.of();
        }
        Map<String, List<HdrLog>> groups = new TreeMap<>(spec.splitBy == null ? Comparator.naturalOrder()
                : SeriesOrder.valueOrder(spec, spec.splitBy));
        for (HdrLog l : chosen) {
            groups.computeIfAbsent(Split.value(spec, l.params()), k -> new ArrayList<>()).add(l);
        }
        List<Drawn> drawn = new ArrayList<>();
        for (var g : groups.entrySet()) {
            drawn.add(plot(spec, Split.chartName(spec, g.getKey(), groups.size()), Split.chartTitle(spec, g.getKey()),
                    g.getValue()));
        }
        return drawn;
    }

    /** The spec's logs that pass its filters and hold a histogram, in their order; logs the others. */
    private List<HdrLog> logsWithData(ChartSpec spec) {
        List<HdrLog> logs = data.hdrLogs(spec.scenario);
        if (logs.isEmpty()) {
            log.accept("no hdr/" + spec.scenario + "_*.hlog: chart " + spec.name + " skipped");
            return List.of();
        }
        List<Map<String, String>> params = new ArrayList<>();
        for (HdrLog l : logs) {
            params.add(l.params());
        }
        List<HdrLog> chosen = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (int i : PointReader.filter(spec, params)) {
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
            log.accept("no hdr/" + spec.scenario + "_*.hlog with data " + PointReader.describeFilter(spec) + ": chart "
                    + spec.name + " skipped");
        }
        return chosen;
    }

    /** One chart of the logs of one split group. */
    private Drawn plot(ChartSpec spec, String name, String title, List<HdrLog> logs) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("percentile").yAxisTitle("latency (µs)").build();
        Style.apply(chart.getStyler(), title);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(PercentilePlot::percentileLabel);
        chart.getStyler().setMarkerSize(0);
        Map<SeriesKey, HdrLog> series = bySeries(spec, name, logs);
        Map<List<String>, Integer> variants = SeriesOrder.variantIndex(spec, series.keySet());
        double maxX = 0;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = 0;
        List<String> labels = new ArrayList<>();
        List<String> saturated = new ArrayList<>();
        boolean judgedFromRate = false;
        for (var s : series.entrySet()) {
            Saturation sat = saturation(spec, s.getValue());
            double[][] curve = percentileCurve(s.getValue().histogram());
            maxX = Math.max(maxX, curve[0][curve[0].length - 1]);
            for (double y : curve[1]) {
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
            String label = s.getKey().label() + "  (" + String.format(Locale.ROOT, "%,d",
                    s.getValue().histogram().getTotalCount()) + " records"
                    + (sat != null && sat.saturated() > 0 ? "; SATURATED " + sat.saturated() + "/" + sat.iterations() : "")
                    + ")";
            if (sat != null && sat.saturated() > 0) {
                saturated.add(s.getKey().label() + " (" + sat.saturated() + " of " + sat.iterations() + " iterations)");
                judgedFromRate |= sat.fromRate();
            }
            XYSeries xs = chart.addSeries(label, curve[0], curve[1]);
            Color c = Palette.of(s.getKey().channel());
            xs.setLineColor(c);
            xs.setMarkerColor(c);
            xs.setLineStyle(Palette.line(variants.get(s.getKey().variants())));
            xs.setMarker(SeriesMarkers.NONE);
            labels.add(label);
        }
        chart.getStyler().setYAxisLogarithmicDecadeOnly(Axes.decadesOnly(minY, maxY));
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(Math.max(1.0, Math.ceil(maxX)));
        List<String> notes = new ArrayList<>();
        notes.add("x: percentile on a 1/(1-p) log scale (HdrHistogram style); each curve ends at its maximum.");
        if (!saturated.isEmpty()) {
            notes.add("SATURATED, delivered less than " + Math.round(SATURATION_DELIVERED * 100)
                    + " % of the records due" + (judgedFromRate ? " (this older run: judged from delivered/s against "
                    + "the offered rate)" : "") + ", their curves show only what got through: "
                    + String.join(", ", saturated) + ".");
        }
        return new Drawn(name, title, chart, labels, notes);
    }

    /** How many of a series' measured iterations were saturated; {@code fromRate}: judged from delivered/s. */
    record Saturation(int saturated, int iterations, boolean fromRate) {
    }

    /**
     * The saturation of the JMH result whose parameters match the log's, or null when there is no
     * such result or it says nothing about saturation.
     */
    private Saturation saturation(ChartSpec spec, HdrLog l) {
        RunData.Result match = null;
        String channel = l.params().get("channel");
        for (RunData.Result r : data.results(spec.scenario).orElse(List.of())) {
            boolean same = channel != null && channel.equals(r.params().get("channel"));
            for (var p : r.params().entrySet()) {
                String v = l.params().get(p.getKey()); // absent from the log: the pseudo-parameter benchmark
                same &= v == null || v.equals(p.getValue());
            }
            if (same) {
                match = r;
                break;
            }
        }
        return match == null ? null : saturation(match);
    }

    /** From the {@code saturated} metric (0/1 per iteration), else from {@code hits} per iteration against {@code ratePerSecond}. */
    static Saturation saturation(RunData.Result r) {
        RunData.Metric flag = r.metric("saturated");
        if (flag != null && flag.raw().length > 0) {
            int n = 0;
            for (double v : flag.raw()) {
                n += v > 0.5 ? 1 : 0;
            }
            return new Saturation(n, flag.raw().length, false);
        }
        RunData.Metric hits = r.metric("hits");
        String rate = r.params().get("ratePerSecond");
        if (hits == null || hits.raw().length == 0 || rate == null) {
            return null;
        }
        double offered = Double.parseDouble(rate);
        int n = 0;
        for (double v : hits.raw()) {
            n += v < SATURATION_DELIVERED * offered ? 1 : 0;
        }
        return new Saturation(n, hits.raw().length, true);
    }

    /** The logs by series, in series order; the first log of a series wins, a log line names the others. */
    private Map<SeriesKey, HdrLog> bySeries(ChartSpec spec, String name, List<HdrLog> logs) {
        Map<SeriesKey, HdrLog> series = new TreeMap<>(SeriesOrder.of(spec));
        Set<String> duplicates = new TreeSet<>();
        for (HdrLog l : logs) {
            if (series.putIfAbsent(SeriesOrder.key(spec, l.params()), l) != null) {
                duplicates.add(l.file().getFileName().toString());
            }
        }
        if (!duplicates.isEmpty()) {
            log.accept(name + ": more than one log per series; left out " + String.join(", ", duplicates));
        }
        return series;
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
}
