package dev.ringbench.benches.charts;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parity report's two charts, in the suite's look ({@link Style}) and written with a caption
 * by {@link ChartWriter}: measured rows beside the kernel's published 2020 numbers as
 * bars on a log axis, and the two sample-rate sweeps as lines. Series are named by the caller
 * (published, live kernel, port, ...) and keep its order; null values are gaps.
 */
public final class ParityChart {
    /** The log axis starts no lower than this (M records/s); smaller values are left out, and the caption says so. */
    static final double FLOOR = 0.001;
    private static final Color[] SERIES = {new Color(0x9E9E9E), new Color(0x1F5FA8), new Color(0xD1495B),
            new Color(0xF4A259), new Color(0x5B8E7D), new Color(0x7B5EA7)};

    private ParityChart() {
    }

    /** Grouped bars, one group per row, log y; returns the PNG's path. */
    public static Path bars(Path dir, String name, String title, List<String> rows, Map<String, List<Double>> series,
                            List<String> caption) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(Style.WIDTH).height(Style.HEIGHT)
                .title(title).xAxisTitle("row of run_bench_ringbufs.sh").yAxisTitle("M records/s (log)").build();
        Style.apply(chart.getStyler(), title);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisLabelRotation(60);
        double min = series.values().stream().flatMap(List::stream).filter(Objects::nonNull)
                .filter(v -> v >= FLOOR).mapToDouble(Double::doubleValue).min().orElse(0.01);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        List<String> cap = new ArrayList<>(caption);
        if (series.values().stream().flatMap(List::stream).anyMatch(v -> v != null && v > 0 && v < FLOOR)) {
            cap.add("Rows below " + FLOOR + " M records/s are not drawn (see parity.txt).");
        }
        List<String> labels = new ArrayList<>();
        int i = 0;
        for (var e : series.entrySet()) {
            List<Double> ys = e.getValue().stream().map(v -> v == null || v < FLOOR ? null : v).toList();
            if (ys.stream().allMatch(Objects::isNull)) {
                continue;
            }
            CategorySeries s = chart.addSeries(e.getKey(), rows, ys);
            s.setFillColor(SERIES[i++ % SERIES.length]);
            s.setLineColor(s.getFillColor());
            labels.add(e.getKey());
        }
        return new ChartWriter(dir).write(new Drawn(name, title, chart, labels, List.of()), cap);
    }

    /** Lines over a log x axis (the sample rate); returns the PNG's path. */
    public static Path lines(Path dir, String name, String title, String xTitle, List<Double> xs,
                             Map<String, List<Double>> series, List<String> caption) throws IOException {
        XYChart chart = new XYChartBuilder().width(Style.WIDTH).height(Style.HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle("M records/s").build();
        Style.apply(chart.getStyler(), title);
        chart.getStyler().setXAxisLogarithmic(true);
        List<String> labels = new ArrayList<>();
        int i = 0;
        for (var e : series.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int k = 0; k < xs.size(); k++) {
                Double v = e.getValue().get(k);
                if (v != null && v > 0) {
                    x.add(xs.get(k));
                    y.add(v);
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            Color c = SERIES[i % SERIES.length];
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(e.getKey().startsWith("published") ? Palette.line(1) : Palette.line(0));
            i++;
            labels.add(e.getKey());
        }
        return new ChartWriter(dir).write(new Drawn(name, title, chart, labels, List.of()), caption);
    }
}
