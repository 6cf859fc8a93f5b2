package dev.ringbench.benches.charts;

import java.util.List;

import static dev.ringbench.benches.charts.ChartSpec.bars;
import static dev.ringbench.benches.charts.ChartSpec.extra;
import static dev.ringbench.benches.charts.ChartSpec.hdr;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.lines;
import static dev.ringbench.benches.charts.ChartSpec.ratio;

/**
 * The charts of every scenario: scenario id, chart name (the file name in {@code charts/}), the
 * metric on y (a JMH metric by name, a ratio of two, or, for runs written before the side metrics
 * went into the JMH JSON, a number from an extra result file), the
 * parameter on x, and the parameters that split a competitor's series. Metric names are those the
 * scenario classes report; a name that is not in the results makes the chart skip with a message.
 */
final class ChartSpecs {
    private ChartSpecs() {
    }

    /** Notification strategies in the order of the scenario's description (values sort by these prefixes). */
    private static final String[] NOTIFICATION_ORDER = {"default", "FORCE", "NO_WAKEUP", "SAMPLED", "EVERY_NTH",
            "WAKEUP_EVENTS", "WATERMARK"};

    private static final String JMH_ERROR = "Error bars: JMH's 99.9 % confidence interval (absent with one iteration).";

    static final List<ChartSpec> ALL = List.of(
            // 1. throughput, one producer, one consumer
            bars("throughput", "throughput-parallel", "Throughput, one producer and one consumer in parallel")
                    .benchmark("parallel").x("payload", "payload (bytes)")
                    .yRate("records delivered", "records/s", jmh("hits"))
                    .note("Producer and consumer threads run freely, no waiting; a full channel is a drop. " + JMH_ERROR),
            bars("throughput", "throughput-back-to-back", "Throughput back to back: one thread produces a batch, then consumes it")
                    .benchmark("backToBack").x("payload", "payload (bytes)")
                    .yRate("records delivered", "records/s", jmh("hits"))
                    .note("No cross-core traffic: the cost of the operations themselves. " + JMH_ERROR),
            bars("throughput", "throughput-parallel-drops", "Drops, one producer and one consumer in parallel")
                    .benchmark("parallel").x("payload", "payload (bytes)")
                    .yRate("producer attempts that found the channel full", "drops/s", jmh("drops"))
                    .note(JMH_ERROR),
            bars("throughput", "throughput-allocation", "Allocation per record (back to back, JMH gc profiler)")
                    .benchmark("backToBack").x("payload", "payload (bytes)")
                    .y("bytes allocated per record", "B/record", jmh("gc.alloc.rate.norm"))
                    .note("gc.alloc.rate.norm over the measured iterations; warm-up allocation is not included. " + JMH_ERROR),

            // 2. producer contention
            lines("contention", "contention-throughput", "Throughput as producers are added")
                    .x("producers", "producer threads (plus one consumer thread)").logX().markCores()
                    .yRate("records delivered", "records/s", jmh("deliveredPerSecond"), extra("rates", "deliveredPerSecond"),
                            jmh("hits"))
                    .note("Records the consumer received per second of its own clock (deliveredPerSecond, the mean "
                            + "over iterations: JMH's sum of per-thread rates overstates it when a thread is starved). Right of the dashed "
                            + "line the producers and the consumer outnumber the cores: threads are time-sliced, and a "
                            + "preempted producer can hold the ring's lock or an uncommitted record."),
            lines("contention", "contention-drops", "Drops as producers are added")
                    .x("producers", "producer threads (plus one consumer thread)").logX().markCores()
                    .y("attempts that found the channel full", "% of attempts", ratio("drops", 100, "sent", "drops"))
                    .note("drops / (sent + drops), all producers together."),

            // 3. notification strategies at a fixed offered load
            bars("notification", "notification-throughput", "Notification strategies: delivered throughput at a fixed offered load")
                    .variants("strategy").splitBy("ratePerSecond").order("strategy", NOTIFICATION_ORDER)
                    .yRate("records delivered", "records/s", jmh("hits"))
                    .note("Open loop: the producer paces itself to the offered rate; the consumer awaits with a 10 ms "
                            + "timeout under each strategy. " + JMH_ERROR),
            bars("notification", "notification-wakeups", "Notification strategies: wake-ups per 1000 records")
                    .variants("strategy").splitBy("ratePerSecond").order("strategy", NOTIFICATION_ORDER)
                    .y("wake-ups per 1000 records delivered", "", jmh("wakeupsPer1000"), extra("metrics", "wakeupsPer1000"),
                            ratio("wakeups", 1000, "hits"))
                    .note("Wake-ups the channel sent to its consumer per 1000 records, mean over the measured "
                            + "iterations (0 for spinning and polling strategies)."),
            bars("notification", "notification-cpu", "Notification strategies: consumer CPU time per record")
                    .variants("strategy").splitBy("ratePerSecond").order("strategy", NOTIFICATION_ORDER)
                    .y("consumer thread CPU time per record", "ns", jmh("consumerCpuNsPerRecord"),
                            extra("metrics", "consumerCpuNsPerRecord"))
                    .note("The consumer thread's CPU time (ThreadMXBean) in an iteration divided by the records it "
                            + "delivered in it; mean over the measured iterations."),
            bars("notification", "notification-latency-p99", "Notification strategies: 99th percentile latency")
                    .variants("strategy").splitBy("ratePerSecond").order("strategy", NOTIFICATION_ORDER).logY()
                    .y("latency, 99th percentile", "µs", jmh("latencyP99Ns", 1e-3), extra("metrics", "latencyP99Ns", 1e-3))
                    .note("Receive time minus intended send time (no coordinated omission): each measured "
                            + "iteration's 99th percentile, mean over the iterations."),
            hdr("notification", "notification-latency", "Notification strategies of the ring buffer and perf buffer: latency by percentile")
                    .channels("BPF_RINGBUF_LIBBPF", "PERFBUF").variants("strategy").splitBy("ratePerSecond")
                    .order("strategy", NOTIFICATION_ORDER)
                    .note("From the HdrHistogram logs: receive time minus intended send time, all measured iterations."),
            hdr("notification", "notification-latency-default", "Each competitor's default wait strategy: latency by percentile")
                    .where("strategy", "default").splitBy("ratePerSecond")
                    .note("From the HdrHistogram logs: receive time minus intended send time, all measured iterations."),

            // 4. sample-rate sweep, back to back
            lines("sample-rate", "sample-rate-throughput", "Back-to-back throughput by sampled wake-up rate")
                    .x("sampleRate", "sample rate (records per wake-up)").logX()
                    .yRate("records delivered", "records/s", jmh("hits"))
                    .note("Ring buffer: FORCE once N records are available, else NO_WAKEUP; perf buffer: "
                            + "wakeup_events = N. Nobody sleeps: the cost is that of the wake-up calls. " + JMH_ERROR),
            lines("sample-rate", "sample-rate-wakeups", "Wake-ups per 1000 records by sampled wake-up rate")
                    .x("sampleRate", "sample rate (records per wake-up)").logX()
                    .y("wake-ups per 1000 records delivered", "", jmh("wakeupsPer1000"), extra("wakeups", "wakeupsPer1000"),
                            ratio("wakeups", 1000, "hits"))
                    .note("Per iteration, mean over the measured iterations."),

            // 5. discard ratio
            lines("discard", "discard-throughput", "Producer throughput as the share of discarded reservations grows")
                    .x("discardPercent", "reservations discarded (%)")
                    .yRate("reservations attempted", "attempts/s", jmh("attempts"))
                    .note("Each attempt reserves, writes, then commits or discards (ring buffer discard, Agrona abort, "
                            + "Disruptor skip flag). " + JMH_ERROR),
            lines("discard", "discard-delivered", "Records delivered as the share of discarded reservations grows")
                    .x("discardPercent", "reservations discarded (%)")
                    .yRate("records delivered", "records/s", jmh("hits"))
                    .note("Discarded records are skipped by the consumer: 0 at 100 %. " + JMH_ERROR),

            // 6. NMI-like try-lock failures
            lines("nmi", "nmi-failure-rate", "NMI-context reservations that failed to take the lock")
                    .whereNot("lockEra", "none").x("nmiPercent", "attempts made in NMI context (%)")
                    .variants("lockEra").order("lockEra", "SPINLOCK_5_8", "RESILIENT_6_15")
                    .y("NMI reservations failed", "% of NMI attempts", jmh("nmiFailurePercent"), extra("failures", "nmiFailurePercent"),
                            ratio("nmiFailures", 100, "nmiAttempts"))
                    .note("Two producers contend. 5.8 lock: an NMI reservation only tries the lock; 6.15 resilient "
                            + "lock: fails only on a timeout or a detected deadlock. The lock-free peers have no lock."),
            bars("nmi", "nmi-throughput", "Throughput with NMI-context reservations, per lock era, beside the lock-free peers")
                    .atMaxOf("nmiPercent").variants("lockEra").order("lockEra", "SPINLOCK_5_8", "RESILIENT_6_15", "none")
                    .yRate("records delivered", "records/s", jmh("hits"))
                    .note("At the largest NMI share run; two producers, one consumer. " + JMH_ERROR),

            // 7. reserve-then-commit against copy-in output
            lines("reserve-vs-output", "reserve-vs-output", "Reserve-then-commit against copy-in output, by payload size")
                    .x("payload", "payload (bytes)").logX().variants("api").order("api", "RESERVE", "OUTPUT")
                    .yRate("records sent", "records/s", jmh("sent"))
                    .note("Solid: reserve, write in place, commit. Dashed: copy-in output. One copy of the payload "
                            + "either way. " + JMH_ERROR),

            // 8. latency at a fixed offered load
            hdr("latency", "latency", "Latency by percentile at a fixed offered load")
                    .splitBy("ratePerSecond")
                    .note("Open loop, intended-time stamps (no coordinated omission); each competitor's own wait "
                            + "strategy; all measured iterations."),
            bars("latency", "latency-percentiles", "Latency percentiles at a fixed offered load")
                    .splitBy("ratePerSecond").logY().x(null, "percentile")
                    .field("p50", jmh("p50Us"))
                    .field("p90", jmh("p90Us"))
                    .field("p99", jmh("p99Us"))
                    .field("p99.9", jmh("p999Us"))
                    .field("p99.99", jmh("p9999Us"))
                    .field("max", jmh("maxUs"))
                    .y("latency", "µs")
                    .note("Receive time minus intended send time: each measured iteration's percentiles, mean over "
                            + "the iterations (the percentile plot adds all iterations' histograms)."),

            // 9a. memory efficiency
            lines("memory-efficiency", "memory-efficiency-drops", "Drop rate with equal total memory and bursty producers")
                    .x("burstiness", "hot producer's burst / each light producer's burst")
                    .y("records dropped", "% of records sent", jmh("dropRate", 100), extra("drops", "dropRate", 100))
                    .note("Four producers, 64 KiB of records in total: one shared ring, or (perf buffer) one ring of "
                            + "16 KiB per producer. Offered load fixed."),
            bars("memory-efficiency", "memory-efficiency-hot-light", "Drop rate of the hot and the light producers")
                    .atMaxOf("burstiness").x(null, "producer")
                    .field("hot producer", jmh("hotDropRate", 100))
                    .field("light producers", jmh("lightDropRate", 100))
                    .field("all", jmh("dropRate", 100))
                    .y("records dropped", "% of records sent")
                    .note("At the largest burstiness run: per-producer rings overflow for the hot producer while the "
                            + "light producers' rings stay mostly empty."),

            // 9b. ordering
            bars("ordering", "ordering-out-of-order", "Events produced in sequence on different producers, seen out of order")
                    .x("producers", "producers in the chain")
                    .y("records delivered out of order", "% of delivered", jmh("outOfOrderFraction", 100),
                            extra("out-of-order", "outOfOrderFraction", 100))
                    .note("A ticket passes from producer to producer; a record with a lower ticket than one delivered "
                            + "before it is out of order. Channels with a global order must show 0."),
            bars("ordering", "ordering-displacement", "Largest displacement of an out-of-order record")
                    .x("producers", "producers in the chain")
                    .y("largest displacement", "tickets", jmh("maxDisplacement"), extra("out-of-order", "maxDisplacement"))
                    .note("How far below the highest ticket delivered before it an out-of-order record arrived."),

            // 10. overwrite mode
            bars("overwrite", "overwrite-throughput", "Producer-only throughput: overwrite mode against a normal ring")
                    .benchmark("overwrite1", "overwrite2", "normal1", "normal2")
                    .x(RunData.BENCHMARK, "mode and producer threads").variants("payload")
                    .order(RunData.BENCHMARK, "overwrite1", "overwrite2", "normal1", "normal2")
                    .channels("BPF_RINGBUF_LIBBPF")
                    .yRate("records written", "records/s", jmh("sent"))
                    .note("No consumer: once full, an overwrite ring moves past its oldest records, a normal ring "
                            + "fails every reservation (drops, not shown). Shades: payload sizes. " + JMH_ERROR),
            bars("recovery", "overwrite-recovery", "What a consumer reading while producers overwrite gets")
                    .benchmark("recoverConcurrent").x(null, "records").variants("payload")
                    .field("intact", jmh("intact"))
                    .field("flagged", jmh("flagged"))
                    .field("flagged and torn", jmh("tornFlagged"))
                    .field("skipped", jmh("skipped"))
                    .yRate("records", "records/s")
                    .note("Intact: read whole and newer than the last; flagged: overwritten while being read; "
                            + "skipped: overwritten before the consumer reached them. Shades: payload sizes."),

            // 11. user ring
            bars("user-ring", "user-ring-throughput", "User ring: producer to drain throughput, against a kernel ring")
                    .x("payload", "payload (bytes)").variants("path")
                    .order("path", "USER_RING_DRAIN", "USER_RING_DRAIN_RAW", "KERNEL_RING_CONSUME")
                    .yRate("samples", "samples/s", jmh("primary"))
                    .note("Back to back, batches of samples; shades: the user ring's drain (allocating), its raw "
                            + "drain, and a kernel ring consumed by libbpf's loop. " + JMH_ERROR),
            bars("user-ring", "user-ring-consume-cost", "User ring: consuming cost per sample, validation included")
                    .x("payload", "payload (bytes)").variants("path")
                    .order("path", "USER_RING_DRAIN", "USER_RING_DRAIN_RAW", "KERNEL_RING_CONSUME")
                    .y("consuming time per sample", "ns", jmh("consumeNsPerSample"), extra("cost", "consumeNsPerSample"))
                    .note("The drain validates every untrusted header; the kernel ring's consumer trusts its headers."));

}
