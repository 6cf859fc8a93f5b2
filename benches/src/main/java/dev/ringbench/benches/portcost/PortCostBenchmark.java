package dev.ringbench.benches.portcost;

import dev.ringbench.benches.support.Reader;
import dev.ringbench.benches.support.Sender;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.RawSampleCallback;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.RingBufDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * <b>Question:</b> where does the port's single-thread time per record go? Reserve and submit,
 * the consuming loop (libbpf's and the batched one), the two together, and the benchmark
 * adapter ({@code competitors}' {@link Channel}) on top: the pieces of
 * {@code ThroughputScenario.backToBack}, each measured alone, so a change to one shows as a
 * number for that one. Not a suite scenario: the suite never runs it; run it by hand.
 *
 * <p>All methods are one thread, {@value #BATCH} records of {@code payload} bytes per invocation
 * (the kernel benchmark's batch), scored <b>per record</b> ({@link OperationsPerInvocation}), on a
 * 512 KiB ring with the 6.15 lock and adaptive wake-up flags (0), as the throughput scenario:
 * <ul>
 *   <li>{@link #reserveSubmit}: reserve, write the payload through {@code sampleArea()}, submit;
 *       then, once per batch, the benchmark plays the consumer and store-releases
 *       {@code consumer_pos = producer_pos} (no consuming loop, no callback). The cost of the
 *       producer side alone (lock word, pending_pos walk, handle check, commit's cmpxchg);</li>
 *   <li>{@link #consumeOnly}: {@code Ring.consumeN(BATCH)} over records written once at setup
 *       (the ring is filled with committed records; after each batch the benchmark moves
 *       {@code consumer_pos} back to 0, so the same records are consumed again and no producer
 *       runs). The consuming loop alone, with a callback that reads the first 8 bytes, per
 *       {@code mode} (LIBBPF: consumer_pos published per record; BATCHED: once per pass);</li>
 *   <li>{@link #roundTrip}: the two above on one ring (reserve+write+submit {@value #BATCH}
 *       records, then {@code consume()} them), per {@code mode}: the port's share of
 *       back-to-back;</li>
 *   <li>{@link #adapterRoundTrip}: the same round trip through the competitors' adapter exactly as
 *       {@code ThroughputScenario.backToBack} drives it ({@link Sender} on
 *       {@code ChannelProducer.tryClaim/commit}, {@link Reader} through {@code Channel.poll}, with
 *       its delivered count), per {@code mode} (channel BPF_RINGBUF_LIBBPF or _BATCHED).
 *       {@code adapterRoundTrip - roundTrip} is the adapter's overhead per record.</li>
 * </ul>
 * The gc profiler gives bytes per record directly ({@code gc.alloc.rate.norm}: JMH normalises by
 * the operations per invocation): 0 is the port's steady state.
 *
 * <p><b>Run:</b> {@code java -jar benches.jar jmh PortCostBenchmark -prof gc} (all methods, both
 * modes, payload 8); one method: {@code java -jar benches.jar jmh 'PortCostBenchmark.roundTrip'
 * -p mode=BATCHED}. Compare the port against itself across builds with the same command on both
 * jars; the throughput scenario stays the place to compare it with the other channels.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PortCostBenchmark {
    /** Records per invocation: the kernel benchmark's default batch ({@code --rb-batch-cnt}). */
    public static final int BATCH = 500;
    /** The throughput scenario's ring: 512 KiB. */
    static final long RING_BYTES = 512 * 1024;

    /** The callback every port-level method uses: read the first 8 bytes, as {@link Reader}. */
    static final class Sum implements RawSampleCallback {
        long checksum;

        @Override
        public int onSample(MemorySegment data, long offset, int length) {
            checksum += length >= 8 ? data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) : length;
            return 0;
        }
    }

    /** A ring with its producer-side view; no consumer (reserveSubmit). */
    @State(Scope.Thread)
    public static class Producer {
        @Param({"8"})
        public int payload;

        BpfRingBuf ring;
        MemorySegment area;
        MemorySegment consumerPage;
        MemorySegment source;
        private Arena arena;

        @Setup(Level.Trial)
        public void setup() {
            ring = BpfRingBuf.create(RING_BYTES);
            area = ring.sampleArea();
            consumerPage = ring.consumerPage();
            arena = Arena.ofConfined();
            source = source(arena, payload);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            ring.close();
            arena.close();
        }
    }

    /** A ring, its consumer in {@code mode}, and (consumeOnly) the ring filled with committed records. */
    @State(Scope.Thread)
    public static class Port {
        @Param({"8"})
        public int payload;

        @Param({"LIBBPF", "BATCHED"})
        public Ring.Mode mode;

        BpfRingBuf ring;
        MemorySegment area;
        MemorySegment consumerPage;
        MemorySegment source;
        RingBufConsumer consumer;
        Ring consumerRing;
        final Sum sum = new Sum();
        /** Records written at setup for consumeOnly (at least one batch). */
        long prefilled;
        private Arena arena;

        @Setup(Level.Trial)
        public void setup() {
            ring = BpfRingBuf.create(RING_BYTES);
            area = ring.sampleArea();
            consumerPage = ring.consumerPage();
            arena = Arena.ofConfined();
            source = source(arena, payload);
            consumer = RingBufConsumer.create(ring, sum, mode);
            consumerRing = consumer.ring(0);
        }

        /** consumeOnly: fill the ring once with committed records, consumed again and again from position 0. */
        void prefill() {
            if (prefilled > 0) {
                return;
            }
            long h;
            while ((h = ring.reserve(payload)) != 0) {
                MemorySegment.copy(source, 0, area, ring.sampleOffset(h), payload);
                ring.submit(h, BpfRingBuf.BPF_RB_NO_WAKEUP);
                prefilled++;
            }
            if (prefilled < BATCH) {
                throw new IllegalStateException("payload " + payload + " leaves room for only " + prefilled
                        + " records, fewer than a batch of " + BATCH);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown(Blackhole bh) {
            bh.consume(sum.checksum);
            consumer.close();
            ring.close();
            arena.close();
        }
    }

    /** The throughput scenario's channel for {@code mode}, driven as backToBack drives it. */
    @State(Scope.Thread)
    public static class Adapter {
        @Param({"8"})
        public int payload;

        @Param({"LIBBPF", "BATCHED"})
        public Ring.Mode mode;

        Channel ch;
        Sender sender;
        final Reader reader = new Reader();
        private Arena arena;

        @Setup(Level.Trial)
        public void setup() {
            ChannelKind kind = mode == Ring.Mode.BATCHED ? ChannelKind.BPF_RINGBUF_BATCHED : ChannelKind.BPF_RINGBUF_LIBBPF;
            ch = kind.create(ChannelConfig.defaults().withMaxRecordLength(Math.max(payload, 8)));
            arena = Arena.ofShared();
            sender = new Sender(ch, 0, payload, arena);
        }

        @TearDown(Level.Trial)
        public void tearDown(Blackhole bh) {
            bh.consume(reader.checksum());
            ch.close();
            arena.close();
        }
    }

    static MemorySegment source(Arena arena, int payload) {
        MemorySegment s = arena.allocate(Math.max(payload, 8), 8);
        for (int i = 0; i < s.byteSize(); i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        return s;
    }

    /** Reserve, write, submit {@value #BATCH} records; then the benchmark frees them by moving consumer_pos. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long reserveSubmit(Producer p) {
        BpfRingBuf ring = p.ring;
        int payload = p.payload;
        long drops = 0;
        for (int i = 0; i < BATCH; i++) {
            long h = ring.reserve(payload);
            if (h == 0) {
                drops++;
                continue;
            }
            MemorySegment.copy(p.source, 0, p.area, ring.sampleOffset(h), payload);
            ring.submit(h, 0);
        }
        // the consumer's part, without a consuming loop: everything up to producer_pos is consumed
        long prod = ring.query(BpfRingBuf.BPF_RB_PROD_POS);
        java.lang.invoke.VarHandle.releaseFence(); // smp_store_release, as a consumer publishes
        p.consumerPage.set(ValueLayout.JAVA_LONG, RingBufDescriptor.CONSUMER_POS_OFFSET, prod);
        return drops;
    }

    /** {@code Ring.consumeN(BATCH)} over pre-written records; consumer_pos is then moved back to 0. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int consumeOnly(Port p) {
        p.prefill();
        int n = p.consumerRing.consumeN(BATCH);
        // rewind: the same committed records are consumed again next time (the consumer owns this page)
        java.lang.invoke.VarHandle.releaseFence();
        p.consumerPage.set(ValueLayout.JAVA_LONG, RingBufDescriptor.CONSUMER_POS_OFFSET, 0L);
        return n;
    }

    /** {@value #BATCH} records reserved, written and submitted, then consumed by the ring's loop in {@code mode}. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int roundTrip(Port p) {
        BpfRingBuf ring = p.ring;
        int payload = p.payload;
        for (int i = 0; i < BATCH; i++) {
            long h = ring.reserve(payload);
            if (h == 0) {
                continue;
            }
            MemorySegment.copy(p.source, 0, p.area, ring.sampleOffset(h), payload);
            ring.submit(h, 0);
        }
        return p.consumerRing.consume();
    }

    /** {@code ThroughputScenario.backToBack}'s body: the round trip through the competitors' adapter. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long adapterRoundTrip(Adapter a) {
        long sent = 0;
        for (int i = 0; i < BATCH; i++) {
            if (a.sender.send()) {
                sent++;
            }
        }
        long hits = 0;
        int n;
        while ((n = a.ch.poll(a.reader, BATCH)) > 0) {
            hits += n;
        }
        return sent + hits;
    }
}
