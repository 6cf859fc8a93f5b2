package dev.ringbench.benches.charts;

import dev.ringbench.benches.charts.PointReader.Point;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import static dev.ringbench.benches.charts.PointReader.parse;

/**
 * Which series a result belongs to, and the order of series and of parameter values: competitors
 * in {@link Kinds} order (unknown names after, by name), then each variant parameter's values by
 * the spec's {@link ChartSpec#order} prefixes, then as numbers, then as text. The same data always
 * gives the same order, which keeps colours, legends and files stable.
 */
final class SeriesOrder {
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

    private SeriesOrder() {
    }

    /** The series of a result's parameters: its channel ("?" if none) and its variant values ("-" if absent). */
    static SeriesKey key(ChartSpec spec, Map<String, String> params) {
        List<String> v = new ArrayList<>();
        for (String p : spec.variants) {
            v.add(params.getOrDefault(p, "-"));
        }
        return new SeriesKey(params.getOrDefault("channel", "?"), v, spec.variants);
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

    /** The order of a spec's series: by competitor, then by each variant's {@link #valueOrder}. */
    static Comparator<SeriesKey> of(ChartSpec spec) {
        Comparator<SeriesKey> c = Comparator.comparingInt((SeriesKey k) -> Kinds.rank(k.channel()))
                .thenComparing(SeriesKey::channel);
        for (int i = 0; i < spec.variants.size(); i++) {
            int idx = i;
            Comparator<String> vo = valueOrder(spec, spec.variants.get(i));
            c = c.thenComparing(k -> k.variants().get(idx), vo);
        }
        return c;
    }

    /** Variant index of a series: its variant values' position among all variant tuples of the chart. */
    static Map<List<String>, Integer> variantIndex(ChartSpec spec, Set<SeriesKey> keys) {
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

    /**
     * Points by series, then by x value (the spec's x parameter, "" without one), both in order. The
     * first point wins when two results map to one place; one log line names those places.
     */
    static Map<SeriesKey, Map<String, Point>> bySeries(ChartSpec spec, String chart, List<Point> points,
                                                       Consumer<String> log) {
        Map<SeriesKey, Map<String, Point>> series = new TreeMap<>(of(spec));
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
}
