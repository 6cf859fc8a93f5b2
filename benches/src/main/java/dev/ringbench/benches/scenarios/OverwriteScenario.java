package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import java.util.List;
import java.util.EnumSet;
import dev.ringbench.benches.support.ProducerCounters;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.ringbuf.BpfRingBuf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import static dev.ringbench.benches.charts.ChartSpec.bars;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.JMH_ERROR;

/**
 * <b>Question:</b> what does overwrite mode ({@code BPF_F_RB_OVERWRITE}, Linux 6.19) cost producers,
 * against a normal ring that nothing consumes?
 *
 * <p>The BPF ring buffer port only, used directly ({@code BpfRingBuf.create(size, flags)}, 512 KiB
 * as everywhere in the suite), not through a {@code Channel}: no peer has an overwrite mode, and
 * the {@code channel} parameter (always {@code BPF_RINGBUF_LIBBPF}) only labels the results. Every
 * other competitor is outside this scenario's kinds. Records are {@code payload} bytes; commits use
 * flags 0, as the kernel benchmark does. Producer-only throughput, the kernel benchmark's
 * overwrite mode: no consumer runs.
 * <ul>
 *   <li>{@code overwrite1}, {@code overwrite2}: 1 and 2 producer threads reserve, copy the payload
 *       from a prepared source, submit, into an overwrite-mode ring: once it is full each
 *       reservation first moves {@code overwrite_pos} past the oldest records;</li>
 *   <li>{@code normal1}, {@code normal2}: the same into a normal ring, where nothing consumes: once
 *       it is full every reservation fails and counts as a drop (what a normal ring does to the
 *       newest data, against what overwrite mode does to the oldest).</li>
 * </ul>
 * <b>Primary score: reservations attempted per second, all producer threads together</b>
 * ({@code sent + drops}: one JMH operation is one attempt of one producer; no consumer runs, so
 * nothing is delivered and there is no {@code hits}; a failed attempt is retried at once, with no
 * back-off, since in a normal ring that nothing consumes every later attempt fails too). Secondary
 * (per second): {@code sent} (records written, the chart's number), {@code drops}. In overwrite mode drops only happen when a
 * producer preempted between reserve and submit holds its record BUSY and the ring wraps up to it
 * (README, "A preempted producer holds its record"). What a consumer gets back after overwrites
 * is {@link OverwriteRecoveryScenario}'s question.
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run overwrite} ({@code run overwrite recovery} for both questions), or
 * through JMH directly: {@code java -jar benches.jar jmh 'OverwriteScenario.normal1$' -p payload=64,512}
 * (one part; the class name alone runs all four).
 */
@State(Scope.Group)
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

    /** Labels the results; only the port takes part. */
    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    /** Payload bytes: a multiple of 8, at least 8. */
    @Param({"64"})
    public int payload;

    private BpfRingBuf overwriteRing;
    private BpfRingBuf normalRing;

    /** One producer thread's prepared payload (the throughput groups). */
    @State(Scope.Thread)
    public static class Source {
        MemorySegment bytes;
        private Arena arena;

        @Setup(Level.Trial)
        public void setup(OverwriteScenario s) {
            arena = Arena.ofShared();
            bytes = arena.allocate(s.payload, 8);
            for (int i = 0; i < s.payload; i++) {
                bytes.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        OverwriteRecoveryScenario.check(channel, payload);
        String b = params.getBenchmark();
        switch (b.substring(b.lastIndexOf('.') + 1)) {
            case "overwrite1", "overwrite2" -> overwriteRing = BpfRingBuf.create(RING_BYTES, BpfRingBuf.BPF_F_RB_OVERWRITE);
            case "normal1", "normal2" -> normalRing = BpfRingBuf.create(RING_BYTES);
            default -> throw new IllegalStateException("unknown benchmark " + b);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (overwriteRing != null) {
            overwriteRing.close();
        }
        if (normalRing != null) {
            normalRing.close();
        }
    }

    private void produce(BpfRingBuf ring, Source s, ProducerCounters c) {
        long h = ring.reserve(payload);
        if (h == 0) {
            c.drops++;
            return;
        }
        MemorySegment.copy(s.bytes, 0, ring.sampleArea(), ring.sampleOffset(h), payload);
        ring.submit(h, 0);
        c.sent++;
    }

    @Benchmark
    @Group("overwrite1")
    @GroupThreads(1)
    public void overwrite1(Source s, ProducerCounters c) {
        produce(overwriteRing, s, c);
    }

    @Benchmark
    @Group("overwrite2")
    @GroupThreads(2)
    public void overwrite2(Source s, ProducerCounters c) {
        produce(overwriteRing, s, c);
    }

    @Benchmark
    @Group("normal1")
    @GroupThreads(1)
    public void normal1(Source s, ProducerCounters c) {
        produce(normalRing, s, c);
    }

    @Benchmark
    @Group("normal2")
    @GroupThreads(2)
    public void normal2(Source s, ProducerCounters c) {
        produce(normalRing, s, c);
    }

}
