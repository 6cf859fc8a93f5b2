package dev.ringbench.benches.support;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-iteration numbers a scenario measures beside JMH's rates (ratios, percentiles, CPU time per
 * record): a scenario reports each once per iteration, from a {@code @TearDown(Level.Iteration)},
 * and {@link SideMetricsProfiler} hands them to JMH after the iteration, which puts them in the
 * JMH JSON's {@code secondaryMetrics}: {@code rawData} one value per iteration and fork, the score
 * the mean over iterations (not a sum, as JMH would give an EVENTS counter). A value that is not
 * finite (a ratio over zero records) is not reported: that iteration has no value.
 *
 * <p>Values live in the forked benchmark JVM until the profiler takes them; without the profiler
 * (a JMH run without {@code -prof dev.ringbench.benches.support.SideMetricsProfiler}) they are
 * dropped at the next iteration. {@code java -jar benches.jar run} and {@code jmh} add it.
 */
public final class SideMetrics {
    /** One reported number and its unit. */
    public record Value(double value, String unit) {
    }

    private static final Map<String, Value> CURRENT = new LinkedHashMap<>();

    private SideMetrics() {
    }

    /** Reports {@code name} for the current iteration (a second report of the name replaces the first). */
    public static void report(String name, double value, String unit) {
        if (!Double.isFinite(value)) {
            return;
        }
        synchronized (CURRENT) {
            CURRENT.put(name, new Value(value, unit));
        }
    }

    /** {@code numerator / denominator * scale}, reported only when the denominator is not 0. */
    public static void reportRatio(String name, double numerator, double denominator, double scale, String unit) {
        if (denominator != 0) {
            report(name, numerator / denominator * scale, unit);
        }
    }

    /** Forgets what was reported (before an iteration). */
    static void clear() {
        synchronized (CURRENT) {
            CURRENT.clear();
        }
    }

    /** What was reported since the last call, in reporting order; forgets it. */
    static Map<String, Value> take() {
        synchronized (CURRENT) {
            Map<String, Value> m = new LinkedHashMap<>(CURRENT);
            CURRENT.clear();
            return m;
        }
    }
}
