package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import java.util.List;
import java.util.EnumSet;
import dev.ringbench.benches.support.ConsumerCounters;
import dev.ringbench.benches.support.SideMetrics;
import dev.ringbench.benches.support.WakeupMetrics;
import dev.ringbench.benches.support.ProducerCounters;
import dev.ringbench.benches.support.Reader;
import dev.ringbench.benches.support.Sender;
import dev.ringbench.benches.support.WakeupCounters;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.WakeupPolicy;
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
import org.openjdk.jmh.infra.IterationParams;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

import static dev.ringbench.benches.charts.ChartSpec.lines;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.ratio;
import static dev.ringbench.benches.charts.ChartSpec.extra;
import static dev.ringbench.benches.charts.ChartSpec.JMH_ERROR;

/**
 * <b>Question:</b> in back-to-back mode, how do throughput and the number of wake-ups change as
 * the sampled wake-up rate goes from 1 to 3000, for the BPF ring buffer against the perf buffer?
 *
 * <p>As the kernel benchmark's {@code --rb-b2b --rb-sampled --rb-sample-rate N} (and
 * {@code --pb-b2b} with {@code wakeup_events = N}): one thread produces a batch of
 * {@value #BATCH} records of {@code payload} bytes (8, the kernel benchmark's record; drops
 * counted, never waited on), then consumes everything available, and again. The ring buffer's
 * producer commits with {@link WakeupPolicy#SAMPLED}: {@code BPF_RB_FORCE_WAKEUP} once the
 * available data reaches {@code sampleRate} records of 16 bytes, {@code BPF_RB_NO_WAKEUP}
 * otherwise; the perf-buffer analogue wakes every {@code sampleRate} samples
 * ({@code wakeup_events}, plus its half-ring watermark). The port with both ring buffer consumers
 * (libbpf's loop and the kernel benchmark's batched one) and the perf-buffer analogue take part;
 * the peers have no sampled wake-up, so they are not defined for this scenario. The real kernel's
 * kinds could run it ({@link #config} accepts them) but {@link #SCENARIO} leaves them out: each of their
 * records is one {@code BPF_PROG_TEST_RUN} syscall, which drowns the cost of the wake-up calls, and
 * they count wake-ups received in epoll, which back-to-back never waits in.
 *
 * <p><b>In back-to-back mode the consumer polls without waiting</b>: nobody sleeps, so no wake-up
 * is ever needed, and the sample rate's cost is the cost of the wake-up calls themselves (queueing
 * the deferred notification and running it, and for {@code SAMPLED} the {@code BPF_RB_AVAIL_DATA}
 * query on every commit). With a batch of {@value #BATCH} 16-byte records at most 8000 bytes are
 * ever available, so rates above {@value #BATCH} send no wake-up at all from the ring buffer.
 *
 * <p><b>Results.</b> JMH JSON, per second: primary score and {@code hits} (records consumed),
 * {@code sent}, {@code drops}, {@code notifications}, {@code wakeups} (the two events of
 * {@link dev.ringbench.competitors.Channel#counters()}; {@code wakeups} is 0 here, nobody sleeps).
 * Beside them, the secondary metrics {@code notificationsPer1000} and {@code wakeupsPer1000} (per
 * 1000 records delivered; {@link SideMetrics}, one value per iteration, the score their mean; no
 * value for an iteration that delivered nothing).
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run sample-rate}, or through JMH directly:
 * {@code java -jar benches.jar jmh SampleRateScenario -p channel=PERFBUF -p sampleRate=1,100,3000}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SampleRateScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(4, "sample-rate", SampleRateScenario.class)
            .question("Back-to-back throughput as the sampled wake-up rate goes from 1 to 3000 (ring buffer vs perf buffer)")
            .kinds(EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF, ChannelKind.BPF_RINGBUF_BATCHED, ChannelKind.PERFBUF))
            .param("sampleRate", "100", "1,100,3000", "1,5,10,50,100,500,1000,2000,3000")
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
        lines("sample-rate", "sample-rate-throughput", "Back-to-back throughput by sampled wake-up rate")
                .x("sampleRate", "sample rate (records per wake-up)").logX()
                .yRate("records delivered", "records/s", jmh("hits"))
                .note("Ring buffer: FORCE once N records are available, else NO_WAKEUP; perf buffer: "
                        + "wakeup_events = N. Nobody sleeps: the cost is that of the wake-up calls. " + JMH_ERROR),
        lines("sample-rate", "sample-rate-wakeups", "Notifications per 1000 records by sampled wake-up rate")
                .x("sampleRate", "sample rate (records per wake-up)").logX()
                // runs from before the two events were named counted the port's and the analogue's
                // notifications as "wakeups": the same event for these kinds, read as a fallback
                .y("notifications per 1000 records delivered", "", jmh("notificationsPer1000"),
                        extra("wakeups", "notificationsPer1000"), ratio("notifications", 1000, "hits"),
                        jmh("wakeupsPer1000"), extra("wakeups", "wakeupsPer1000"), ratio("wakeups", 1000, "hits"))
                .note("Notifications: the producer signalled a possibly sleeping consumer (the port's wake-up work "
                        + "ran; perf_output_wakeup). Nobody sleeps here, so no consumer wake-up. Per iteration, "
                        + "mean over the measured iterations."));

    /** The scenario id (results file names). */
    public static final String ID = "sample-rate";
    /** The kernel benchmark's default batch ({@code --rb-batch-cnt}). */
    public static final int BATCH = 500;

    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    /** Ring buffer: {@code SAMPLED} with N = this; perf buffer: {@code wakeup_events} = this. */
    @Param({"100"})
    public int sampleRate;

    @Param({"8"})
    public int payload;

    private Channel ch;
    private Arena arena;
    private Sender sender;
    private final Reader reader = new Reader();
    private ChannelCounters last;
    private ChannelCounters first;
    private long records0;

    /** The channel's configuration: the sample rate as this kind's wake-up setting. */
    static ChannelConfig config(ChannelKind kind, int sampleRate, int payload) {
        ChannelConfig c = ChannelConfig.defaults().withMaxRecordLength(Math.max(payload, 8));
        return switch (kind) {
            case BPF_RINGBUF_LIBBPF, BPF_RINGBUF_BATCHED, KERNEL_RINGBUF_LIBBPF, KERNEL_RINGBUF_BATCHED ->
                    c.withWakeup(WakeupPolicy.SAMPLED, sampleRate);
            case PERFBUF, KERNEL_PERFBUF -> c.withPerfWakeup(sampleRate, 0);
            default -> throw new IllegalArgumentException(kind + " has no sampled wake-up (ring buffer and perf buffer only)");
        };
    }

    @Setup(Level.Trial)
    public void setup(BenchmarkParams bp) {
        ch = channel.create(config(channel, sampleRate, payload));
        arena = Arena.ofShared();
        sender = new Sender(ch, 0, payload, arena);
    }

    @Setup(Level.Iteration)
    public void beginIteration(IterationParams ip) {
        ChannelCounters k = ch.counters();
        first = k;
        records0 = k.delivered();
        last = k;
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        ChannelCounters k = ch.counters();
        WakeupMetrics.reportPer1000(first, k, k.delivered() - records0);
    }

    @TearDown(Level.Trial)
    public void tearDown(Blackhole bh) {
        bh.consume(reader.checksum());
        ch.close();
        arena.close();
    }

    /** Records of the last batch not yet counted as operations. */
    private int pending;

    /** One record delivered: a batch is produced and consumed whenever the last one's records are used up. */
    @Benchmark
    public void backToBack(ProducerCounters p, ConsumerCounters c, WakeupCounters w) {
        while (pending == 0) {
            pending = batch(p, w);
            if (pending == 0) {
                throw new IllegalStateException(channel + ": a back-to-back batch delivered nothing");
            }
        }
        pending--;
        c.hits++;
    }

    /** A batch of {@value #BATCH} attempts, then polls until the channel is empty; the records delivered. */
    private int batch(ProducerCounters p, WakeupCounters w) {
        for (int i = 0; i < BATCH; i++) {
            if (sender.send()) {
                p.sent++;
            } else {
                p.drops++;
            }
        }
        int delivered = 0;
        int n;
        while ((n = ch.poll(reader, BATCH)) > 0) {
            delivered += n;
        }
        ChannelCounters k = ch.counters(); // once per batch
        w.notifications += WakeupMetrics.notifications(last, k);
        w.wakeups += k.wakeups() - last.wakeups();
        last = k;
        return delivered;
    }
}
