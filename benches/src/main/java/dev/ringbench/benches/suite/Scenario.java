package dev.ringbench.benches.suite;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.ChannelKind;
import org.openjdk.jmh.annotations.Param;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * One scenario of the suite, as its JMH class declares it: the id, the question it answers, which
 * competitors take part, the parameter values each preset sweeps, and how a parameter narrows per
 * competitor. A scenario class holds its definition as a {@code public static final Scenario}
 * field (built with {@link #define}); {@link ScenarioRegistry} finds every such class through JMH's
 * generated benchmark list, so that adding a scenario touches its own file only (plus its charts,
 * declared beside it). {@link SuiteRunner} turns an entry into JMH runs.
 */
public final class Scenario {
    private final int order;
    private final String id;
    private final Class<?> benchmarkClass;
    private final String question;
    private final Predicate<Capabilities> supports;
    private final Set<ChannelKind> kinds;
    private final boolean gcProfiler;
    private final boolean sweepsProducers;
    private final boolean parityReport;
    private final String formerlyIn;
    private final Map<Preset, Map<String, String>> params;
    private final BiFunction<ChannelKind, Map<String, String>, Map<String, String>> perKind;

    private Scenario(Builder b) {
        this.order = b.order;
        this.id = b.id;
        this.benchmarkClass = b.benchmarkClass;
        this.question = Objects.requireNonNull(b.question, "question of scenario " + b.id);
        this.supports = b.supports;
        this.kinds = Collections.unmodifiableSet(EnumSet.copyOf(Objects.requireNonNull(b.kinds, "kinds of scenario " + b.id)));
        this.gcProfiler = b.gcProfiler;
        this.sweepsProducers = b.sweepsProducers;
        this.parityReport = b.parityReport;
        this.formerlyIn = b.formerlyIn;
        Map<Preset, Map<String, String>> p = new LinkedHashMap<>();
        b.params.forEach((preset, values) -> p.put(preset, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        this.params = Collections.unmodifiableMap(p);
        this.perKind = b.perKind;
    }

    /**
     * Starts a scenario's definition.
     *
     * @param order          where the scenario comes in listings, runs and charts (ascending)
     * @param id             the name used on the command line and for result files
     * @param benchmarkClass the JMH class that declares the definition
     */
    public static Builder define(int order, String id, Class<?> benchmarkClass) {
        return new Builder(order, id, benchmarkClass);
    }

    /** A scenario's definition, fluently; {@link #build()} at the end. */
    public static final class Builder {
        private final int order;
        private final String id;
        private final Class<?> benchmarkClass;
        private String question;
        private Predicate<Capabilities> supports = c -> true;
        private Set<ChannelKind> kinds;
        private boolean gcProfiler;
        private boolean sweepsProducers;
        private boolean parityReport;
        private String formerlyIn;
        private final Map<Preset, Map<String, String>> params = new LinkedHashMap<>();
        private BiFunction<ChannelKind, Map<String, String>, Map<String, String>> perKind = (k, p) -> p;

        private Builder(int order, String id, Class<?> benchmarkClass) {
            this.order = order;
            this.id = id;
            this.benchmarkClass = benchmarkClass;
            for (Preset p : Preset.values()) {
                params.put(p, new LinkedHashMap<>());
            }
        }

        /** The one question the scenario answers. */
        public Builder question(String question) {
            this.question = question;
            return this;
        }

        /** Competitors the scenario is defined for (before the capability filter). */
        public Builder kinds(Set<ChannelKind> kinds) {
            this.kinds = kinds;
            return this;
        }

        /** What a competitor must be capable of to take part (default: anything). */
        public Builder supports(Predicate<Capabilities> supports) {
            this.supports = supports;
            return this;
        }

        /** JMH's gc profiler runs (allocation per record shown in the output). */
        public Builder gcProfiler() {
            this.gcProfiler = true;
            return this;
        }

        /** The runner sweeps producer counts (1, 2, 4, ... up to the -p limit). */
        public Builder sweepsProducers() {
            this.sweepsProducers = true;
            return this;
        }

        /** After a run that includes this scenario, the runner writes the parity report from its results. */
        public Builder parityReport() {
            this.parityReport = true;
            return this;
        }

        /**
         * Runs saved before this scenario had its own class kept its benchmarks in scenario
         * {@code oldId}'s file ({@code <oldId>.json}, under that class's name): the charts read them
         * from there, by method name, when {@code <id>.json} is absent.
         */
        public Builder formerlyIn(String oldId) {
            this.formerlyIn = oldId;
            return this;
        }

        /** A swept {@code @Param}: its comma-separated values in the smoke, standard and full presets. */
        public Builder param(String name, String smoke, String standard, String full) {
            params.get(Preset.SMOKE).put(name, smoke);
            params.get(Preset.STANDARD).put(name, standard);
            params.get(Preset.FULL).put(name, full);
            return this;
        }

        /**
         * Narrows a preset's parameters for one competitor (given the kind and the preset's values,
         * returns the values that kind runs), so that a parameter a competitor ignores or cannot run
         * is not swept for it.
         */
        public Builder perKind(BiFunction<ChannelKind, Map<String, String>, Map<String, String>> perKind) {
            this.perKind = perKind;
            return this;
        }

        public Scenario build() {
            return new Scenario(this);
        }
    }

    /** Where the scenario comes in listings, runs and charts. */
    public int order() {
        return order;
    }

    /** The name used on the command line and for result files. */
    public String id() {
        return id;
    }

    /** The JMH benchmark class, fully qualified. */
    public String benchmarkClass() {
        return benchmarkClass.getName();
    }

    /** The JMH benchmark class's simple name. */
    public String className() {
        return benchmarkClass.getSimpleName();
    }

    /** The JMH benchmark class. */
    public Class<?> type() {
        return benchmarkClass;
    }

    /** The one question this scenario answers. */
    public String question() {
        return question;
    }

    /** Whether a competitor with these capabilities can take part. */
    public boolean supports(Capabilities c) {
        return supports.test(c);
    }

    /** What a competitor with these capabilities lacks to take part, as words (empty: nothing). */
    public List<String> lacking(Capabilities c) {
        return c.lacking(supports);
    }

    /** Competitors this scenario is defined for (before the capability filter). */
    public Set<ChannelKind> kinds() {
        return kinds;
    }

    /** Whether JMH's gc profiler runs (allocation per record shown in the output). */
    public boolean gcProfiler() {
        return gcProfiler;
    }

    /** Whether the runner sweeps producer counts (1, 2, 4, ... up to the -p limit). */
    public boolean sweepsProducers() {
        return sweepsProducers;
    }

    /** Whether the runner writes the parity report ({@code parity.txt}, {@code parity.json}) after a run of it. */
    public boolean parityReport() {
        return parityReport;
    }

    /** The scenario whose result file held this one's benchmarks in older runs, or null. */
    public String formerlyIn() {
        return formerlyIn;
    }

    /** JMH {@code @Param} values for a preset: name to comma-separated values. */
    public Map<String, String> params(Preset preset) {
        return params.get(preset);
    }

    /**
     * The {@code @Param} values one competitor runs in a preset: {@link #params(Preset)}, narrowed
     * where the scenario says a parameter does not apply to that kind. The run plan groups
     * competitors with equal values into one JMH run.
     */
    public Map<String, String> params(Preset preset, ChannelKind kind) {
        return perKind.apply(kind, params(preset));
    }

    /**
     * As {@link #params(Preset, ChannelKind)}, with the user's values ({@link ParamOverrides})
     * replacing the preset's for the parameters this scenario has; {@code producers} is left to
     * the sweep where the scenario sweeps producer counts.
     */
    public Map<String, String> params(Preset preset, ChannelKind kind, Map<String, String> overrides) {
        Map<String, String> p = new LinkedHashMap<>(params(preset));
        overrides.forEach((name, values) -> {
            if (paramNames().contains(name) && !(sweepsProducers && name.equals("producers"))) {
                p.put(name, values);
            }
        });
        return perKind.apply(kind, p);
    }

    /** The benchmark class's {@code @Param} fields, by name, in declaration order. */
    private Map<String, Field> paramFields() {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (Field f : benchmarkClass.getFields()) {
            if (f.isAnnotationPresent(Param.class)) {
                fields.put(f.getName(), f);
            }
        }
        return fields;
    }

    /** The names of the benchmark class's JMH {@code @Param}s ({@code channel} among them). */
    public Set<String> paramNames() {
        return paramFields().keySet();
    }

    /**
     * Null when {@code value} fits parameter {@code name}; otherwise what is wrong with it and what
     * would fit. A string parameter takes the values the class or a preset names ({@code NAME:N}
     * forms by their NAME).
     */
    public String checkParamValue(String name, String value) {
        Field f = paramFields().get(name);
        Class<?> t = f.getType();
        if (t == int.class || t == long.class) {
            try {
                long v = Long.parseLong(value);
                return name.equals("producers") && v < 1 ? "is not a producer count (1 or more)" : null;
            } catch (NumberFormatException e) {
                return "is not a whole number";
            }
        }
        if (t.isEnum()) {
            List<String> names = Arrays.stream(t.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
            return names.contains(value) ? null : "is not one of " + String.join(", ", names);
        }
        if (t == String.class) {
            Set<String> known = new LinkedHashSet<>(List.of(f.getAnnotation(Param.class).value()));
            for (Map<String, String> p : params.values()) {
                if (p.containsKey(name)) {
                    known.addAll(List.of(p.get(name).split(",")));
                }
            }
            Set<String> kinds = new LinkedHashSet<>();
            known.forEach(k -> kinds.add(k.split(":")[0]));
            return kinds.contains(value.split(":")[0]) ? null : "is not one of " + String.join(", ", kinds);
        }
        return null; // other types: JMH converts and reports
    }

    /** Benchmark methods (or groups) in the class, from JMH's generated benchmark list: each runs every parameter combination. */
    public int benchmarkMethods() {
        return ScenarioRegistry.benchmarkCount(benchmarkClass());
    }

    /** The simple names of its benchmarks (methods, or {@code @Group}s), from JMH's generated benchmark list. */
    public Set<String> benchmarkNames() {
        return ScenarioRegistry.benchmarkNames(benchmarkClass());
    }

    @Override
    public String toString() {
        return id;
    }

    // ------------------------------------------------------------------ the registry

    /** Every scenario, in {@link #order()}. */
    public static List<Scenario> values() {
        return ScenarioRegistry.all();
    }

    /** The scenario with this id. @throws BadInput when there is none, listing the ids */
    public static Scenario byId(String id) {
        return values().stream().filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new BadInput("no scenario '" + id + "'; scenarios: " + String.join(", ", ids())));
    }

    /**
     * The scenarios {@code patterns} select (see {@link Selection}: an id, or a regular expression
     * found in an id or a JMH class name), in registry order.
     *
     * @throws BadInput for a pattern that selects none, listing the ids
     */
    public static List<Scenario> select(List<String> patterns) {
        return Selection.select("scenario", patterns, values(), s -> List.of(s.id, s.className()));
    }

    /** The JMH classes' simple names, in order. */
    public static List<String> benchmarkClassNames() {
        return values().stream().map(Scenario::className).toList();
    }

    /** All ids, in order. */
    public static List<String> ids() {
        return values().stream().map(Scenario::id).toList();
    }

    // ------------------------------------------------------------------ helpers for definitions

    /** Every competitor. */
    public static Set<ChannelKind> allKinds() {
        return EnumSet.allOf(ChannelKind.class);
    }

    /**
     * Every kind, but the Disruptor with only its blocking and busy-spin strategies: in scenarios
     * about something other than waiting, the five strategies differ only in how the consumer waits,
     * and the two ends of that range are enough (the notification scenario runs all five).
     */
    public static Set<ChannelKind> twoDisruptorStrategies() {
        Set<ChannelKind> k = allKinds();
        k.removeAll(EnumSet.of(ChannelKind.DISRUPTOR_LITE_BLOCKING, ChannelKind.DISRUPTOR_SLEEPING,
                ChannelKind.DISRUPTOR_YIELDING));
        return k;
    }

    /** In {@link #fixValues}: the last of the preset's values. */
    public static final String LAST = "<last>";

    /**
     * Per-kind narrowing: each parameter of {@code fixed} that {@code p} sweeps runs one value only,
     * the one given or ({@link #LAST}) the last of the preset's values.
     */
    public static Map<String, String> fixValues(Map<String, String> p, Map<String, String> fixed) {
        Map<String, String> narrowed = new LinkedHashMap<>(p);
        fixed.forEach((name, value) -> narrowed.computeIfPresent(name, (n, values) -> {
            String[] all = values.split(",");
            return LAST.equals(value) ? all[all.length - 1] : value;
        }));
        return narrowed;
    }

    /** Keeps, of parameter {@code name}'s comma-separated values, those {@code keep} accepts. */
    public static Map<String, String> keepValues(Map<String, String> p, String name, Predicate<String> keep) {
        if (!p.containsKey(name)) {
            return p;
        }
        Map<String, String> narrowed = new LinkedHashMap<>(p);
        narrowed.put(name, String.join(",", Arrays.stream(p.get(name).split(",")).filter(keep).toList()));
        return narrowed;
    }

    /** The real kernel's BPF ring buffer (its producers are BPF programs: they reserve inside the program). */
    public static boolean isKernelRing(ChannelKind k) {
        return k == ChannelKind.KERNEL_RINGBUF_LIBBPF || k == ChannelKind.KERNEL_RINGBUF_BATCHED;
    }

    /** The BPF ring buffer port's channels: the only competitors with a reservation lock and NMI context. */
    public static boolean hasReservationLock(ChannelKind k) {
        return k == ChannelKind.BPF_RINGBUF_LIBBPF || k == ChannelKind.BPF_RINGBUF_BATCHED;
    }
}
