package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import dev.ringbench.benches.support.AwaitedRecords;
import dev.ringbench.benches.support.Delivered;
import dev.ringbench.benches.support.BackgroundThreads;
import dev.ringbench.benches.support.Reader;
import dev.ringbench.benches.support.HdrLogs;
import dev.ringbench.benches.support.LatencyAccount;
import dev.ringbench.benches.support.LatencyRecorder;
import dev.ringbench.benches.support.Pacer;
import dev.ringbench.benches.support.Sender;
import dev.ringbench.benches.support.SideMetrics;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
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
import org.openjdk.jmh.runner.IterationType;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.ringbench.benches.charts.ChartSpec.bars;
import static dev.ringbench.benches.charts.ChartSpec.hdr;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.ratio;

/**
 * <b>Question:</b> at a fixed offered load, how long does a record take from the moment it was
 * <em>meant</em> to be sent to the moment the consumer reads it (percentiles to 99.99 and the
 * maximum), through each channel and its wait strategy, and did the channel keep up with the load
 * at all?
 *
 * <p><b>Open loop, against intended time (no coordinated omission).</b> A producer thread started
 * by the scenario sends one record of {@value #PAYLOAD} bytes every {@code 1e9 / ratePerSecond} ns
 * ({@link Pacer}): record {@code i} is due at {@code start + i * 1e9 / rate}
 * ({@link System#nanoTime()}, {@code start} 1 ms after the iteration's set-up), the producer spins
 * until then, writes that <em>intended</em> time into the record's first 8 bytes and sends
 * ({@link Sender}: reserve-copy-commit or copy-in, one copy). A producer that falls behind sends at
 * once but keeps the intended time and never skips a slot, so its own stalls count as latency. A
 * full channel is a drop (counted, not retried). The consumer is the JMH thread:
 * {@link Channel#await} under the channel's own wait strategy (bounded by {@value #AWAIT_TIMEOUT_MS}
 * ms where the channel honours timeouts; the Disruptor's do not, but the producer runs for the
 * whole measured loop, so records always come), and every record delivered is recorded as
 * {@code nanoTime() - intended} in an HdrHistogram (3 significant digits, up to 10 s; larger values
 * are clamped). Every competitor is asked for the same work: one producer, one consumer, 512 KiB of
 * record memory, the record read in place.
 *
 * <p><b>Accounting, and what the percentiles include</b> ({@link LatencyAccount}, per iteration).
 * The schedule runs from the iteration's set-up until its tear-down stops the producer. Of the
 * records {@code due} by then: {@code sent} (of which {@code sentLate}: the producer reached them
 * more than {@value Pacer#LATE_NS} ns after their intended time), {@code unsent} (the producer never
 * got to them), {@code dropped} (channel full); of those sent, {@code delivered} to the consumer
 * within the iteration and {@code undelivered} (still in the channel at its end, then discarded).
 * <b>The percentiles are of delivered records only</b>, measured from their intended send time;
 * dropped, unsent and undelivered records have no latency and are reported beside them as counts
 * and as {@code deliveredFraction} (delivered / due). An iteration that delivered less than 99 % of
 * what was due is <b>saturated</b> ({@code saturated} = 1): the channel, its wait strategy or the
 * producer fell behind the offered load, and its percentiles describe only what got through. The
 * charts mark such runs.
 *
 * <p><b>Mode and primary score.</b> Throughput, driven by JMH's iteration time (the preset's times
 * apply unchanged). One JMH operation is one record delivered to the consumer, so the primary
 * score ({@code consume}) is <em>records delivered per second</em> ({@code hits} beside it counts the same): the offered rate when the
 * channel keeps up, less when it does not. It is not a latency; the latencies are the secondary
 * metrics.
 *
 * <p><b>Results.</b> Secondary metrics ({@link SideMetrics}), one value per measured iteration in
 * {@code rawData}, the score their mean over iterations (not a sum): {@code p50Us}, {@code p90Us},
 * {@code p99Us}, {@code p999Us}, {@code p9999Us}, {@code maxUs}, {@code meanUs} (microseconds, that
 * iteration's histogram), the counts {@code due}, {@code sent}, {@code sentLate}, {@code unsent},
 * {@code dropped}, {@code delivered}, {@code undelivered}, {@code lost} (records),
 * {@code deliveredFraction}, {@code sentLateFraction} and {@code saturated} (0 or 1). Every
 * measurement iteration's histogram (values in ns) is in
 * {@code hdr/latency_<channel>_ratePerSecond-<rate>.hlog} (HistogramLogWriter; read with
 * HistogramLogReader or HistogramLogProcessor). Without {@code -Dringbench.out} nothing is written
 * but all is measured.
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run latency}, or
 * {@code java -jar benches.jar jmh LatencyScenario -p channel=BPF_RINGBUF_LIBBPF -p ratePerSecond=100000}.
 */
@State(Scope.Thread) // one JMH thread: the consumer
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LatencyScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(8, "latency", LatencyScenario.class)
            .question("Latency percentiles (to 99.99 and max) at a fixed offered load, open loop, with saturated runs marked")
            .kinds(Scenario.allKinds())
            .param("ratePerSecond", "10000", "100000", "10000,100000,500000")
            .build();

    /** The caption sentence on what the percentiles include (one place for both charts). */
    static final String INCLUDED = "Receive time minus intended send time (open loop, no coordinated omission), "
            + "delivered records only: dropped, unsent and undelivered records are not in the percentiles "
            + "(chart latency-accounting counts them).";

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
        hdr("latency", "latency", "Latency by percentile at a fixed offered load")
                .splitBy("ratePerSecond")
                .note(INCLUDED + " Each competitor's own wait strategy; all measured iterations' histograms added."),
        bars("latency", "latency-percentiles", "Latency percentiles at a fixed offered load")
                .splitBy("ratePerSecond").logY().x(null, "percentile")
                .field("p50", jmh("p50Us"))
                .field("p90", jmh("p90Us"))
                .field("p99", jmh("p99Us"))
                .field("p99.9", jmh("p999Us"))
                .field("p99.99", jmh("p9999Us"))
                .field("max", jmh("maxUs"))
                .y("latency", "µs")
                .note(INCLUDED + " Each measured iteration's percentiles, mean over the iterations (the percentile "
                        + "plot adds all iterations' histograms and names the saturated runs: those that delivered less "
                        + "than 99 % of the records due in some iteration, whose percentiles describe only what got "
                        + "through)."),
        bars("latency", "latency-accounting", "What became of the records due at a fixed offered load")
                .splitBy("ratePerSecond").x(null, "record")
                .field("delivered", jmh("deliveredFraction", 100))
                .field("dropped", ratio("dropped", 100, "due"))
                .field("not sent", ratio("unsent", 100, "due"))
                .field("undelivered at end", ratio("undelivered", 100, "due"))
                .field("sent late", ratio("sentLate", 100, "due"))
                .y("share of records due", "%")
                .note("Per iteration, of the records due by the producer's schedule: delivered to the consumer, "
                        + "dropped (channel full), never sent (the producer fell behind), still in the channel when the "
                        + "iteration ended, and sent more than " + Pacer.LATE_NS / 1000 + " µs after their intended "
                        + "time. Below 99 % delivered an iteration is saturated."));

    public static final String ID = "latency";
    /** Payload bytes of every record (the intended time in the first 8). */
    public static final int PAYLOAD = 64;
    static final long AWAIT_TIMEOUT_MS = 10;
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(10);
    /** The schedule starts this long after the iteration's set-up, once the producer thread runs. */
    static final long LEAD_IN_NS = TimeUnit.MILLISECONDS.toNanos(1);

    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    @Param({"10000"})
    public int ratePerSecond;

    private Channel ch;
    private Arena arena;
    private BackgroundThreads threads;
    private Pacer pacer;
    final LatencyRecorder recorder = new LatencyRecorder(HIGHEST_TRACKABLE_NS);
    private final Reader discard = new Reader();
    private HistogramLogWriter log;
    private boolean measurement;
    private long iterationStartMs;
    /** The consumer's records, one per operation. */
    private AwaitedRecords records;
    /** The last finished iteration's account (tests). */
    LatencyAccount lastAccount;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams bp) {
        ch = channel.create(ChannelConfig.defaults().withMaxRecordLength(PAYLOAD));
        arena = Arena.ofShared();
        threads = new BackgroundThreads(ch);
        records = new AwaitedRecords(ch, recorder, TimeUnit.MILLISECONDS.toNanos(AWAIT_TIMEOUT_MS), threads, channel.name());
        pacer = new Pacer(new Sender(ch, 0, PAYLOAD, arena), ratePerSecond);
        Path file = bp == null ? null : HdrLogs.file(ID, HdrLogs.params(bp)); // hdr/latency_<channel>_ratePerSecond-<rate>.hlog
        if (file != null) {
            try {
                Files.createDirectories(file.getParent());
                log = new HistogramLogWriter(file.toFile());
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
            long now = System.currentTimeMillis();
            log.outputComment("ringbench " + ID + ": channel=" + channel + " ratePerSecond=" + ratePerSecond
                    + " payload=" + PAYLOAD + " waitStrategy=" + ch.waitStrategy()
                    + "; latency = receive - intended send time, in ns, delivered records only (dropped, unsent and "
                    + "undelivered records are counted in the JMH JSON); one interval per measurement iteration");
            log.outputLogFormatVersion();
            log.outputStartTime(now);
            log.setBaseTime(now);
            log.outputLegend();
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams ip) {
        measurement = ip.getType() == IterationType.MEASUREMENT;
        recorder.reset();
        records.restart(); // an iteration's operations are its own records
        iterationStartMs = System.currentTimeMillis();
        threads.start("latency-producer", List.of(pacer.loop(System.nanoTime() + LEAD_IN_NS, threads::running)));
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        threads.stop(); // the pacer ends its schedule: what was due by now is accounted for
        long undelivered = 0;
        int n;
        while ((n = ch.poll(discard, 4096)) > 0) {
            undelivered += n; // sent, but not delivered while the iteration ran: not in the histogram
        }
        Histogram interval = recorder.histogram();
        lastAccount = LatencyAccount.of(pacer, recorder.records, undelivered);
        lastAccount.report(interval);
        if (measurement && log != null) {
            interval.setStartTimeStamp(iterationStartMs);
            interval.setEndTimeStamp(System.currentTimeMillis());
            log.outputIntervalHistogram(interval);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown(Blackhole bh) {
        if (bh != null) {
            bh.consume(discard.checksum());
            bh.consume(recorder.checksum);
        }
        if (log != null) {
            log.close();
        }
        ch.shutdown();
        ch.close();
        arena.close();
    }

    /** One record delivered to the consumer (and recorded). */
    @Benchmark
    public void consume(Delivered d) {
        records.next();
        d.hits++;
    }
}
