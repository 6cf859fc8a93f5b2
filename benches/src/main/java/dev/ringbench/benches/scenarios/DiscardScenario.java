package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import java.util.List;
import dev.ringbench.benches.support.ConsumerCounters;
import dev.ringbench.benches.support.ProducerCounters;
import dev.ringbench.benches.support.Reader;
import dev.ringbench.benches.support.Sender;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The consumer polls ({@code poll(reader, 512)}, no waiting) and reads each delivered record in
 * place. A full channel is a drop, whatever the record was going to be.
 *
 * <p><b>Not supported:</b> competitors that cannot give a reserved record up (the perf-buffer
 * analogue, JCTools, the real kernel's perf buffer, and the real kernel's ring, whose reservations
 * cannot outlive the BPF program run that makes them) are left out by the predicate of {@link #SCENARIO} ({@code Capabilities.discard()}) and
 * listed as "not supported" in {@code run.json}: they would have to send the record and let the
 * consumer drop it, which is different work.
 *
 * <p><b>Metrics</b> (ops/s): {@code attempts} (reservations tried), {@code sent} (committed),
 * {@code discards} (reserved, then discarded), {@code drops} (found the channel full: attempts =
 * sent + discards + drops) and {@code hits} (records delivered to the consumer; 0 at 100 %). The
 * primary score counts producer and consumer calls together and is not the number to read.
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run discard}, or through JMH directly:
 * {@code java -jar benches.jar jmh DiscardScenario -p channel=DISRUPTOR_BUSYSPIN -p discardPercent=10,90}.
 */
@State(Scope.Group)
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

    /** Per producer thread, as rates: attempts made, and reservations discarded. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class DiscardCounters {
        public long attempts;
        public long discards;
    }

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

    @Benchmark
    @Group("parallel")
    @GroupThreads(1)
    public void produce(ProducerCounters c, DiscardCounters d) {
        int i = next;
        next = i == PERIOD - 1 ? 0 : i + 1;
        d.attempts++;
        if (discard[i]) {
            if (sender.sendDiscarded()) {
                d.discards++;
            } else {
                c.drops++;
            }
        } else if (sender.send()) {
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
}
