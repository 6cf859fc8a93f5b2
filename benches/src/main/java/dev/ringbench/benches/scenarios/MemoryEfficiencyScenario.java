package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import dev.ringbench.benches.support.AwaitedRecords;
import dev.ringbench.benches.support.Delivered;
import dev.ringbench.benches.support.BackgroundThreads;
import dev.ringbench.benches.support.ProducerCounters;
import dev.ringbench.benches.support.Reader;
import dev.ringbench.benches.support.SideMetrics;
import dev.ringbench.benches.support.Sender;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.ringbench.benches.charts.ChartSpec.bars;
import static dev.ringbench.benches.charts.ChartSpec.lines;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.extra;

/**
 * <b>Question:</b> with the same total record memory and uneven, bursty producers, how many
 * records does one shared ring drop compared with one ring per producer (the perf buffer's
 * design, which the BPF ring buffer was made to replace)?
 *
 * <p><b>Workload.</b> {@value #PRODUCERS} producer threads (fixed; the runner's producer sweep is
 * not used): producer 0 is <em>hot</em>, 1..3 are light. Every {@value #PERIOD_US} µs, all on the
 * same schedule, each sends one burst back to back: in total {@value #RECORDS_PER_PERIOD} records
 * of {@value #PAYLOAD} bytes per period (153,600 records/s), of which the hot producer sends
 * {@code burstiness} times as many as each light one ({@code burstiness = 1}: all equal, the
 * control case). The offered load is fixed, and one period's records (42 KiB as 56-byte ring
 * records, two thirds of the ring) fit in the shared ring even if the consumer read nothing during
 * the bursts, while the hot producer's burst alone overflows a quarter of it (its own perf ring of
 * 256 records) once {@code burstiness >= 2} (8: 559 hot and 70 per light producer). On a fixed
 * schedule: a producer less than a period late sends its burst at once; one that missed whole
 * periods (descheduled) skips them, counted, rather than merge them into one larger burst, so
 * every burst has the designed size. A full channel is a drop (counted per
 * record, never a wait, never retried). The consumer is the JMH thread, waiting in
 * {@link Channel#await} under the channel's own strategy (10 ms bound where honoured; the
 * producers run for the whole measured loop) and reading each record in place ({@link Reader}).
 * Each competitor is asked for exactly this with {@code capacityBytes} = {@value #CAPACITY} (small
 * on purpose, so that drops happen): one copy in per record ({@link Sender}), in place out.
 *
 * <p><b>Memory, and where it cannot be equal.</b> The shared byte rings (BPF ring buffer port,
 * the kernel's own ring map, Agrona) hold 64 KiB of records: {@value #PAYLOAD} + 8 header bytes = 56 bytes each, 1170 records.
 * The perf-buffer analogue splits the same 64 KiB into 4 rings of 16 KiB (about 256 records of 64
 * bytes each, LOST records included in the accounting). The kernel's own perf buffer has one ring
 * per CPU, not per producer: here 2 rings of 32 KiB, producer {@code i} writing to CPU
 * {@code i % 2}'s ring, so the hot producer shares its ring with one light producer (the kernel's
 * real layout, and a milder split than the analogue's). The slot channels hold fixed slots of
 * {@value #PAYLOAD} + 16 = 64 bytes: 1024 slots, exactly 64 KiB for the Disruptor; the JCTools
 * queue has 1024 slots too but its contention-free per-producer event pools make its
 * {@code memoryBytes()} four times larger (the queue itself is the bottleneck, not the pools).
 * {@code memoryBytes} reports what each channel really holds ({@code Channel#memoryBytes}: for the
 * BPF ring buffers and the perf buffer the metadata/control pages are included, 12 KiB and 4 x 4 KiB;
 * Agrona adds its 768-byte trailer).
 * The single-producer Agrona ring cannot take part ("not supported": it rejects a second producer).
 *
 * <p><b>Results.</b> The primary score ({@code consume}) is <em>records delivered to the consumer
 * per second</em>: one JMH operation is one delivered record (an await that returns {@code n}
 * records counts {@code n}). Rates beside it (OPERATIONS): {@code hits} (the same count), {@code sent},
 * {@code drops} (all producers). Secondary metrics, one value per iteration ({@link SideMetrics}, the score their
 * mean): {@code dropRate}, {@code hotDropRate}, {@code lightDropRate} (drops / (drops + sent)),
 * {@code memoryBytes}, {@code delivered} and {@code skippedBurstFraction}: the share of scheduled
 * bursts skipped because their producer was a whole period or more late, i.e. how far the
 * producers fell short of offering the intended load (on a busy machine, or for the kernel rings,
 * whose producers make one {@code BPF_PROG_TEST_RUN} syscall per record; a shortfall means less
 * load, so compare drop rates only where it is small).
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run memory-efficiency}, or
 * {@code java -jar benches.jar jmh MemoryEfficiencyScenario -p channel=PERFBUF -p burstiness=8}.
 * Note that 4 producers and a consumer share 2 cores here: bursts that arrive while the consumer
 * is descheduled are what fills a ring, which is the situation the shared ring is meant for.
 */
@State(Scope.Thread) // one JMH thread: the consumer
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MemoryEfficiencyScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(9, "memory-efficiency", MemoryEfficiencyScenario.class)
            .question("Drop rate of one shared ring against per-producer rings of equal total memory, with uneven bursty producers")
            .supports(c -> c.multiProducer())
            .kinds(Scenario.twoDisruptorStrategies())
            .param("burstiness", "8", "1,8", "1,4,8,16")
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
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
                        + "light producers' rings stay mostly empty."));

    public static final String ID = "memory-efficiency";
    public static final int CAPACITY = 64 * 1024;
    public static final int PAYLOAD = 48;
    public static final int PRODUCERS = 4;
    public static final int PERIOD_US = 5000;
    public static final int RECORDS_PER_PERIOD = 768;
    static final long AWAIT_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(10);

    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    /** How many times more records the hot producer sends per burst than each light one. */
    @Param({"8"})
    public int burstiness;

    private Channel ch;
    private Arena arena;
    private final Reader reader = new Reader();
    private BackgroundThreads threads;
    private Sender[] senders;
    private Burster[] bursters;
    private int hotBurst;
    private int lightBurst;
    /** The consumer's records, one per operation. */
    private AwaitedRecords records;

    @Setup(Level.Trial)
    public void setup() {
        ch = channel.create(ChannelConfig.defaults().withCapacityBytes(CAPACITY).withProducers(PRODUCERS)
                .withMaxRecordLength(PAYLOAD));
        arena = Arena.ofShared();
        senders = new Sender[PRODUCERS];
        for (int i = 0; i < PRODUCERS; i++) {
            senders[i] = new Sender(ch, i, PAYLOAD, arena);
        }
        threads = new BackgroundThreads(ch);
        records = new AwaitedRecords(ch, reader, AWAIT_TIMEOUT_NS, threads, channel.name());
        int shares = burstiness + PRODUCERS - 1;
        hotBurst = Math.round((float) RECORDS_PER_PERIOD * burstiness / shares);
        lightBurst = Math.round((float) RECORDS_PER_PERIOD / shares);
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams ip) {
        records.restart(); // an iteration's operations are its own records
        bursters = new Burster[PRODUCERS];
        List<Runnable> tasks = new ArrayList<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1); // one schedule for all
        for (int i = 0; i < PRODUCERS; i++) {
            bursters[i] = new Burster(senders[i], i == 0 ? hotBurst : lightBurst, start, threads);
            tasks.add(bursters[i]);
        }
        threads.start("memory-efficiency-producer", tasks);
    }

    @TearDown(Level.Iteration)
    public void endIteration(ProducerCounters pc) {
        threads.stop();
        long drained = 0;
        int n;
        while ((n = ch.poll(reader, 4096)) > 0) {
            drained += n; // sent after the consumer's last await: delivered, not in the primary score
        }
        long hotSent = bursters[0].sent;
        long hotDrops = bursters[0].drops;
        long lightSent = 0;
        long lightDrops = 0;
        for (int i = 1; i < PRODUCERS; i++) {
            lightSent += bursters[i].sent;
            lightDrops += bursters[i].drops;
        }
        pc.sent = hotSent + lightSent;
        pc.drops = hotDrops + lightDrops;
        SideMetrics.report("dropRate", rate(hotDrops + lightDrops, hotSent + lightSent), "fraction");
        SideMetrics.report("hotDropRate", rate(hotDrops, hotSent), "fraction");
        SideMetrics.report("lightDropRate", rate(lightDrops, lightSent), "fraction");
        SideMetrics.report("memoryBytes", ch.memoryBytes(), "bytes");
        long bursts = 0;
        long skipped = 0;
        for (Burster b : bursters) {
            bursts += b.bursts;
            skipped += b.skippedBursts;
        }
        SideMetrics.report("skippedBurstFraction", bursts + skipped == 0 ? 0 : (double) skipped / (bursts + skipped), "fraction");
        SideMetrics.report("delivered", records.delivered() + drained, "records");
    }

    static double rate(long drops, long sent) {
        return drops + sent == 0 ? 0 : (double) drops / (drops + sent);
    }

    @TearDown(Level.Trial)
    public void tearDown(Blackhole bh) {
        bh.consume(reader.checksum());
        ch.shutdown();
        ch.close();
        arena.close();
    }

    /** One record delivered to the consumer (and read). */
    @Benchmark
    public void consume(Delivered d) {
        records.next();
        d.hits++;
    }

    /** One producer: a burst of {@code burst} records every period, on a shared schedule. */
    static final class Burster implements Runnable {
        private final Sender sender;
        private final int burst;
        private final long start;
        private final BackgroundThreads control;
        long sent;
        long drops;
        long bursts;
        long skippedBursts;

        Burster(Sender sender, int burst, long start, BackgroundThreads control) {
            this.sender = sender;
            this.burst = burst;
            this.start = start;
            this.control = control;
        }

        @Override
        public void run() {
            long period = TimeUnit.MICROSECONDS.toNanos(PERIOD_US);
            long s = 0;
            long d = 0;
            long sentBursts = 0;
            long skipped = 0;
            for (long k = 0; control.running(); k++) {
                long due = start + k * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0 && control.running()) {
                    LockSupport.parkNanos(wait);
                }
                long missed = -wait / period; // whole periods late: skip them, keep the burst size
                if (missed > 0) {
                    skipped += missed;
                    k += missed;
                }
                for (int i = 0; i < burst; i++) {
                    if (sender.send()) {
                        s++;
                    } else {
                        d++;
                    }
                }
                sentBursts++;
            }
            sent = s;
            drops = d;
            bursts = sentBursts;
            skippedBursts = skipped;
        }
    }
}
