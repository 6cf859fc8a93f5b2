package dev.ringbench.benches.charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One chart, declared: which scenario's results, which metric on y, what on x, how series are
 * formed. Each scenario declares its own beside its JMH class ({@code CHARTS}); {@link ChartSpecs}
 * collects them; {@link ChartRenderer} draws them. Built fluently:
 * {@code ChartSpec.lines("contention", "contention-throughput", "...").x("producers", "producer threads").y(...)}.
 *
 * <p>Series are always one per competitor ({@code channel} parameter), split further by the
 * {@link #variants} parameters (a lock era, an API, a strategy): a competitor keeps its colour, a
 * variant gets a line style (lines) or a shade (bars).
 */
public final class ChartSpec {
    /** The pseudo-parameter that names a result's JMH benchmark method (or group), for {@link #x} and {@link #order}. */
    public static final String BENCHMARK = RunData.BENCHMARK;

    /**
     * What a chart of JMH metrics shows ({@link dev.ringbench.benches.stats.Stats}): every chart drawn
     * from a JMH source says it in its caption ({@link Captions}), whether its spec's note holds it or not.
     */
    public static final String STATISTICS = "Values: median of every measured iteration of every fork; error bars: "
            + "the interquartile range (25th-75th percentile) of those samples.";

    /** The note scenarios append to a chart with error bars: now {@link #STATISTICS} (the name is older). */
    public static final String JMH_ERROR = STATISTICS;

    /** How the chart is drawn. */
    enum Kind {
        /** Numeric x from a parameter (XY chart), lines with markers and error bars (the samples' spread). */
        LINES,
        /**
         * Bars (category chart): categories are the values of the x parameter, or the y fields
         * ({@link #fields}), or (no x) one category per series.
         */
        BARS,
        /** Latency percentile distribution from HdrHistogram logs, x = 1/(1-p) on a log scale. */
        HDR
    }

    /** Where a y value comes from. */
    public sealed interface Source permits Jmh, JmhRatio, ExtraField {
        /** A short description for messages. */
        String describe(String scenario);
    }

    /** A JMH metric ({@code "primary"} or a secondary metric's name), times {@code scale}: median and spread. */
    public record Jmh(String metric, double scale) implements Source {
        @Override
        public String describe(String scenario) {
            return "metric '" + metric + "' in " + scenario + ".json";
        }
    }

    /** {@code numerator / (sum of denominators) * scale} of JMH metrics' medians (no error bars). */
    public record JmhRatio(String numerator, List<String> denominators, double scale) implements Source {
        @Override
        public String describe(String scenario) {
            return "metrics '" + numerator + "' / " + denominators + " in " + scenario + ".json";
        }
    }

    /** A number in the extra file {@code <scenario>-<what>.json} of an older run, times {@code scale}. */
    public record ExtraField(String what, String field, double scale) implements Source {
        @Override
        public String describe(String scenario) {
            return "'" + field + "' in " + scenario + "-" + what + ".json";
        }
    }

    /** A y quantity: axis label, unit, and the sources to try in order (the first that has data wins). */
    record Y(String label, String unit, boolean autoScale, List<Source> sources) {
        /** The axis title for a scale divisor (1, 1e3, 1e6, 1e9). */
        String axisTitle(double divisor) {
            String prefix = divisor >= 1e9 ? "billion " : divisor >= 1e6 ? "million " : divisor >= 1e3 ? "thousand " : "";
            return label + (unit.isEmpty() ? "" : " (" + prefix + unit + ")");
        }
    }

    /** One bar category of a {@link Kind#BARS} chart whose categories are quantities. */
    record Field(String label, Source source) {
    }

    final String scenario;
    final String name;
    final String title;
    final Kind kind;
    Set<String> benchmarks;
    final Map<String, String> where = new LinkedHashMap<>();
    final Map<String, String> whereNot = new LinkedHashMap<>();
    String atMaxOf;
    Set<String> channels;
    String x;
    String xLabel = "";
    boolean logX;
    boolean logY;
    boolean markCores;
    Y y;
    final List<Field> fields = new ArrayList<>();
    final List<String> variants = new ArrayList<>();
    String splitBy;
    final Map<String, List<String>> order = new LinkedHashMap<>();
    String note;

    private ChartSpec(Kind kind, String scenario, String name, String title) {
        this.kind = kind;
        this.scenario = scenario;
        this.name = name;
        this.title = title;
    }

    public static ChartSpec lines(String scenario, String name, String title) {
        return new ChartSpec(Kind.LINES, scenario, name, title);
    }

    public static ChartSpec bars(String scenario, String name, String title) {
        return new ChartSpec(Kind.BARS, scenario, name, title);
    }

    public static ChartSpec hdr(String scenario, String name, String title) {
        return new ChartSpec(Kind.HDR, scenario, name, title);
    }

    /** Only results of these JMH benchmark methods or groups (the part after the class name). */
    public ChartSpec benchmark(String... names) {
        this.benchmarks = new java.util.LinkedHashSet<>(List.of(names));
        return this;
    }

    /** Only results whose parameter {@code param} equals {@code value}. */
    public ChartSpec where(String param, String value) {
        where.put(param, value);
        return this;
    }

    /** Only results whose parameter {@code param} is not {@code value}. */
    public ChartSpec whereNot(String param, String value) {
        whereNot.put(param, value);
        return this;
    }

    /** Only results at the largest value of {@code param} present. */
    public ChartSpec atMaxOf(String param) {
        this.atMaxOf = param;
        return this;
    }

    /** Only these competitors. */
    public ChartSpec channels(String... names) {
        this.channels = Set.of(names);
        return this;
    }

    /** The x axis: a parameter, and its title with unit. */
    public ChartSpec x(String param, String label) {
        this.x = param;
        this.xLabel = label;
        return this;
    }

    public ChartSpec logX() {
        this.logX = true;
        return this;
    }

    public ChartSpec logY() {
        this.logY = true;
        return this;
    }

    /** Mark the x values (producer counts) at which producers and the consumer outnumber the machine's cores. */
    public ChartSpec markCores() {
        this.markCores = true;
        return this;
    }

    public ChartSpec y(String label, String unit, Source... sources) {
        this.y = new Y(label, unit, false, List.of(sources));
        return this;
    }

    /** A y quantity whose values are scaled to thousands/millions/billions for readable ticks. */
    public ChartSpec yRate(String label, String unit, Source... sources) {
        this.y = new Y(label, unit, true, List.of(sources));
        return this;
    }

    /** Bars: one category per field (x axis titled {@code xLabel}). */
    public ChartSpec field(String label, Source source) {
        fields.add(new Field(label, source));
        return this;
    }

    /** Series per competitor and per value of these parameters. */
    public ChartSpec variants(String... params) {
        variants.addAll(List.of(params));
        return this;
    }

    /** One chart per value of this parameter (named {@code <name>-<value>} when there are several). */
    public ChartSpec splitBy(String param) {
        this.splitBy = param;
        return this;
    }

    /** The order of a parameter's values (by prefix, before {@code :N}); others follow, sorted. */
    public ChartSpec order(String param, String... prefixes) {
        order.put(param, List.of(prefixes));
        return this;
    }

    /** A sentence for the caption: what to read, what the chart does not show. */
    public ChartSpec note(String text) {
        this.note = text;
        return this;
    }

    public static Jmh jmh(String metric) {
        return new Jmh(metric, 1);
    }

    public static Jmh jmh(String metric, double scale) {
        return new Jmh(metric, scale);
    }

    public static JmhRatio ratio(String numerator, double scale, String... denominators) {
        return new JmhRatio(numerator, List.of(denominators), scale);
    }

    public static ExtraField extra(String what, String field) {
        return new ExtraField(what, field, 1);
    }

    public static ExtraField extra(String what, String field, double scale) {
        return new ExtraField(what, field, scale);
    }

    @Override
    public String toString() {
        return name;
    }
}
