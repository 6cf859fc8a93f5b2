package dev.ringbench.benches.charts;

import dev.ringbench.benches.suite.Scenario;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The charts of every scenario, in scenario order: each scenario class declares its own as a
 * {@code public static final List<ChartSpec> CHARTS} beside its JMH code (scenario id, chart name,
 * which is the file name in {@code charts/}, the metric on y: a JMH metric by name, a ratio of two,
 * or, for runs written before the side metrics went into the JMH JSON, a number from an extra
 * result file; the parameter on x, and the parameters that split a competitor's series). Metric
 * names are those the scenario classes report; a name that is not in the results makes the chart
 * skip with a message.
 */
final class ChartSpecs {
    private ChartSpecs() {
    }

    static final List<ChartSpec> ALL = collect();

    private static List<ChartSpec> collect() {
        List<ChartSpec> all = new ArrayList<>();
        for (Scenario s : Scenario.values()) {
            Field f;
            try {
                f = s.type().getField("CHARTS");
            } catch (NoSuchFieldException e) {
                continue; // a scenario without charts of its own: its JSON gets the generic chart
            }
            if (!Modifier.isStatic(f.getModifiers()) || !List.class.isAssignableFrom(f.getType())) {
                throw new IllegalStateException(s.benchmarkClass() + ".CHARTS is not a static List<ChartSpec>");
            }
            try {
                for (Object o : (List<?>) f.get(null)) {
                    ChartSpec spec = (ChartSpec) o;
                    if (!spec.scenario.equals(s.id())) {
                        throw new IllegalStateException(s.benchmarkClass() + ".CHARTS: chart " + spec.name
                                + " is of scenario " + spec.scenario + ", not " + s.id());
                    }
                    all.add(spec);
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return List.copyOf(all);
    }
}
