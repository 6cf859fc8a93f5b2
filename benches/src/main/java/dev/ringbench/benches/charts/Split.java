package dev.ringbench.benches.charts;

import dev.ringbench.benches.charts.PointReader.Point;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One chart per value of a spec's {@link ChartSpec#splitBy} parameter: the grouping of points by
 * that value, and each chart's file name and title. Pure functions.
 */
final class Split {
    private Split() {
    }

    /** The points grouped by split value (one group, key "", when the spec does not split or the parameter is absent). */
    static Map<String, List<Point>> groups(ChartSpec spec, List<Point> points) {
        Map<String, List<Point>> groups = new TreeMap<>(spec.splitBy == null ? Comparator.naturalOrder()
                : SeriesOrder.valueOrder(spec, spec.splitBy));
        for (Point p : points) {
            groups.computeIfAbsent(value(spec, p.params()), k -> new ArrayList<>()).add(p);
        }
        return groups;
    }

    /** The split value of a result's parameters: "" when the spec does not split or the parameter is absent. */
    static String value(ChartSpec spec, Map<String, String> params) {
        return spec.splitBy == null ? "" : params.getOrDefault(spec.splitBy, "");
    }

    /** The file name stem: the spec's name, {@code <name>-<value>} when there are several groups. */
    static String chartName(ChartSpec spec, String splitValue, int groups) {
        if (groups <= 1 || splitValue.isEmpty()) {
            return spec.name;
        }
        return spec.name + "-" + splitValue.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    /** The title: the spec's title, followed by the split value when there is one. */
    static String chartTitle(ChartSpec spec, String splitValue) {
        if (splitValue.isEmpty()) {
            return spec.title;
        }
        if ("ratePerSecond".equals(spec.splitBy)) {
            return spec.title + ", " + String.format(Locale.ROOT, "%,d", (long) PointReader.parse(splitValue))
                    + " records/s offered";
        }
        return spec.title + " (" + spec.splitBy + " = " + splitValue + ")";
    }
}
