package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import java.util.List;
import dev.ringbench.benches.support.FreeRunCounters;
import dev.ringbench.benches.support.ProducerBackoff;
import dev.ringbench.benches.support.Producers;
import dev.ringbench.benches.support.SideMetrics;
import dev.ringbench.benches.support.WakeupMetrics;
import dev.ringbench.benches.support.Reader;
import dev.ringbench.benches.support.Sender;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.bpfringbuf.BpfRingBufChannel;
import dev.ringbench.ringbuf.BpfRingBuf;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.IterationParams;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.ringbench.benches.charts.ChartSpec.lines;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.ratio;
import static dev.ringbench.benches.charts.ChartSpec.extra;

/**
 * <b>Question:</b> how do throughput and drops change as producers are added to one channel,
 * including more producers than cores?
 *
 * <p>{@code producers} producer threads and one consumer thread run freely (the kernel benchmark's
 * multi-producer contention mode). The consumer is the JMH thread, and one JMH operation is one
 * record delivered to it; the producers are threads the scenario starts
 * ({@link Producers#freeRunning}), each with its own producer index, each sending one copy of a
 * {@code payload}-byte record in ({@link Sender}) after another; an attempt that finds the channel
 * full or fails to reserve is a drop, followed by the bounded spin back-off every channel gets
 * ({@link ProducerBackoff}), never a sleep. The consumer waits as the kernel benchmark's consumers do,
 * under the channel's own strategy ({@code await(reader, 512, 10 ms)}: epoll-like poll for the ring
 * and perf buffers, the Disruptor's wait strategy, JCTools' and Agrona's idle strategies), and reads
 * each record's first 8 bytes in place ({@link Reader}); the producers run until the iteration's
 * tear-down, so a wait without timeout (the Disruptor's) always returns. Every
 * channel has 512 KiB of record memory in total (the perf-buffer analogue splits it into one ring
 * per producer). Every multi-producer competitor takes part, the Disruptor with the two ends of its
 * wait strategies (blocking and busy-spin; {@link #SCENARIO} leaves out lite-blocking, sleeping and
 * yielding, which the notification scenario compares); {@link ChannelKind#AGRONA_ONE_TO_ONE} is
 * single-producer, so "not supported" here means it cannot be shared by two producers at all and
 * {@link #SCENARIO} leaves it out.
 *
 * <p><b>More producers than cores.</b> The runner sweeps 1, 2, 4, ... up to {@code -p N} producers
 * (default 8); on a machine with
 * {@code cores} CPUs (2 here, see {@code env.json}), every count with {@code producers + 1 > cores}
 * is oversubscribed, and the charts mark counts above {@code cores}: threads are time-sliced, so a
 * producer can be descheduled while holding the ring buffer's reservation lock or a
 * reserved-but-uncommitted record (which stalls the consumer and, once the ring wraps, every other
 * producer), and a spinning consumer takes CPU from the producers. The kernel runs BPF producers
 * with preemption off, so these points measure the JVM's deviation as much as the design.
 *
 * <p><b>Results</b> (JMH JSON, per second of the consumer's measured time): primary score
 * {@code contention}, records delivered to the consumer and nothing else ({@code hits}, the same
 * count, beside it); the producers' {@code sent}, {@code drops} (failed attempts) and
 * {@code backoffs}; {@code notifications} and {@code wakeups} (the two events of
 * {@link dev.ringbench.competitors.Channel#counters()}), and for the BPF ring buffer port its
 * reservation lock's {@code lockContended}, {@code lockBackoffs} (yields and parks) and
 * {@code lockTimeouts} (0 for the other competitors). Beside them, secondary metrics
 * ({@link SideMetrics}, one value per iteration, the score their mean) from the channel's counters
 * and the consumer thread's clock: {@code deliveredPerSecond}, {@code dropsPerSecond},
 * {@code notificationsPerSecond} (not for the kernel's rings), {@code wakeupsPerSecond}.
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run contention -p 8}, or through JMH directly:
 * {@code java -jar benches.jar jmh ContentionScenario -p channel=BPF_RINGBUF_LIBBPF -p producers=4}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ContentionScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(2, "contention", ContentionScenario.class)
            .question("How throughput and drops change as producers are added (more producers than cores included)")
            .supports(c -> c.multiProducer())
            .kinds(Scenario.twoDisruptorStrategies())
            .sweepsProducers()
            .param("payload", "64", "64", "64")
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
        lines("contention", "contention-throughput", "Throughput as producers are added")
                .x("producers", "producer threads (plus one consumer thread)").logX().markCores()
                .yRate("records delivered", "records/s", jmh("deliveredPerSecond"), extra("rates", "deliveredPerSecond"),
                        jmh("hits"))
                .note("Records the consumer received per second of its own clock (deliveredPerSecond, the mean "
                        + "over iterations; the primary score counts the same records). Right of the dashed "
                        + "line the producers and the consumer outnumber the cores: threads are time-sliced, and a "
                        + "preempted producer can hold the ring's lock or an uncommitted record."),
        lines("contention", "contention-drops", "Drops as producers are added")
                .x("producers", "producer threads (plus one consumer thread)").logX().markCores()
                .y("attempts that found the channel full", "% of attempts", ratio("drops", 100, "sent", "drops"))
                .note("drops / (sent + drops), all producers together."));

    /** The scenario id (results file names). */
    public static final String ID = "contention";
    /** Records the consumer takes per poll. */
    static final int POLL_LIMIT = 512;
    /** The consumer's bounded wait. */
    static final long AWAIT_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    @Param({"64"})
    public int payload;

    /** Producer threads, which the scenario starts itself. */
    @Param({"1"})
    public int producers;

    Channel ch;
    Arena arena;
    private final AtomicInteger nextProducer = new AtomicInteger();
    private final Reader reader = new Reader();
    BpfRingBuf ring; // null unless the channel is the BPF ring buffer

    @Setup(Level.Trial)
    public void setup(BenchmarkParams bp) {
        ch = channel.create(ChannelConfig.defaults().withProducers(producers).withMaxRecordLength(Math.max(payload, 8)));
        arena = Arena.ofShared();
        ring = ch instanceof BpfRingBufChannel b ? b.ring() : null;
    }

    /**
     * Closes the channel: called by the consumer thread's trial tear-down
     * ({@link ConsumerThread#finish}), not by a tear-down of this group state, which JMH may run on a
     * producer thread while the consumer is still in its last iteration's tear-down.
     */
    void finish() {
        ch.shutdown();
        ch.close();
        arena.close();
    }

    /** Hands producer index {@code 0, 1, ...} to each producer, once. */
    Sender newSender() {
        int index = nextProducer.getAndIncrement();
        if (index >= producers) {
            throw new IllegalStateException("more producers than producers=" + producers);
        }
        return new Sender(ch, index, payload, arena);
    }

    /** The producer threads, started and stopped around each iteration; the consumer's view of the channel. */
    @State(Scope.Thread)
    public static class Parallel {
        ContentionScenario s;
        Producers producers;
        FreeRunCounters counters;
        int pending;

        @Setup(Level.Iteration)
        public void start(ContentionScenario s, FreeRunCounters c) {
            this.s = s;
            counters = c;
            if (producers == null) {
                List<Producers.Attempt> attempts = new ArrayList<>();
                for (int i = 0; i < s.producers; i++) {
                    attempts.add(s.newSender()::send);
                }
                producers = Producers.freeRunning(s.ch, attempts);
            }
            producers.start("contention-producer");
        }

        @TearDown(Level.Iteration)
        public void stop() {
            producers.stop();
            counters.producers(producers);
        }
    }

    /**
     * The consumer thread's counters, per second: the channel's {@code notifications} and
     * {@code wakeups}, and the BPF ring
     * buffer port's reservation lock (0 for the other competitors): acquisitions that found it held,
     * waiter yields and parks, and 0.25 s timeouts. Counted over the consumer thread's iteration (a
     * snapshot before, the difference after), like JMH's own counters, which also run through the
     * threads' start and end synchronisation.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class ConsumerThread {
        public long notifications;
        public long wakeups;
        public long lockContended;
        public long lockBackoffs;
        public long lockTimeouts;
        private long wall0;
        private long delivered0;
        private long drops0;
        private ChannelCounters counters0;
        private long contended0;
        private long backoffs0;
        private long timeouts0;

        @Setup(Level.Iteration)
        public void snapshot(ContentionScenario s, IterationParams ip) {
            ChannelCounters k = s.ch.counters();
            delivered0 = k.delivered();
            drops0 = k.drops();
            counters0 = k;
            wall0 = System.nanoTime();
            if (s.ring != null) {
                contended0 = s.ring.lockContended();
                backoffs0 = s.ring.lockBackoffs();
                timeouts0 = s.ring.lockTimeouts();
            }
        }

        @TearDown(Level.Iteration)
        public void difference(ContentionScenario s) {
            long wall = System.nanoTime() - wall0;
            ChannelCounters k = s.ch.counters();
            notifications = WakeupMetrics.notifications(counters0, k);
            wakeups = k.wakeups() - counters0.wakeups();
            SideMetrics.reportRatio("deliveredPerSecond", k.delivered() - delivered0, wall, 1e9, "records/s");
            SideMetrics.reportRatio("dropsPerSecond", k.drops() - drops0, wall, 1e9, "drops/s");
            if (k.notifications() != ChannelCounters.NOT_OBSERVABLE) {
                SideMetrics.reportRatio("notificationsPerSecond", notifications, wall, 1e9, "notifications/s");
            }
            SideMetrics.reportRatio("wakeupsPerSecond", wakeups, wall, 1e9, "wake-ups/s");
            if (s.ring != null) {
                lockContended = s.ring.lockContended() - contended0;
                lockBackoffs = s.ring.lockBackoffs() - backoffs0;
                lockTimeouts = s.ring.lockTimeouts() - timeouts0;
            }
        }

        @TearDown(Level.Trial)
        public void finish(ContentionScenario s, Blackhole bh) {
            bh.consume(s.reader.checksum());
            s.finish();
        }
    }

    /** One record delivered to the consumer (this thread), waiting under the channel's strategy. */
    @Benchmark
    public void contention(Parallel p, ConsumerThread t, Control ctl) {
        while (p.pending == 0) {
            int n = p.s.ch.await(p.s.reader, POLL_LIMIT, AWAIT_TIMEOUT_NANOS);
            if (n < 0) {
                p.producers.check();
                throw new IllegalStateException(channel + ": channel shut down during the iteration");
            }
            if (n == 0) {
                p.producers.check();
                if (ctl.stopMeasurement) {
                    return; // nothing arrived before the iteration ended: at most one such operation
                }
            }
            p.pending = n;
        }
        p.pending--;
        p.counters.hits++;
    }
}
