package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import java.util.List;
import dev.ringbench.benches.support.FreeRunCounters;
import dev.ringbench.benches.support.ProducerBackoff;
import dev.ringbench.benches.support.Producers;
import dev.ringbench.benches.support.Reader;
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
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

import static dev.ringbench.benches.charts.ChartSpec.bars;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.JMH_ERROR;

/**
 * <b>Question:</b> how many records per second does each channel move from one producer to one
 * consumer, by payload size, and how many producer attempts find it full?
 *
 * <p>Two modes, as the kernel's {@code bench_ringbufs.c}:
 * <ul>
 *   <li>{@code parallel}: the JMH thread is the consumer ({@code poll(reader, 512)}, no waiting)
 *       and one JMH operation is one record delivered to it; one producer thread, started by the
 *       scenario ({@link Producers#freeRunning}), sends as fast as it can; after an attempt that
 *       finds the channel full it backs off with a {@link ProducerBackoff} (a bounded spin, the
 *       same for every channel, never a sleep) and tries again;</li>
 *   <li>{@code backToBack}: one thread produces a batch of {@value #BATCH} records (counting drops),
 *       then consumes it: no cross-core traffic, the cost of the operations themselves.</li>
 * </ul>
 * Each competitor is asked for the same work ({@link Sender}, {@link Reader}): one copy of the
 * payload in, an in-place read of its first 8 bytes out, 512 KiB of record memory
 * ({@code ChannelConfig.DEFAULT_CAPACITY}; slot channels get at least one slot per record of a
 * 500-record batch, see {@code ChannelConfig.slots}). The gc profiler runs with this scenario:
 * {@code gc.alloc.rate.norm} shows bytes allocated per operation (0 for the port's steady state).
 *
 * <p><b>Results</b> (JMH JSON, per second). Primary score, {@code parallel}: records delivered to
 * the consumer, and nothing else ({@code hits}, the same count, beside it). {@code backToBack}
 * likewise: one JMH operation is one record delivered (a batch is produced and consumed whenever
 * the last batch's records have been counted), so records a full channel dropped (the kernel's
 * per-CPU perf buffer holds fewer than 500 records of 1024 bytes in its half of the memory) are not
 * in the score. Secondary: {@code sent}
 * (records the producer placed), {@code drops} (attempts that found the channel full or failed to
 * reserve), {@code backoffs} (parallel: back-offs after those attempts, one per drop).
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run throughput}, or through JMH directly:
 * {@code java -jar benches.jar jmh ThroughputScenario -p channel=BPF_RINGBUF_LIBBPF -p payload=64 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ThroughputScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(1, "throughput", ThroughputScenario.class)
            .question("Records per second from one producer to one consumer, parallel and back-to-back, by payload size")
            .kinds(Scenario.allKinds())
            .gcProfiler()
            .param("payload", "64", "8,1024", "8,64,256,1024")
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
        bars("throughput", "throughput-parallel", "Throughput, one producer and one consumer in parallel")
                .benchmark("parallel").x("payload", "payload (bytes)")
                .yRate("records delivered", "records/s", jmh("hits"))
                .note("Producer and consumer threads run freely; after an attempt that finds the channel full "
                        + "the producer spins a bounded back-off, the same for every channel. " + JMH_ERROR),
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
                .note("gc.alloc.rate.norm over the measured iterations; warm-up allocation is not included. " + JMH_ERROR));

    /** The kernel benchmark's default batch ({@code --rb-batch-cnt}). */
    public static final int BATCH = 500;
    /** A channel that delivers nothing for this many back-to-back batches fails the run instead of hanging it. */
    static final int MAX_EMPTY_BATCHES = 1_000_000;

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

    /** {@code parallel}'s producer thread, started and stopped around each iteration. */
    @State(Scope.Thread)
    public static class Parallel {
        Producers producers;
        FreeRunCounters counters;
        /** The channel and the reader, from the state JMH injects (not necessarily this benchmark's instance). */
        Channel ch;
        Reader reader;
        int pending;

        @Setup(Level.Iteration)
        public void start(ThroughputScenario s, FreeRunCounters c) {
            counters = c;
            ch = s.ch;
            reader = s.reader;
            if (producers == null) {
                producers = Producers.freeRunning(s.ch, List.of(s.sender::send));
            }
            producers.start("throughput-producer");
        }

        @TearDown(Level.Iteration)
        public void stop() {
            producers.stop();
            counters.producers(producers);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown(Blackhole bh) {
        bh.consume(reader.checksum());
        ch.close();
        arena.close();
    }

    /** One record delivered to the consumer (this thread); the producer runs on its own thread. */
    @Benchmark
    public void parallel(Parallel p, Control ctl) {
        while (p.pending == 0) {
            if ((p.pending = p.ch.poll(p.reader, 512)) == 0) {
                p.producers.check();
                if (ctl.stopMeasurement) {
                    return; // the iteration has ended with no record (100 % discarded): at most one such operation
                }
            }
        }
        p.pending--;
        p.counters.hits++;
    }

    /** Records of the last back-to-back batch not yet counted as operations. */
    private int backToBackPending;
    /** Back-to-back batches in a row that delivered nothing. */
    private int emptyBatches;

    /** One record delivered: a batch is produced and consumed whenever the last one's records are used up. */
    @Benchmark
    public void backToBack(FreeRunCounters c) {
        while (backToBackPending == 0) {
            backToBackPending = batch(c);
            if (backToBackPending == 0 && ++emptyBatches > MAX_EMPTY_BATCHES) {
                throw new IllegalStateException(channel + ": " + MAX_EMPTY_BATCHES + " back-to-back batches in a row delivered nothing");
            }
        }
        emptyBatches = 0;
        backToBackPending--;
        c.hits++;
    }

    /** A batch of {@value #BATCH} attempts, then the consumer's polls until the channel is empty; the records delivered. */
    private int batch(FreeRunCounters c) {
        for (int i = 0; i < BATCH; i++) {
            if (sender.send()) {
                c.sent++;
            } else {
                c.drops++;
            }
        }
        int delivered = 0;
        int n;
        while ((n = ch.poll(reader, BATCH)) > 0) {
            delivered += n;
        }
        return delivered;
    }
}
