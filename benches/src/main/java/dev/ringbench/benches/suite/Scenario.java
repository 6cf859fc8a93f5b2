package dev.ringbench.benches.suite;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.ChannelKind;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
            params("payload", "64", "8,256,1024", "8,64,256,1024")),
    CONTENTION("contention", "ContentionScenario",
            "How throughput and drops change as producers are added (more producers than cores included)",
            c -> c.multiProducer(), allKinds(), false, true,
            params("payload", "64", "64", "64")),
    NOTIFICATION("notification", "NotificationScenario",
            "What each notification/wait strategy costs in throughput, wake-ups, consumer CPU and latency at a fixed load",
            c -> true, allKinds(), false, false,
            params("payload", "64", "64", "64")),
    SAMPLE_RATE("sample-rate", "SampleRateScenario",
            "Back-to-back throughput as the sampled wake-up rate goes from 1 to 3000 (ring buffer vs perf buffer)",
            c -> true, EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF, ChannelKind.BPF_RINGBUF_BATCHED, ChannelKind.PERFBUF), false, false,
            params("sampleRate", "100", "1,10,100,1000,3000", "1,5,10,50,100,500,1000,2000,3000")),
    DISCARD("discard", "DiscardScenario",
            "Throughput as the share of discarded reservations goes from 0 to 100 %",
            c -> c.discard(), allKinds(), false, false,
            params("discardPercent", "50", "0,10,50,90,100", "0,10,50,90,100")),
    NMI("nmi", "NmiScenario",
            "How often NMI-context reservations fail under contention, per lock era, beside throughput",
            c -> c.multiProducer(), allKinds(), false, false,
            params("nmiPercent", "50", "10,50", "1,10,50,100")),
    RESERVE_VS_OUTPUT("reserve-vs-output", "ReserveVsOutputScenario",
            "Reserve-then-commit against copy-in output, by payload size",
            c -> true, allKinds(), false, false,
            params("payload", "64", "8,256,1024", "8,64,256,1024")),
    LATENCY("latency", "LatencyScenario",
            "Latency percentiles (to 99.99 and max) at a fixed offered load below saturation, open loop",
            c -> true, allKinds(), false, false,
            params("ratePerSecond", "10000", "100000", "10000,100000,500000")),
    MEMORY_EFFICIENCY("memory-efficiency", "MemoryEfficiencyScenario",
            "Drop rate of one shared ring against per-producer rings of equal total memory, with uneven bursty producers",
            c -> c.multiProducer(), allKinds(), false, false,
            params("burstiness", "8", "1,8", "1,4,8,16")),
    ORDERING("ordering", "OrderingScenario",
            "How often the consumer sees events produced in sequence on different producers out of order",
            c -> c.multiProducer(), allKinds(), false, false,
            params("producers", "2", "2", "2,4")),
    OVERWRITE("overwrite", "OverwriteScenario",
            "Producer-only throughput of an overwrite-mode ring, and what a consumer recovers after overwrites",
            c -> true, EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF), false, false,
            params("payload", "64", "64,512", "8,64,512")),
    USER_RING("user-ring", "UserRingScenario",
            "User-space producer to kernel-side drain throughput, with the drain's validation cost visible",
            c -> true, EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF), false, false,
            params("payload", "64", "8,256", "8,64,256,1024"));

    private final String id;
    private final String className;
    private final String question;
    private final Predicate<Capabilities> supports;
    private final Set<ChannelKind> kinds;
    private final boolean gcProfiler;
    private final boolean sweepsProducers;
    private final Map<Preset, Map<String, String>> params;

    Scenario(String id, String className, String question, Predicate<Capabilities> supports, Set<ChannelKind> kinds,
             boolean gcProfiler, boolean sweepsProducers, Map<Preset, Map<String, String>> params) {
        this.id = id;
        this.className = className;
        this.question = question;
        this.supports = supports;
        this.kinds = kinds;
        this.gcProfiler = gcProfiler;
        this.sweepsProducers = sweepsProducers;
        this.params = params;
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

    /** Benchmark methods (or groups) in the class: each runs every parameter combination. */
    public int benchmarkMethods() {
        return this == THROUGHPUT ? 2 : 1;
    }

    /** Looks a scenario up by its id. */
    public static Scenario byId(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id) || s.name().equalsIgnoreCase(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no scenario '" + id + "'; known: " + ids());
    }

    /** All ids, in order. */
    public static List<String> ids() {
        return java.util.Arrays.stream(values()).map(Scenario::id).toList();
    }
}
