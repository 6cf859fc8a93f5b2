package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.support.ConsumerCounters;
import dev.ringbench.benches.support.ProducerCounters;
import dev.ringbench.benches.support.Reader;
import dev.ringbench.benches.support.Sender;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

/**
 * <b>Question:</b> how many records per second does each channel move from one producer to one
 * consumer, by payload size, and how many does it drop?
 *
 * <p>Two modes, as the kernel's {@code bench_ringbufs.c}:
 * <ul>
 *   <li>{@code parallel}: a producer thread and a consumer thread run freely; the producer makes
 *       one attempt per operation and counts a drop when the channel is full (no waiting);
 *       {@code hits} is the consumer's rate, {@code drops} the producer's failed attempts;</li>
 *   <li>{@code backToBack}: one thread produces a batch of {@value #BATCH} records (counting drops),
 *       then consumes it: no cross-core traffic, the cost of the operations themselves.</li>
 * </ul>
 * Each competitor is asked for the same work ({@link Sender}, {@link Reader}): one copy of the
 * payload in, an in-place read of its first 8 bytes out, 512 KiB of record memory, no waiting.
 * The gc profiler runs with this scenario: {@code gc.alloc.rate.norm} shows bytes allocated per
 * operation (0 for the port's steady state).
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run throughput}, or through JMH directly:
 * {@code java -jar benches.jar jmh ThroughputScenario -p channel=BPF_RINGBUF_LIBBPF -p payload=64 -prof gc}.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ThroughputScenario {
    /** The kernel benchmark's default batch ({@code --rb-batch-cnt}). */
    public static final int BATCH = 500;

    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    @Param({"64"})
    public int payload;

    Channel ch;
    private Arena arena;
    private Sender sender;
    private final Reader reader = new Reader();

    @Setup(Level.Trial)
    public void setup() {
        ch = channel.create(ChannelConfig.defaults().withMaxRecordLength(Math.max(payload, 8)));
        arena = Arena.ofShared();
        sender = new Sender(ch, 0, payload, arena);
    }

    @TearDown(Level.Trial)
    public void tearDown(Blackhole bh) {
        bh.consume(reader.checksum());
        ch.close();
        arena.close();
    }

    @Benchmark
    @Group("parallel")
    @GroupThreads(1)
    public void produce(ProducerCounters c) {
        if (sender.send()) {
            c.sent++;
        } else {
            c.drops++;
        }
    }

    @Benchmark
    @Group("parallel")
    @GroupThreads(1)
    public void consume(ConsumerCounters c) {
        c.hits += ch.poll(reader, 512);
    }

    @Benchmark
    @Group("backToBack")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public void backToBack(ProducerCounters p, ConsumerCounters c) {
        for (int i = 0; i < BATCH; i++) {
            if (sender.send()) {
                p.sent++;
            } else {
                p.drops++;
            }
        }
        int n;
        while ((n = ch.poll(reader, BATCH)) > 0) {
            c.hits += n;
        }
    }
}
