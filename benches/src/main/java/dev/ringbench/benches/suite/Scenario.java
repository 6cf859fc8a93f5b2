package dev.ringbench.benches.suite;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.ChannelKind;
import org.openjdk.jmh.annotations.Param;

import java.lang.reflect.Field;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The suite's scenarios: one JMH class each, the question it answers, which competitors can
 * take part, and the parameter values each preset sweeps. {@link SuiteRunner} turns an entry into
 * JMH runs.
 */
public enum Scenario {
    THROUGHPUT("throughput", "ThroughputScenario",
            "Records per second from one producer to one consumer, parallel and back-to-back, by payload size",
            c -> true, allKinds(), true, false,
            params("payload", "64", "8,1024", "8,64,256,1024")),
    CONTENTION("contention", "ContentionScenario",
            "How throughput and drops change as producers are added (more producers than cores included)",
            c -> c.multiProducer(), twoDisruptorStrategies(), false, true,
            params("payload", "64", "64", "64")),
    NOTIFICATION("notification", "NotificationScenario",
            "What each notification/wait strategy costs in throughput, wake-ups, consumer CPU and latency at a fixed load",
            c -> true, allKinds(), false, false,
            and(and(params("payload", "8", "8", "8"), "ratePerSecond", "100000", "100000", "10000,100000"),
                    "strategy", Scenario.NOTIFICATION_STRATEGIES, Scenario.NOTIFICATION_STRATEGIES,
                    Scenario.NOTIFICATION_STRATEGIES + ",SAMPLED:10,SAMPLED:1000,EVERY_NTH:10,EVERY_NTH:1000"
                            + ",WAKEUP_EVENTS:10,WAKEUP_EVENTS:1000,WATERMARK:65536"),
            // each kind runs the strategies that are its own; the batched ring buffer consumers only the
            // adaptive default (the commit flags are the producer's: libbpf's loop shows them)
            (kind, p) -> keepValues(p, "strategy",
                    v -> kind != ChannelKind.BPF_RINGBUF_BATCHED && kind != ChannelKind.KERNEL_RINGBUF_BATCHED
                            ? dev.ringbench.benches.scenarios.NotificationScenario.strategyApplies(kind, v)
                            : v.equals("default"))),
    SAMPLE_RATE("sample-rate", "SampleRateScenario",
            "Back-to-back throughput as the sampled wake-up rate goes from 1 to 3000 (ring buffer vs perf buffer)",
            c -> true, EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF, ChannelKind.BPF_RINGBUF_BATCHED, ChannelKind.PERFBUF), false, false,
            params("sampleRate", "100", "1,10,100,3000", "1,5,10,50,100,500,1000,2000,3000")),
    DISCARD("discard", "DiscardScenario",
            "Throughput as the share of discarded reservations goes from 0 to 100 %",
            c -> c.discard(), twoDisruptorStrategies(), false, false,
            params("discardPercent", "50", "0,50,100", "0,10,50,90,100")),
    NMI("nmi", "NmiScenario",
            "How often NMI-context reservations fail under contention, per lock era, beside throughput",
            c -> c.multiProducer(), allKinds(), false, false,
            and(params("nmiPercent", "50", "50", "1,10,50,100"),
                    "lockEra", "SPINLOCK_5_8,RESILIENT_6_15", "SPINLOCK_5_8,RESILIENT_6_15", "SPINLOCK_5_8,RESILIENT_6_15"),
            // the other competitors ignore the NMI flag and have no lock era to choose (the real kernel
            // has its own lock, and its producers cannot be in NMI): one run each
            (kind, p) -> hasReservationLock(kind) ? p : fixValues(p, Map.of("nmiPercent", Scenario.LAST,
                    "lockEra", isKernelRing(kind) ? "kernel" : "none"))),
    RESERVE_VS_OUTPUT("reserve-vs-output", "ReserveVsOutputScenario",
            "Reserve-then-commit against copy-in output, by payload size",
            c -> true, twoDisruptorStrategies(), false, false,
            and(params("payload", "64", "8,1024", "8,64,256,1024"), "api", "RESERVE,OUTPUT", "RESERVE,OUTPUT", "RESERVE,OUTPUT"),
            // RESERVE: where a producer can reserve (the kernel kinds reserve inside their BPF program);
            // OUTPUT: everywhere but the Disruptor, whose only copy-in is claim, copy, publish (RESERVE again)
            (kind, p) -> keepValues(p, "api", v -> v.equals("OUTPUT") ? kind.library() != ChannelKind.Library.DISRUPTOR
                    : kind.capabilities().reserveCommit() || isKernelRing(kind))),
    LATENCY("latency", "LatencyScenario",
            "Latency percentiles (to 99.99 and max) at a fixed offered load below saturation, open loop",
            c -> true, allKinds(), false, false,
            params("ratePerSecond", "10000", "100000", "10000,100000,500000")),
    MEMORY_EFFICIENCY("memory-efficiency", "MemoryEfficiencyScenario",
            "Drop rate of one shared ring against per-producer rings of equal total memory, with uneven bursty producers",
            c -> c.multiProducer(), twoDisruptorStrategies(), false, false,
            params("burstiness", "8", "1,8", "1,4,8,16")),
    ORDERING("ordering", "OrderingScenario",
            "How often the consumer sees events produced in sequence on different producers out of order",
            c -> c.multiProducer(), twoDisruptorStrategies(), false, false,
            params("producers", "2", "2", "2,4")),
    OVERWRITE("overwrite", "OverwriteScenario",
            "Producer-only throughput of an overwrite-mode ring, and what a consumer recovers after overwrites",
            c -> true, EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF), false, false,
            params("payload", "64", "64", "8,64,512")),
    KERNEL_BENCH("kernel-bench", "KernelBenchScenario",
            "The kernel's own ring buffer benchmark (bench_ringbufs.c), section by section: port, analogue and live kernel",
            c -> true, EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF, ChannelKind.BPF_RINGBUF_BATCHED, ChannelKind.PERFBUF,
                    ChannelKind.KERNEL_RINGBUF_LIBBPF, ChannelKind.KERNEL_RINGBUF_BATCHED, ChannelKind.KERNEL_PERFBUF),
            false, false,
            params("point", KernelBenchPoints.SMOKE, KernelBenchPoints.standard(), KernelBenchPoints.standard()),
            // each kind runs the rows the script gives its consumer (rate sweeps: the custom consumers, ...)
            (kind, p) -> keepValues(p, "point", v -> dev.ringbench.benches.kernelbench.BenchRig.applies(kind,
                    dev.ringbench.benches.kernelbench.BenchPoint.parse(v)))),
    USER_RING("user-ring", "UserRingScenario",
            "User-space producer to kernel-side drain throughput, with the drain's validation cost visible",
            c -> true, EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF), true, false,
            and(params("payload", "64", "8,256", "8,64,256,1024"), "path",
                    "USER_RING_DRAIN,USER_RING_DRAIN_RAW,KERNEL_RING_CONSUME",
                    "USER_RING_DRAIN,USER_RING_DRAIN_RAW,KERNEL_RING_CONSUME",
                    "USER_RING_DRAIN,USER_RING_DRAIN_RAW,KERNEL_RING_CONSUME"));

    private final String id;
    private final String className;
    private final String question;
    private final Predicate<Capabilities> supports;
    private final Set<ChannelKind> kinds;
    private final boolean gcProfiler;
    private final boolean sweepsProducers;
    private final Map<Preset, Map<String, String>> params;
    private final BiFunction<ChannelKind, Map<String, String>, Map<String, String>> perKind;

    Scenario(String id, String className, String question, Predicate<Capabilities> supports, Set<ChannelKind> kinds,
             boolean gcProfiler, boolean sweepsProducers, Map<Preset, Map<String, String>> params) {
        this(id, className, question, supports, kinds, gcProfiler, sweepsProducers, params, (k, p) -> p);
    }

    /**
     * @param perKind narrows a preset's parameters for one competitor (given the kind and the preset's
     *                values, returns the values that kind runs), so that a parameter a competitor
     *                ignores or cannot run is not swept for it
     */
    Scenario(String id, String className, String question, Predicate<Capabilities> supports, Set<ChannelKind> kinds,
             boolean gcProfiler, boolean sweepsProducers, Map<Preset, Map<String, String>> params,
             BiFunction<ChannelKind, Map<String, String>, Map<String, String>> perKind) {
        this.id = id;
        this.className = className;
        this.question = question;
        this.supports = supports;
        this.kinds = kinds;
        this.gcProfiler = gcProfiler;
        this.sweepsProducers = sweepsProducers;
        this.params = params;
        this.perKind = perKind;
    }

    /**
     * Every kind, but the Disruptor with only its blocking and busy-spin strategies: in scenarios
     * about something other than waiting, the five strategies differ only in how the consumer waits,
     * and the two ends of that range are enough (the notification scenario runs all five).
     */
    private static Set<ChannelKind> twoDisruptorStrategies() {
        Set<ChannelKind> k = allKinds();
        k.removeAll(EnumSet.of(ChannelKind.DISRUPTOR_LITE_BLOCKING, ChannelKind.DISRUPTOR_SLEEPING,
                ChannelKind.DISRUPTOR_YIELDING));
        return k;
    }

    private static Set<ChannelKind> allKinds() {
        return EnumSet.allOf(ChannelKind.class);
    }

    private static Map<Preset, Map<String, String>> params(String name, String smoke, String standard, String full) {
        Map<Preset, Map<String, String>> m = new LinkedHashMap<>();
        m.put(Preset.SMOKE, Map.of(name, smoke));
        m.put(Preset.STANDARD, Map.of(name, standard));
        m.put(Preset.FULL, Map.of(name, full));
        return m;
    }

    /** The name used on the command line and for result files. */
    public String id() {
        return id;
    }

    /** The JMH benchmark class, fully qualified. */
    public String benchmarkClass() {
        return "dev.ringbench.benches.scenarios." + className;
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
        try {
            Class<?> c = Class.forName(benchmarkClass(), false, Scenario.class.getClassLoader());
            for (Field f : c.getFields()) {
                if (f.isAnnotationPresent(Param.class)) {
                    fields.put(f.getName(), f);
                }
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("scenario " + id + ": no class " + benchmarkClass(), e);
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
            List<String> names = java.util.Arrays.stream(t.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
            return names.contains(value) ? null : "is not one of " + String.join(", ", names);
        }
        if (t == String.class) {
            Set<String> known = new java.util.LinkedHashSet<>(List.of(f.getAnnotation(Param.class).value()));
            for (Map<String, String> p : params.values()) {
                if (p.containsKey(name)) {
                    known.addAll(List.of(p.get(name).split(",")));
                }
            }
            Set<String> kinds = new java.util.LinkedHashSet<>();
            known.forEach(k -> kinds.add(k.split(":")[0]));
            return kinds.contains(value.split(":")[0]) ? null : "is not one of " + String.join(", ", kinds);
        }
        return null; // other types: JMH converts and reports
    }

    /** Adds a second swept parameter to a {@link #params(String, String, String, String)} map. */
    private static Map<Preset, Map<String, String>> and(Map<Preset, Map<String, String>> base, String name,
                                                       String smoke, String standard, String full) {
        Map<Preset, Map<String, String>> m = new LinkedHashMap<>();
        for (var e : base.entrySet()) {
            Map<String, String> p = new LinkedHashMap<>(e.getValue());
            p.put(name, switch (e.getKey()) {
                case SMOKE -> smoke;
                case STANDARD -> standard;
                case FULL -> full;
            });
            m.put(e.getKey(), p);
        }
        return m;
    }

    /** In {@link #fixValues}: the last of the preset's values. */
    private static final String LAST = "<last>";

    /**
     * Per-kind narrowing: each parameter of {@code fixed} that {@code p} sweeps runs one value only,
     * the one given or ({@link #LAST}) the last of the preset's values.
     */
    private static Map<String, String> fixValues(Map<String, String> p, Map<String, String> fixed) {
        Map<String, String> narrowed = new LinkedHashMap<>(p);
        fixed.forEach((name, value) -> narrowed.computeIfPresent(name, (n, values) -> {
            String[] all = values.split(",");
            return LAST.equals(value) ? all[all.length - 1] : value;
        }));
        return narrowed;
    }

    /** NotificationScenario's strategies in the smoke and standard presets (N = 100 records, a one-page watermark). */
    private static final String NOTIFICATION_STRATEGIES =
            "default,FORCE,NO_WAKEUP,SAMPLED:100,EVERY_NTH:100,WAKEUP_EVENTS:100,WATERMARK:4096";

    /** Keeps, of parameter {@code name}'s comma-separated values, those {@code keep} accepts. */
    private static Map<String, String> keepValues(Map<String, String> p, String name, Predicate<String> keep) {
        if (!p.containsKey(name)) {
            return p;
        }
        Map<String, String> narrowed = new LinkedHashMap<>(p);
        narrowed.put(name, String.join(",", java.util.Arrays.stream(p.get(name).split(",")).filter(keep).toList()));
        return narrowed;
    }

    /** The real kernel's BPF ring buffer (its producers are BPF programs: they reserve inside the program). */
    private static boolean isKernelRing(ChannelKind k) {
        return k == ChannelKind.KERNEL_RINGBUF_LIBBPF || k == ChannelKind.KERNEL_RINGBUF_BATCHED;
    }

    /** The BPF ring buffer port's channels: the only competitors with a reservation lock and NMI context. */
    private static boolean hasReservationLock(ChannelKind k) {
        return k == ChannelKind.BPF_RINGBUF_LIBBPF || k == ChannelKind.BPF_RINGBUF_BATCHED;
    }

    /** Benchmark methods (or groups) in the class: each runs every parameter combination. */
    public int benchmarkMethods() {
        return switch (this) {
            case THROUGHPUT -> 2;
            case OVERWRITE -> 6; // OverwriteScenario: 1 and 2 producers in each mode, recovery, recovery while producing
            default -> 1;
        };
    }

    /**
     * The scenarios {@code patterns} select (see {@link Selection}: an id, or a regular expression
     * found in an id or a JMH class name), in registry order.
     *
     * @throws BadInput for a pattern that selects none, listing the ids
     */
    public static List<Scenario> select(List<String> patterns) {
        return Selection.select("scenario", patterns, List.of(values()), s -> List.of(s.id, s.className));
    }

    /** The JMH classes' simple names, in order. */
    public static List<String> benchmarkClassNames() {
        return java.util.Arrays.stream(values()).map(s -> s.className).toList();
    }

    /** All ids, in order. */
    public static List<String> ids() {
        return java.util.Arrays.stream(values()).map(Scenario::id).toList();
    }
}
