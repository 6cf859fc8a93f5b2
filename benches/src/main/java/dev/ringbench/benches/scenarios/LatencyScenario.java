package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import dev.ringbench.benches.support.BackgroundThreads;
import dev.ringbench.benches.support.ConsumerCounters;
import dev.ringbench.benches.support.ProducerCounters;
import dev.ringbench.benches.support.Reader;
import dev.ringbench.benches.support.HdrLogs;
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

/**
 * <b>Question:</b> at a fixed offered load below saturation, how long does a record take from the
 * moment it was <em>meant</em> to be sent to the moment the consumer reads it (percentiles to
 * 99.99 and the maximum), through each channel and its wait strategy?
 *
 * <p><b>Open loop, against intended time (no coordinated omission).</b> A producer thread started
 * by the scenario sends one record of {@value #PAYLOAD} bytes every {@code 1e9 / ratePerSecond} ns:
 * record {@code i} is due at {@code start + i * 1e9 / rate} ({@link System#nanoTime()}), the
 * producer spins until then, writes that <em>intended</em> time into the record's first 8 bytes
 * and sends ({@link Sender}: reserve-copy-commit or copy-in, one copy). A producer that falls
 * behind sends at once but keeps the intended time and never skips a slot, so its own stalls
 * count as latency. A full channel is a drop (counted, not retried, no latency recorded).
 * The consumer is the JMH thread: each operation is one {@link Channel#await} under the channel's
 * own wait strategy (bounded by {@value #AWAIT_TIMEOUT_MS} ms where the channel honours timeouts;
 * the Disruptor's do not, but the producer runs for the whole measured loop, so records always
 * come), and every record delivered is recorded as {@code nanoTime() - intended} in an
 * HdrHistogram (3 significant digits, up to 10 s; larger values are clamped). Every competitor is
 * asked for the same work: one producer, one consumer, 512 KiB of record memory, the record read in
 * place.
 *
 * <p><b>Mode.</b> Throughput, driven by JMH's iteration time: each iteration runs the producer
 * from iteration set-up to tear-down and measures the consumer's loop, so the preset's times
 * apply unchanged. The primary score ({@code consume}, awaits per second) only says how often the
 * consumer returned; {@code hits} (records delivered per second) shows the channel kept up with the
 * offered rate, {@code sent}/{@code drops} are the producer's.
 *
 * <p><b>Results.</b> Secondary metrics ({@link SideMetrics}), one value per iteration from that
 * iteration's histogram, the score their mean over iterations: {@code p50Us}, {@code p90Us},
 * {@code p99Us}, {@code p999Us}, {@code p9999Us}, {@code maxUs}, {@code meanUs} (microseconds) and
 * {@code samples}; every measurement iteration's histogram (values in ns) is in
 * {@code hdr/latency_<channel>_ratePerSecond-<rate>.hlog} (HistogramLogWriter; read with HistogramLogReader or
 * HistogramLogProcessor). Without {@code -Dringbench.out} nothing is written but all is measured.
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
            .question("Latency percentiles (to 99.99 and max) at a fixed offered load below saturation, open loop")
            .kinds(Scenario.allKinds())
            .param("ratePerSecond", "10000", "100000", "10000,100000,500000")
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
        hdr("latency", "latency", "Latency by percentile at a fixed offered load")
                .splitBy("ratePerSecond")
                .note("Open loop, intended-time stamps (no coordinated omission); each competitor's own wait "
                        + "strategy; all measured iterations."),
        bars("latency", "latency-percentiles", "Latency percentiles at a fixed offered load")
                .splitBy("ratePerSecond").logY().x(null, "percentile")
                .field("p50", jmh("p50Us"))
                .field("p90", jmh("p90Us"))
                .field("p99", jmh("p99Us"))
                .field("p99.9", jmh("p999Us"))
                .field("p99.99", jmh("p9999Us"))
                .field("max", jmh("maxUs"))
                .y("latency", "µs")
                .note("Receive time minus intended send time: each measured iteration's percentiles, mean over "
                        + "the iterations (the percentile plot adds all iterations' histograms)."));

    public static final String ID = "latency";
    /** Payload bytes of every record (the intended time in the first 8). */
    public static final int PAYLOAD = 64;
    static final long AWAIT_TIMEOUT_MS = 10;
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(10);

    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    @Param({"10000"})
    public int ratePerSecond;

    private Channel ch;
    private Arena arena;
    private BackgroundThreads threads;
    private Pacer pacer;
    private final LatencyRecorder recorder = new LatencyRecorder(HIGHEST_TRACKABLE_NS);
    private final Reader discard = new Reader();
    private HistogramLogWriter log;
    private boolean measurement;
    private long iterationStartMs;

    static double us(long ns) {
        return ns / 1000.0;
    }

    @Setup(Level.Trial)
    public void setup(BenchmarkParams bp) {
        ch = channel.create(ChannelConfig.defaults().withMaxRecordLength(PAYLOAD));
        arena = Arena.ofShared();
        threads = new BackgroundThreads(ch);
        pacer = new Pacer(new Sender(ch, 0, PAYLOAD, arena), ratePerSecond);
        Path file = HdrLogs.file(ID, HdrLogs.params(bp)); // hdr/latency_<channel>_ratePerSecond-<rate>.hlog
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
                    + "; latency = receive - intended send time, in ns; one interval per measurement iteration");
            log.outputLogFormatVersion();
            log.outputStartTime(now);
            log.setBaseTime(now);
            log.outputLegend();
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams ip) {
        measurement = ip.getType() == IterationType.MEASUREMENT;
        recorder.histogram().reset();
        iterationStartMs = System.currentTimeMillis();
        threads.start("latency-producer", List.of(pacer.loop(threads::running)));
    }

    @TearDown(Level.Iteration)
    public void endIteration(ProducerCounters pc) {
        threads.stop();
        while (ch.poll(discard, 4096) > 0) {
            // records sent after the consumer's last await: not part of the iteration
        }
        Histogram interval = recorder.histogram();
        SideMetrics.report("p50Us", us(interval.getValueAtPercentile(50)), "us");
        SideMetrics.report("p90Us", us(interval.getValueAtPercentile(90)), "us");
        SideMetrics.report("p99Us", us(interval.getValueAtPercentile(99)), "us");
        SideMetrics.report("p999Us", us(interval.getValueAtPercentile(99.9)), "us");
        SideMetrics.report("p9999Us", us(interval.getValueAtPercentile(99.99)), "us");
        SideMetrics.report("maxUs", us(interval.getMaxValue()), "us");
        SideMetrics.report("meanUs", interval.getMean() / 1000.0, "us");
        SideMetrics.report("samples", interval.getTotalCount(), "records");
        pc.sent = pacer.sent;
        pc.drops = pacer.drops;
        if (measurement && log != null) {
            interval.setStartTimeStamp(iterationStartMs);
            interval.setEndTimeStamp(System.currentTimeMillis());
            log.outputIntervalHistogram(interval);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown(Blackhole bh) {
        bh.consume(discard.checksum());
        bh.consume(recorder.checksum);
        if (log != null) {
            log.close();
        }
        ch.shutdown();
        ch.close();
        arena.close();
    }

    @Benchmark
    public int consume(ConsumerCounters c) {
        int n = ch.await(recorder, 512, TimeUnit.MILLISECONDS.toNanos(AWAIT_TIMEOUT_MS));
        if (n > 0) {
            c.hits += n;
        } else if (n < 0) {
            threads.check(); // shut down: only a failed producer does that during a run
        }
        return n;
    }
}
