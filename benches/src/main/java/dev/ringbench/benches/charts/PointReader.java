package dev.ringbench.benches.charts;

import dev.ringbench.benches.charts.ChartSpec.ExtraField;
import dev.ringbench.benches.charts.ChartSpec.Jmh;
import dev.ringbench.benches.charts.ChartSpec.JmhRatio;
import dev.ringbench.benches.charts.ChartSpec.Source;
import dev.ringbench.benches.charts.RunData.Extra;
import dev.ringbench.benches.charts.RunData.Metric;
import dev.ringbench.benches.charts.RunData.Result;
import dev.ringbench.benches.stats.Stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Data extraction: the values a chart plots, read from a {@link RunData} for a spec's
 * {@link Source}s and filters. Knows nothing of drawing. When a source gives no points the result
 * says why ({@link Points#problem()}); lesser problems (a metric absent for some competitors, a
 * fallback source used) go to the log as one line each.
 */
final class PointReader {
    /**
     * One value to plot, with the parameters of the result it came from and its spread: the low and
     * high ends of the error bar (both NaN: none), the interquartile range of a JMH metric's samples.
     */
    record Point(Map<String, String> params, double value, double low, double high) {
        /** A value without an error bar. */
        Point(Map<String, String> params, double value) {
            this(params, value, Double.NaN, Double.NaN);
        }

        /** Whether it has an error bar of some height. */
        boolean hasSpread() {
            return !Double.isNaN(low) && !Double.isNaN(high) && high > low;
        }
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
    PointReader(RunData data, Consumer<String> log) {
        this.data = data;
        this.log = log;
    }

    /** The points of the first source that has any, after a message for each that had none. */
    Points firstPoints(ChartSpec spec, List<Source> sources) {
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

    /** The points of one source, filtered by the spec; none, with the reason, when it has none. */
    Points points(ChartSpec spec, Source source) {
        return switch (source) {
            case Jmh j -> jmhPoints(spec, source, r -> values(r.metric(j.metric()), j.scale()), List.of(j.metric()));
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
                    return new double[] {den == 0 ? Double.NaN : num.value() / den * q.scale(), Double.NaN, Double.NaN};
                }, names);
            }
            case ExtraField e -> extraPoints(spec, e);
        };
    }

    /**
     * A JMH metric's point as {value, low, high}, times {@code scale}: the median of its samples
     * (every iteration of every fork) and their interquartile range ({@link Stats}); without raw
     * samples, JMH's score and no error bar. Null when the metric is absent.
     */
    static double[] values(Metric m, double scale) {
        if (m == null) {
            return null;
        }
        Stats s = m.stats();
        if (s == null) {
            return new double[] {m.value() * scale, Double.NaN, Double.NaN};
        }
        double a = s.q1() * scale;
        double b = s.q3() * scale;
        return new double[] {s.median() * scale, Math.min(a, b), Math.max(a, b)};
    }

    private Points jmhPoints(ChartSpec spec, Source source, Function<Result, double[]> value,
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
                points.add(new Point(r.params(), v[0], v[1], v[2]));
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
                points.add(new Point(all.get(i).params(), v * e.scale()));
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
    static List<Integer> filter(ChartSpec spec, List<Map<String, String>> params) {
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

    /** The spec's filters for a message: "for benchmark a or b, channel in [..], k=v", or "" without filters. */
    static String describeFilter(ChartSpec spec) {
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

    /** A parameter value as a number; NaN when it is null or not a number. */
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
}
