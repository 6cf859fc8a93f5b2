package dev.ringbench.benches.charts;

import dev.ringbench.benches.charts.PointReader.Point;
import dev.ringbench.benches.charts.PointReader.Points;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns a {@link ChartSpec} and a {@link RunData} into XChart charts (one per value of the spec's
 * split parameter), or into the reason it cannot. The entry to rendering: it reads the spec's
 * points ({@link PointReader}), groups them ({@link Split}) and hands each group to the builder of
 * the spec's kind ({@link LineChart}, {@link BarChart}, {@link PercentilePlot}). Pure: no files are
 * written here ({@link ChartWriter} does that), and the same data always gives the same charts in
 * the same order.
 */
final class ChartRenderer {
    /** Width of every chart ({@link Style#WIDTH}). */
    static final int WIDTH = Style.WIDTH;
    /** Height of every chart without its caption ({@link Style#HEIGHT}). */
    static final int HEIGHT = Style.HEIGHT;

    private final Consumer<String> log;
    private final PointReader reader;
    private final LineChart lines;
    private final BarChart bars;
    private final PercentilePlot percentiles;

    /** @param log receives one line per problem (what is missing, what was used instead) */
    ChartRenderer(RunData data, Consumer<String> log) {
        this.log = log;
        this.reader = new PointReader(data, log);
        this.lines = new LineChart(data, log);
        this.bars = new BarChart(log);
        this.percentiles = new PercentilePlot(data, log);
    }

    /** The charts of one spec; empty (after a message naming what is missing) when there is nothing to draw. */
    List<Drawn> render(ChartSpec spec) {
        return switch (spec.kind) {
            case LINES, BARS -> spec.fields.isEmpty() ? renderMetric(spec) : renderFields(spec);
            case HDR -> percentiles.render(spec);
        };
    }

    /** {@link PercentilePlot#percentileX}. */
    static double percentileX(double p) {
        return PercentilePlot.percentileX(p);
    }

    /** {@link PercentilePlot#percentileLabel}. */
    static String percentileLabel(double x) {
        return PercentilePlot.percentileLabel(x);
    }

    /** Lines or bars of the spec's y quantity, from the first of its sources that has data. */
    private List<Drawn> renderMetric(ChartSpec spec) {
        Points pts = reader.firstPoints(spec, spec.y.sources());
        if (pts.points().isEmpty()) {
            log.accept(pts.problem() + ": chart " + spec.name + " skipped");
            return List.of();
        }
        Map<String, List<Point>> groups = Split.groups(spec, pts.points());
        List<Drawn> drawn = new ArrayList<>();
        for (var g : groups.entrySet()) {
            List<String> notes = new ArrayList<>();
            if (!pts.source().equals(spec.y.sources().get(0).describe(spec.scenario))) {
                notes.add("Values from " + pts.source() + ".");
            }
            Drawn d = spec.kind == ChartSpec.Kind.LINES
                    ? lines.build(spec, g.getKey(), groups.size(), g.getValue(), notes)
                    : bars.build(spec, g.getKey(), groups.size(), g.getValue(), notes);
            if (d != null) {
                drawn.add(d);
            }
        }
        return drawn;
    }

    /** Bars whose categories are the spec's fields; fields without data are left out (a message says so). */
    private List<Drawn> renderFields(ChartSpec spec) {
        Map<String, Points> byField = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ChartSpec.Field f : spec.fields) {
            Points p = reader.points(spec, f.source());
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
        return bars.fieldBars(spec, byField);
    }
}
