package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.charts.ChartSpec;
import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.support.FreeRunCounters;
import dev.ringbench.benches.support.ProducerBackoff;
import dev.ringbench.benches.support.Producers;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.ringbuf.BpfRingBuf;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import static dev.ringbench.benches.charts.ChartSpec.JMH_ERROR;
import static dev.ringbench.benches.charts.ChartSpec.bars;
import static dev.ringbench.benches.charts.ChartSpec.jmh;

/**
 * <b>Question:</b> what does overwrite mode ({@code BPF_F_RB_OVERWRITE}, Linux 6.19) cost producers,
 * against a normal ring that nothing consumes?
 *
 * <p>The BPF ring buffer port only, used directly ({@code BpfRingBuf.create(size, flags)}, 512 KiB
 * as everywhere in the suite), not through a {@code Channel}: no peer has an overwrite mode, and
 * the {@code channel} parameter (always {@code BPF_RINGBUF_LIBBPF}) only labels the results. Every
 * other competitor is outside this scenario's kinds. Records are {@code payload} bytes; commits use
 * flags 0, as the kernel benchmark does. Producer-only throughput, the kernel benchmark's
 * overwrite mode ({@code --rb-overwrite --rb-bench-producer}): no consumer runs.
 * <ul>
 *   <li>{@code overwrite1}, {@code overwrite2}: 1 and 2 producer threads reserve, copy the payload
 *       from a prepared source, submit, into an overwrite-mode ring: once it is full each
 *       reservation first moves {@code overwrite_pos} past the oldest records;</li>
 *   <li>{@code normal1}, {@code normal2}: the same into a normal ring, where nothing consumes: once
 *       it is full every reservation fails and counts as a drop (what a normal ring does to the
 *       newest data, against what overwrite mode does to the oldest).</li>
 * </ul>
 * The producers are threads the scenario starts ({@link Producers#freeRunning}: after a failed
 * reservation the bounded back-off of {@link ProducerBackoff}, as in every free-running scenario).
 * The JMH thread only meters: it sleeps {@value #METER_MICROS} µs at a time, reads how many records
 * the producers have committed (each producer publishes its count with a release store) and returns
 * one JMH operation per committed record; asleep, it takes next to no CPU from the producers.
 * <b>Primary score: records committed to the ring per second, all producers together</b> (the
 * kernel benchmark's producer-only {@code hits}: with no consumer the ring is where a record is
 * delivered), {@code hits} beside it the same count. A normal ring scores what it wrote before it
 * filled, about nothing once full: its operation waits for a record until the iteration is over
 * and then returns without one (at most one such operation per iteration). Secondary (per second):
 * the producers' {@code sent} (records written, the chart's number), {@code drops} (failed
 * reservations) and {@code backoffs}. In overwrite mode drops only happen when a producer
 * preempted between reserve and submit holds its record BUSY and the ring wraps up to it
 * (README, "A preempted producer holds its record"). What a consumer gets back after overwrites
 * is {@link OverwriteRecoveryScenario}'s question.
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run overwrite} ({@code run overwrite recovery} for both questions), or
 * through JMH directly: {@code java -jar benches.jar jmh 'OverwriteScenario.normal1$' -p payload=64,512}
 * (one part; the class name alone runs all four).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OverwriteScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(11, "overwrite", OverwriteScenario.class)
            .question("Producer-only throughput of an overwrite-mode ring against a normal ring")
            .kinds(EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF))
            .param("payload", "64", "64", "8,64,512")
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
        bars("overwrite", "overwrite-throughput", "Producer-only throughput: overwrite mode against a normal ring")
                .benchmark("overwrite1", "overwrite2", "normal1", "normal2")
                .x(ChartSpec.BENCHMARK, "mode and producer threads").variants("payload")
                .order(ChartSpec.BENCHMARK, "overwrite1", "overwrite2", "normal1", "normal2")
                .channels("BPF_RINGBUF_LIBBPF")
                .yRate("records written", "records/s", jmh("sent"))
                .note("No consumer: once full, an overwrite ring moves past its oldest records, a normal ring "
                        + "fails every reservation (drops, not shown). Shades: payload sizes. " + JMH_ERROR));

    /** The suite's record memory, as every other scenario. */
    public static final int RING_BYTES = ChannelConfig.DEFAULT_CAPACITY;
    /** How long the meter sleeps between reads of the producers' counts. */
    static final long METER_MICROS = 200;
    /** How long after its iteration's time a waiting operation gives up (see {@link #pastDeadline}). */
    static final long DEADLINE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Labels the results; only the port takes part. */
    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    /** Payload bytes: a multiple of 8, at least 8. */
    @Param({"64"})
    public int payload;

    private BpfRingBuf ring;
    private Arena arena;
    private MemorySegment source;
    private Producers producers;
    /** Records committed by each producer, written by it with a release store, read by the meter. */
    private AtomicLongArray committed;
    /** The committed total the meter has already returned as operations. */
    private long metered;
    /** Committed records not yet returned as operations. */
    private long pending;
    private long iterationNanos;
    /** When an operation that finds no record gives up; 0 until this iteration's first wait. */
    private long deadline;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        OverwriteRecoveryScenario.check(channel, payload);
        String b = params.getBenchmark();
        String name = b.substring(b.lastIndexOf('.') + 1);
        int threads = switch (name) {
            case "overwrite1", "normal1" -> 1;
            case "overwrite2", "normal2" -> 2;
            default -> throw new IllegalStateException("unknown benchmark " + b);
        };
        ring = name.startsWith("overwrite") ? BpfRingBuf.create(RING_BYTES, BpfRingBuf.BPF_F_RB_OVERWRITE)
                : BpfRingBuf.create(RING_BYTES);
        arena = Arena.ofShared();
        source = arena.allocate(payload, 8);
        for (int i = 0; i < payload; i++) {
            source.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
        }
        committed = new AtomicLongArray(threads * PAD);
        List<Producers.Attempt> attempts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int slot = t * PAD;
            attempts.add(() -> produce(slot));
        }
        producers = Producers.freeRunning(() -> { }, attempts); // the meter never blocks on the ring
    }

    /** Spaces the producers' counts 128 bytes apart, so they share no cache line. */
    private static final int PAD = 16;

    @TearDown(Level.Trial)
    public void tearDown() {
        if (ring != null) {
            ring.close();
            arena.close();
        }
    }

    /** The producers around each iteration, and the counters the meter reports through. */
    @State(Scope.Thread)
    public static class Run {
        OverwriteScenario s;
        FreeRunCounters counters;

        /** Starts the producers; the meter's deadline is set by this iteration's first wait. */
        @Setup(Level.Iteration)
        public void start(OverwriteScenario s, FreeRunCounters c, IterationParams params) {
            this.s = s;
            counters = c;
            s.iterationNanos = params.getTime().convertTo(TimeUnit.NANOSECONDS);
            s.deadline = 0;
            s.pending = 0;
            s.metered = s.committedTotal();
            s.producers.start("overwrite-producer");
        }

        /** Stops the producers; their counts become this iteration's {@code sent}, {@code drops}, {@code backoffs}. */
        @TearDown(Level.Iteration)
        public void stop() {
            s.producers.stop();
            counters.producers(s.producers);
        }
    }

    /** One producer's attempt: reserve, copy, submit; false when the reservation failed. */
    private boolean produce(int slot) {
        long h = ring.reserve(payload);
        if (h == 0) {
            return false;
        }
        MemorySegment.copy(source, 0, ring.sampleArea(), ring.sampleOffset(h), payload);
        ring.submit(h, 0);
        committed.setRelease(slot, committed.getPlain(slot) + 1); // only this producer writes its slot
        return true;
    }

    private long committedTotal() {
        long sum = 0;
        for (int i = 0; i < committed.length(); i += PAD) {
            sum += committed.getAcquire(i);
        }
        return sum;
    }

    /** One record committed to the ring by a producer (or, once per iteration at most, none: see the header). */
    @Benchmark
    public void overwrite1(Run r) {
        r.s.meter(r.counters); // through Run: its OverwriteScenario is the one whose producers run
    }

    /** As {@link #overwrite1}, two producers. */
    @Benchmark
    public void overwrite2(Run r) {
        r.s.meter(r.counters); // through Run: its OverwriteScenario is the one whose producers run
    }

    /** As {@link #overwrite1}, into a normal ring. */
    @Benchmark
    public void normal1(Run r) {
        r.s.meter(r.counters); // through Run: its OverwriteScenario is the one whose producers run
    }

    /** As {@link #overwrite1}, two producers into a normal ring. */
    @Benchmark
    public void normal2(Run r) {
        r.s.meter(r.counters); // through Run: its OverwriteScenario is the one whose producers run
    }

    private void meter(FreeRunCounters c) {
        while (pending == 0) {
            LockSupport.parkNanos(METER_MICROS * 1000);
            long total = committedTotal();
            pending = total - metered;
            metered = total;
            if (pending == 0) {
                producers.check();
                if (pastDeadline()) {
                    return; // the iteration is over and nothing more was committed
                }
            }
        }
        pending--;
        c.hits++;
    }

    /**
     * Whether a wait for a record should give up: the iteration's time after this iteration's first
     * wait, and a margin. JMH tells a benchmark that the iteration is over only after the measured
     * operation returns, so a wait on a full normal ring needs its own end; the margin keeps it from
     * ending before JMH's timer does.
     */
    private boolean pastDeadline() {
        long now = System.nanoTime();
        if (deadline == 0) {
            deadline = now + iterationNanos + DEADLINE_MARGIN_NANOS;
            return false;
        }
        return now - deadline > 0;
    }
}
