package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import java.util.List;
import java.util.EnumSet;
import dev.ringbench.benches.support.ConsumerCounters;
import dev.ringbench.benches.support.ProducerCounters;
import dev.ringbench.benches.support.SideMetrics;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.RawSampleCallback;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.UserRingBuf;
import dev.ringbench.ringbuf.UserRingBufProducer;
import org.openjdk.jmh.annotations.AuxCounters;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import static dev.ringbench.benches.charts.ChartSpec.bars;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.extra;
import static dev.ringbench.benches.charts.ChartSpec.JMH_ERROR;

/**
 * <b>Question:</b> how many samples per second go from a user-space producer through the user
 * ring ({@code BPF_MAP_TYPE_USER_RINGBUF}) to the "kernel" drain, and what does the drain's
 * validation of every untrusted header cost, against the same batch consumed from a kernel ring
 * whose consumer trusts its headers?
 *
 * <p><b>Work, the same on every path</b> (back-to-back, as the kernel benchmark's
 * {@code --rb-b2b}): one thread produces a batch of {@value #BATCH} samples of {@code payload}
 * bytes (reserve, copy the payload from a prepared source, submit; a failed reservation is a drop,
 * never a wait), then consumes the batch with <em>one</em> consuming call whose callback reads the
 * sample's first 8 bytes (fewer for shorter samples) in place. Rings of {@value #RING_BYTES} bytes,
 * default flags (0) everywhere. The {@code path} parameter picks the two ends:
 * <ul>
 *   <li>{@code USER_RING_DRAIN}: {@link UserRingBufProducer} reserve/submit, then
 *       {@link UserRingBuf#drain(UserRingBuf.DrainCallback, long)}, which validates each sample and
 *       hands it over as a fresh read-only slice (one per sample; whether the JIT's escape
 *       analysis removes it shows in {@code gc.alloc.rate.norm});</li>
 *   <li>{@code USER_RING_DRAIN_RAW}: the same producer, then
 *       {@link UserRingBuf#drainRaw(UserRingBuf.RawDrainCallback, long)}: the same validation, no
 *       allocation;</li>
 *   <li>{@code KERNEL_RING_CONSUME}: the opposite direction, for the validation cost:
 *       {@link BpfRingBuf} reserve/submit (the BPF-program side, with its reservation lock,
 *       uncontended here), then {@link RingBufConsumer#consume()} with libbpf's loop and an
 *       allocation-free callback ({@link Ring.Mode#LIBBPF}: consumer_pos published per sample,
 *       as the drain does), which trusts the headers it reads.</li>
 * </ul>
 * The only channel is the port ({@code channel} is always {@code BPF_RINGBUF_LIBBPF}, a label
 * here): no other competitor has a user-to-kernel ring, so there is no "not supported" case.
 *
 * <p><b>Results.</b> Primary score: samples per second (ops = samples, {@value #BATCH} per
 * invocation). Rates (OPERATIONS): {@code hits} (samples consumed/s), {@code drainCalls} (consuming
 * calls/s: one per batch in this mode), {@code sent}, {@code drops}. Secondary metrics, one value
 * per iteration from two {@code nanoTime} reads per phase per batch ({@link SideMetrics}, the score
 * their mean): {@code produceNsPerSample} and {@code consumeNsPerSample}, which put the drain's
 * validation cost side by side with the trusting consumer's, and {@code samples}.
 *
 * The suite runs this scenario with JMH's gc profiler: {@code gc.alloc.rate.norm} is bytes
 * allocated per sample on each path.
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run user-ring}, or
 * {@code java -jar benches.jar jmh UserRingScenario -p path=USER_RING_DRAIN_RAW -p payload=64 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class UserRingScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(14, "user-ring", UserRingScenario.class)
            .question("User-space producer to kernel-side drain throughput, with the drain's validation cost visible")
            .kinds(EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF))
            .gcProfiler()
            .param("payload", "64", "8,256", "8,64,256,1024")
            .param("path", "USER_RING_DRAIN,USER_RING_DRAIN_RAW,KERNEL_RING_CONSUME",
                    "USER_RING_DRAIN,USER_RING_DRAIN_RAW,KERNEL_RING_CONSUME",
                    "USER_RING_DRAIN,USER_RING_DRAIN_RAW,KERNEL_RING_CONSUME")
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
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

    public static final String ID = "user-ring";
    /** The kernel benchmark's default batch ({@code --rb-batch-cnt}). */
    public static final int BATCH = 500;
    /** The kernel benchmark's ring size. */
    public static final int RING_BYTES = ChannelConfig.DEFAULT_CAPACITY;

    /** The consuming ends compared. */
    public enum ConsumePath {
        USER_RING_DRAIN, USER_RING_DRAIN_RAW, KERNEL_RING_CONSUME
    }

    /** A label: the port is the only competitor with a user ring. */
    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    @Param({"USER_RING_DRAIN", "USER_RING_DRAIN_RAW", "KERNEL_RING_CONSUME"})
    public ConsumePath path;

    @Param({"64"})
    public int payload;

    private Arena arena;
    private MemorySegment source;
    private UserRingBuf userRing;
    private UserRingBufProducer userProducer;
    private MemorySegment userArea;
    private BpfRingBuf kernelRing;
    private RingBufConsumer kernelConsumer;
    private MemorySegment kernelArea;

    private long checksum;
    private final UserRingBuf.DrainCallback sliceCallback = this::onSlice;
    private final UserRingBuf.RawDrainCallback rawCallback = this::onRaw;
    private final RawSampleCallback kernelCallback = this::onKernelSample;

    private long produceNanos;
    private long consumeNanos;
    private long samples;
    private long produced;
    private long iterationDrainCalls;
    private long iterationDrops;

    /** Consuming calls, as a rate. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class DrainCalls {
        public long drainCalls;
    }

    @Setup(Level.Trial)
    public void setup() {
        if (channel != ChannelKind.BPF_RINGBUF_LIBBPF) {
            throw new IllegalArgumentException("the user ring scenario runs the port only (channel=BPF_RINGBUF_LIBBPF)");
        }
        arena = Arena.ofShared();
        source = arena.allocate(Math.max(payload, 8), 8);
        for (int i = 0; i < source.byteSize(); i++) {
            source.set(ValueLayout.JAVA_BYTE, i, (byte) (31 + i));
        }
        if (path == ConsumePath.KERNEL_RING_CONSUME) {
            kernelRing = BpfRingBuf.create(RING_BYTES);
            kernelConsumer = RingBufConsumer.create(kernelRing, kernelCallback, Ring.Mode.LIBBPF);
            kernelArea = kernelRing.sampleArea();
        } else {
            userRing = UserRingBuf.create(RING_BYTES);
            userProducer = UserRingBufProducer.create(userRing);
            userArea = userProducer.sampleArea();
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams ip) {
        produceNanos = consumeNanos = samples = produced = iterationDrainCalls = iterationDrops = 0;
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        SideMetrics.reportRatio("produceNsPerSample", produceNanos, produced, 1, "ns");
        SideMetrics.reportRatio("consumeNsPerSample", consumeNanos, samples, 1, "ns");
        SideMetrics.report("samples", samples, "samples");
    }

    @TearDown(Level.Trial)
    public void tearDown(Blackhole bh) {
        bh.consume(checksum);
        if (kernelConsumer != null) {
            kernelConsumer.close();
            kernelRing.close();
        }
        if (userProducer != null) {
            userProducer.close();
            userRing.close();
        }
        arena.close();
    }

    /** Records of the last batch not yet counted as operations. */
    private long pending;

    /** One record delivered: a batch is produced and consumed whenever the last one's records are used up. */
    @Benchmark
    public void backToBack(ProducerCounters p, ConsumerCounters c, DrainCalls d) {
        while (pending == 0) {
            pending = batch(p, d);
            if (pending == 0) {
                throw new IllegalStateException(path + ": a back-to-back batch delivered nothing");
            }
        }
        pending--;
        c.hits++;
    }

    /** A batch of {@value #BATCH} samples produced, then consumed; the samples delivered. */
    private long batch(ProducerCounters p, DrainCalls d) {
        long t0 = System.nanoTime();
        int ok = path == ConsumePath.KERNEL_RING_CONSUME ? produceKernel() : produceUser();
        long t1 = System.nanoTime();
        long n = switch (path) {
            case USER_RING_DRAIN -> userRing.drain(sliceCallback, 0);
            case USER_RING_DRAIN_RAW -> userRing.drainRaw(rawCallback, 0);
            case KERNEL_RING_CONSUME -> kernelConsumer.consume();
        };
        long t2 = System.nanoTime();
        if (n < 0) {
            throw new IllegalStateException(path + ": consuming call failed with errno " + n);
        }
        if (n != ok) {
            throw new IllegalStateException(path + ": produced " + ok + " samples but consumed " + n);
        }
        produceNanos += t1 - t0;
        consumeNanos += t2 - t1;
        produced += ok;
        samples += n;
        iterationDrainCalls++;
        iterationDrops += BATCH - ok;
        p.sent += ok;
        p.drops += BATCH - ok;
        d.drainCalls++;
        return n;
    }

    private int produceUser() {
        int ok = 0;
        for (int i = 0; i < BATCH; i++) {
            long h = userProducer.reserve(payload);
            if (h < 0) {
                continue; // -ENOSPC: a drop
            }
            MemorySegment.copy(source, 0, userArea, userProducer.sampleOffset(h), payload);
            userProducer.submit(h);
            ok++;
        }
        return ok;
    }

    private int produceKernel() {
        int ok = 0;
        for (int i = 0; i < BATCH; i++) {
            long h = kernelRing.reserve(payload);
            if (h == 0) {
                continue; // no space: a drop
            }
            MemorySegment.copy(source, 0, kernelArea, kernelRing.sampleOffset(h), payload);
            kernelRing.submit(h, 0);
            ok++;
        }
        return ok;
    }

    private long onSlice(MemorySegment sample) {
        checksum += sample.byteSize() >= 8 ? sample.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) : sample.byteSize();
        return 0;
    }

    private long onRaw(MemorySegment data, long offset, int length) {
        checksum += length >= 8 ? data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) : length;
        return 0;
    }

    private int onKernelSample(MemorySegment data, long offset, int length) {
        checksum += length >= 8 ? data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) : length;
        return 0;
    }
}
