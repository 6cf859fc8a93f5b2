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
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

import static dev.ringbench.benches.charts.ChartSpec.lines;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.JMH_ERROR;

/**
 * <b>Question:</b> how does throughput change as the share of reservations that are discarded
 * (reserved, written, then given up) goes from 0 to 100 %?
 *
 * <p>One producer thread and one consumer thread run freely ({@code parallel}, as in
 * {@link ThroughputScenario}). Each producer attempt reserves a record of {@value #PAYLOAD} bytes,
 * copies the payload in, then either commits it or discards it: record {@code i} is discarded when
 * {@code ((i % 100 + 1) * discardPercent / 100) > ((i % 100) * discardPercent / 100)}, so exactly
 * {@code discardPercent} of every 100 attempts are discarded, evenly spread (every other record at
 * 50 %, every tenth at 10 %). What each competitor is asked to do:
 * <ul>
 *   <li>BPF ring buffer (both consumer loops): {@code bpf_ringbuf_reserve}, then
 *       {@code bpf_ringbuf_submit} or {@code bpf_ringbuf_discard}; the consumer skips discarded
 *       records without delivering them;</li>
 *   <li>Agrona ring buffers: {@code tryClaim}, then {@code commit} or {@code abort} (the record
 *       becomes padding the reader skips);</li>
 *   <li>Disruptor (every wait strategy): {@code tryNext}, then {@code publish} of a slot whose
 *       {@code discarded} flag is clear or set; the consumer skips flagged slots.</li>
 * </ul>
 * The consumer is the JMH thread: it polls ({@code poll(reader, 512)}, no waiting) and reads each
 * delivered record in place. The producer is a thread the scenario starts
 * ({@link Producers#freeRunning}); an attempt that finds the channel full is a drop, whatever the
 * record was going to be, followed by the bounded spin back-off every channel gets
 * ({@link ProducerBackoff}).
 *
 * <p><b>Not supported:</b> competitors that cannot give a reserved record up (the perf-buffer
 * analogue, JCTools, the real kernel's perf buffer, and the real kernel's ring, whose reservations
 * cannot outlive the BPF program run that makes them) are left out by the predicate of {@link #SCENARIO} ({@code Capabilities.discard()}) and
 * listed as "not supported" in {@code run.json}: they would have to send the record and let the
 * consumer drop it, which is different work.
 *
 * <p><b>Metrics</b> (per second). Primary score: records delivered to the consumer (one JMH
 * operation is one record), with {@code hits} the same count beside it. At 100 % nothing is
 * delivered: the consumer's only operation of an iteration ends, without a record, when the
 * iteration does, so the primary score is at most one operation per iteration ({@code hits} 0):
 * read {@code attempts} there. Secondary, from the producer thread:
 * {@code attempts} (reservations tried), {@code sent} (committed), {@code discards} (reserved,
 * then discarded), {@code drops} (found the channel full: attempts = sent + discards + drops) and
 * {@code backoffs} (one per drop).
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run discard}, or through JMH directly:
 * {@code java -jar benches.jar jmh DiscardScenario -p channel=DISRUPTOR_BUSYSPIN -p discardPercent=10,90}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DiscardScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(5, "discard", DiscardScenario.class)
            .question("Throughput as the share of discarded reservations goes from 0 to 100 %")
            .supports(c -> c.discard())
            .kinds(Scenario.twoDisruptorStrategies())
            .param("discardPercent", "50", "0,50", "0,10,50,90,100")
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
        lines("discard", "discard-throughput", "Producer throughput as the share of discarded reservations grows")
                .x("discardPercent", "reservations discarded (%)")
                .yRate("reservations attempted", "attempts/s", jmh("attempts"))
                .note("Each attempt reserves, writes, then commits or discards (ring buffer discard, Agrona abort, "
                        + "Disruptor skip flag). " + JMH_ERROR),
        lines("discard", "discard-delivered", "Records delivered as the share of discarded reservations grows")
                .x("discardPercent", "reservations discarded (%)")
                .yRate("records delivered", "records/s", jmh("hits"))
                .note("Discarded records are skipped by the consumer: 0 at 100 %. " + JMH_ERROR));

    /** Payload bytes of every record, committed or discarded. */
    public static final int PAYLOAD = 64;
    /** The pattern repeats every this many attempts. */
    static final int PERIOD = 100;

    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    @Param({"0", "10", "50", "90", "100"})
    public int discardPercent;

    Channel ch;
    private Arena arena;
    private Sender sender;
    private final Reader reader = new Reader();
    /** {@code discard[i % PERIOD]}: whether attempt {@code i} is discarded. */
    private boolean[] discard;
    /** The producer thread's position in the pattern (one producer: only its thread touches it). */
    private int next;

    /** Producer-side counts of the last iteration, as rates on the consumer thread: attempts made, reservations discarded. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class DiscardCounters {
        public long attempts;
        public long discards;
    }

    /** The producer thread's own counts (written by it, read after it stopped). */
    private long attempts;
    private long discards;

    /** Exactly {@code percent} of every {@value #PERIOD} entries true, evenly spread. */
    static boolean[] pattern(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in [0, 100]: " + percent);
        }
        boolean[] p = new boolean[PERIOD];
        for (int i = 0; i < PERIOD; i++) {
            p[i] = (i + 1) * percent / 100 > i * percent / 100;
        }
        return p;
    }

    @Setup(Level.Trial)
    public void setup() {
        if (!channel.capabilities().discard()) {
            throw new IllegalArgumentException(channel + " cannot discard a reserved record: not supported");
        }
        discard = pattern(discardPercent);
        ch = channel.create(ChannelConfig.defaults().withMaxRecordLength(PAYLOAD));
        arena = Arena.ofShared();
        sender = new Sender(ch, 0, PAYLOAD, arena);
    }

    @TearDown(Level.Trial)
    public void tearDown(Blackhole bh) {
        bh.consume(reader.checksum());
        ch.close();
        arena.close();
    }

    /** One attempt of the producer thread: true when the record was committed or discarded, false when dropped. */
    boolean produce() {
        int i = next;
        next = i == PERIOD - 1 ? 0 : i + 1;
        attempts++;
        if (discard[i]) {
            if (sender.sendDiscarded()) {
                discards++;
                return true;
            }
            return false;
        }
        return sender.send();
    }

    /** The producer thread, started and stopped around each iteration; the consumer's view of the channel. */
    @State(Scope.Thread)
    public static class Parallel {
        Producers producers;
        FreeRunCounters counters;
        DiscardCounters discardCounters;
        DiscardScenario s;
        int pending;

        @Setup(Level.Iteration)
        public void start(DiscardScenario s, FreeRunCounters c, DiscardCounters d) {
            this.s = s;
            counters = c;
            discardCounters = d;
            if (producers == null) {
                producers = Producers.freeRunning(s.ch, List.of(s::produce));
            }
            s.attempts = 0;
            s.discards = 0;
            producers.start("discard-producer");
        }

        @TearDown(Level.Iteration)
        public void stop() {
            producers.stop();
            counters.producers(producers);
            counters.sent -= s.discards; // the loop counts a discard as a success
            discardCounters.attempts = s.attempts;
            discardCounters.discards = s.discards;
        }
    }

    /** One record delivered to the consumer (this thread), below 100 % discarded. */
    @Benchmark
    public void parallel(Parallel p, Control ctl) {
        while (p.pending == 0) {
            if ((p.pending = p.s.ch.poll(p.s.reader, 512)) == 0) {
                p.producers.check();
                if (ctl.stopMeasurement) {
                    return; // the iteration has ended with no record (100 % discarded): at most one such operation
                }
            }
        }
        p.pending--;
        p.counters.hits++;
    }
}
