package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import dev.ringbench.benches.support.FreeRunCounters;
import dev.ringbench.benches.support.HdrLogs;
import dev.ringbench.benches.support.LatencyRecorder;
import dev.ringbench.benches.support.Pacer;
import dev.ringbench.benches.support.Producers;
import dev.ringbench.benches.support.Sender;
import dev.ringbench.benches.support.SideMetrics;
import dev.ringbench.benches.support.WakeupMetrics;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.RecordHandler;
import dev.ringbench.competitors.WakeupPolicy;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
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
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.ringbench.benches.charts.ChartSpec.bars;
import static dev.ringbench.benches.charts.ChartSpec.hdr;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.ratio;
import static dev.ringbench.benches.charts.ChartSpec.extra;
import static dev.ringbench.benches.charts.ChartSpec.JMH_ERROR;

/**
 * <b>Question:</b> at a fixed offered load below saturation, what does each notification or wait
 * strategy cost: delivered throughput, wake-ups per 1000 records, consumer and producer CPU time
 * per record, and latency?
 *
 * <p>One producer thread, started by the scenario ({@link Producers#paced}), paces itself to
 * {@code ratePerSecond} records per second, open loop: record
 * {@code i} has the intended send time {@code t0 + i / rate}, the producer spins until then (or
 * sends at once when it is behind) and writes that intended time into the record's first 8 bytes;
 * {@code payload} bytes (8 by default, the kernel benchmark's record) are copied in once
 * ({@link Sender}); a full channel is a drop, never a wait or a retry. The consumer is the JMH
 * thread, one JMH operation per record delivered to it; it waits with
 * {@link Channel#await(RecordHandler, int, long) await(handler, 512, 10 ms)} under the channel's
 * strategy (the producer runs until the iteration's tear-down, so a wait without timeout always
 * returns) and, for each record, records {@code now - intended send time} in an HdrHistogram
 * (coordinated omission included: a stalled consumer or producer shows up as latency).
 *
 * <p><b>Strategies</b> (the {@code strategy} parameter; {@code :N} is the strategy's number):
 * <ul>
 *   <li>BPF ring buffer, the port ({@link ChannelKind#BPF_RINGBUF_LIBBPF}) and the real kernel's
 *       ({@link ChannelKind#KERNEL_RINGBUF_LIBBPF}, BPF programs passing the same flags); {@link #SCENARIO}
 *       runs the two {@code _BATCHED} consumers with {@code default} only, as the commit flags are the
 *       producer's and the consumers differ only in their loop: {@code default} = adaptive (flags 0,
 *       the kernel's caught-up rule), {@code FORCE} on every record, {@code NO_WAKEUP} on every record
 *       (the consumer's 10 ms await timeout is then the <em>only</em> recovery: poll is
 *       level-triggered, so the await after a timeout finds the data ready), {@code SAMPLED:N} (FORCE
 *       once the available data reaches N records of 16 bytes, else NO_WAKEUP: the kernel
 *       benchmark's {@code --rb-sampled}), {@code EVERY_NTH:N} (FORCE on every N-th record);</li>
 *   <li>perf buffer, the analogue ({@link ChannelKind#PERFBUF}) and the kernel's
 *       ({@link ChannelKind#KERNEL_PERFBUF}): {@code default} = {@code wakeup_events=1} (libbpf's
 *       default), {@code WAKEUP_EVENTS:N}, and {@code WATERMARK:B} (wake when B bytes were written
 *       since the last wake-up; 4096 bytes is about 170 records of 8 bytes);</li>
 *   <li>the peers: {@code default} only, their strategy being their kind: Disruptor blocking, lite
 *       blocking, sleeping, yielding and busy-spin; JCTools spin-yield-park ({@code JCTOOLS_MPSC})
 *       against blocking ({@code JCTOOLS_MPSC_BLOCKING}); Agrona's {@code BackoffIdleStrategy}.
 *       A strategy that does not apply to a kind fails the trial at setup ({@link #SCENARIO} never
 *       asks for one; see {@link #strategyApplies}).</li>
 * </ul>
 * Every competitor takes part: there is nothing here a competitor lacks, only strategies that are
 * its own.
 *
 * <p><b>Results.</b> JMH JSON, per second: primary score {@code notification}, records delivered
 * to the consumer and nothing else ({@code hits}, the same count, beside it); {@code sent},
 * {@code drops} (the producer's), {@code notifications} and {@code wakeups} (the two events of
 * {@link dev.ringbench.competitors.Channel#counters()}: a producer signalled a possibly sleeping
 * consumer; a sleeping consumer returned because it was signalled), {@code emptyAwaits}
 * (awaits that returned no record: timeouts, and for the BPF ring buffer also readiness on a record
 * reserved but not yet committed, as epoll reports it). Beside them, secondary metrics with one value
 * per iteration ({@link SideMetrics}; the score is their mean over iterations):
 * {@code deliveredPerSecond}, {@code notificationsPer1000} (not for the kernel's rings, which
 * cannot count them), {@code wakeupsPer1000}, {@code consumerCpuNsPerRecord},
 * {@code consumerCpuUtilisation} (share of one core), {@code producerCpuNsPerRecord},
 * {@code producerCpuUtilisation} (both include the pacing spin), {@code producerSendNsPerRecord}
 * (the producer's time inside one send, per attempt, without the wait for its slot: what a
 * notification costs the producer, {@link Pacer#sendNanos}), {@code emptyAwaitsPer1000},
 * {@code latencyP50Ns}, {@code latencyP99Ns}, {@code latencyP999Ns}, {@code latencyP9999Ns},
 * {@code latencyMaxNs}, {@code latencyCount} (an iteration with no record has no ratio); and one
 * HdrHistogram log per combination,
 * {@code hdr/notification_<channel>_payload-<p>_ratePerSecond-<r>_strategy-<s>.hlog} (in the name
 * ':' and '_' of a strategy become '-'; the first comment line has the exact parameters), one
 * interval per measurement iteration, values in ns. Consumer CPU is the consumer thread's
 * CPU time ({@link ThreadMXBean}) over each iteration, divided by the records it delivered in that
 * iteration; producer CPU is the producer thread's CPU time over its run in the iteration (read by
 * that thread at its start and end), divided by the same records: the cost a notification puts on
 * the producer (the wake-up syscall or unpark) shows there. The paced producer spins until each
 * record's intended time, so its CPU time includes that spin (about {@code 1e9 / ratePerSecond} ns
 * per record, the same for every strategy): compare strategies by their difference.
 *
 * <p><b>Run:</b> {@code java -jar benches.jar wakeup} (runs this scenario and prints the table),
 * {@code java -jar benches.jar run notification}, or through JMH directly:
 * {@code java -jar benches.jar jmh NotificationScenario -p channel=BPF_RINGBUF_LIBBPF -p strategy=SAMPLED:100}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NotificationScenario {
    /** The strategies of the smoke and standard presets (N = 100 records, a one-page watermark). */
    static final String STRATEGIES = "default,FORCE,NO_WAKEUP,SAMPLED:100,EVERY_NTH:100,WAKEUP_EVENTS:100,WATERMARK:4096";

    /** Strategies in the order of the description, for the charts (values sort by these prefixes). */
    private static final String[] NOTIFICATION_ORDER = {"default", "FORCE", "NO_WAKEUP", "SAMPLED", "EVERY_NTH",
            "WAKEUP_EVENTS", "WATERMARK"};

    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(3, "notification", NotificationScenario.class)
            .question("What each notification/wait strategy costs in throughput, wake-ups, consumer CPU and latency at a fixed load")
            .kinds(Scenario.allKinds())
            .param("payload", "8", "8", "8")
            .param("ratePerSecond", "100000", "100000", "10000,100000")
            .param("strategy", STRATEGIES, STRATEGIES, STRATEGIES + ",SAMPLED:10,SAMPLED:1000,EVERY_NTH:10,EVERY_NTH:1000"
                    + ",WAKEUP_EVENTS:10,WAKEUP_EVENTS:1000,WATERMARK:65536")
            // each kind runs the strategies that are its own; the batched ring buffer consumers only the
            // adaptive default (the commit flags are the producer's: libbpf's loop shows them)
            .perKind((kind, p) -> Scenario.keepValues(p, "strategy",
                    v -> kind != ChannelKind.BPF_RINGBUF_BATCHED && kind != ChannelKind.KERNEL_RINGBUF_BATCHED
                            ? strategyApplies(kind, v) : v.equals("default")))
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
        bars("notification", "notification-throughput", "Notification strategies: delivered throughput at a fixed offered load")
                .variants("strategy").splitBy("ratePerSecond").order("strategy", NOTIFICATION_ORDER)
                .yRate("records delivered", "records/s", jmh("hits"))
                .note("Open loop: the producer paces itself to the offered rate; the consumer awaits with a 10 ms "
                        + "timeout under each strategy. " + JMH_ERROR),
        bars("notification", "notification-wakeups", "Notification strategies: wake-ups per 1000 records")
                .variants("strategy").splitBy("ratePerSecond").order("strategy", NOTIFICATION_ORDER)
                .y("wake-ups per 1000 records delivered", "", jmh("wakeupsPer1000"), extra("metrics", "wakeupsPer1000"),
                        ratio("wakeups", 1000, "hits"))
                .note("Wake-ups the consumer received (sleeps a producer's signal ended) per 1000 records, mean "
                        + "over the measured iterations (0 for spinning and polling strategies). The signals "
                        + "producers sent are notificationsPer1000 in the JSON."),
        bars("notification", "notification-cpu", "Notification strategies: consumer CPU time per record")
                .variants("strategy").splitBy("ratePerSecond").order("strategy", NOTIFICATION_ORDER)
                .y("consumer thread CPU time per record", "ns", jmh("consumerCpuNsPerRecord"),
                        extra("metrics", "consumerCpuNsPerRecord"))
                .note("The consumer thread's CPU time (ThreadMXBean) in an iteration divided by the records it "
                        + "delivered in it; mean over the measured iterations."),
        bars("notification", "notification-producer-send", "Notification strategies: the producer's time per send")
                .variants("strategy").splitBy("ratePerSecond").order("strategy", NOTIFICATION_ORDER)
                .y("time inside one send", "ns", jmh("producerSendNsPerRecord"))
                .note("The producer's time from reaching a record's slot to its send's return (stamp, copy, commit "
                        + "and the channel's notification), per attempt, without the pacing wait. Wall time of a "
                        + "running thread."),
        bars("notification", "notification-producer-cpu", "Notification strategies: producer CPU time per record")
                .variants("strategy").splitBy("ratePerSecond").order("strategy", NOTIFICATION_ORDER)
                .y("producer thread CPU time per record", "ns", jmh("producerCpuNsPerRecord"))
                .note("The producer thread's CPU time (ThreadMXBean) in an iteration divided by the records "
                        + "delivered in it; it includes the pacing spin (about 1e9 / rate ns per record, the same "
                        + "for every strategy), so the notification's cost is the difference between strategies."),
        bars("notification", "notification-latency-p99", "Notification strategies: 99th percentile latency")
                .variants("strategy").splitBy("ratePerSecond").order("strategy", NOTIFICATION_ORDER).logY()
                .y("latency, 99th percentile", "µs", jmh("latencyP99Ns", 1e-3), extra("metrics", "latencyP99Ns", 1e-3))
                .note("Receive time minus intended send time (no coordinated omission): each measured "
                        + "iteration's 99th percentile, mean over the iterations."),
        hdr("notification", "notification-latency", "Notification strategies of the ring buffer and perf buffer: latency by percentile")
                .channels("BPF_RINGBUF_LIBBPF", "PERFBUF").variants("strategy").splitBy("ratePerSecond")
                .order("strategy", NOTIFICATION_ORDER)
                .note("From the HdrHistogram logs: receive time minus intended send time, all measured iterations."),
        hdr("notification", "notification-latency-default", "Each competitor's default wait strategy: latency by percentile")
                .where("strategy", "default").splitBy("ratePerSecond")
                .note("From the HdrHistogram logs: receive time minus intended send time, all measured iterations."));

    /** The scenario id (results file names). */
    public static final String ID = "notification";
    /** The consumer's bounded wait. */
    public static final long AWAIT_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final int LIMIT = 512;
    private static final long HIGHEST_LATENCY_NS = TimeUnit.MINUTES.toNanos(1);

    /** Strategies of the BPF ring buffer's commit flags. */
    public static final List<String> RINGBUF_STRATEGIES = List.of("default", "FORCE", "NO_WAKEUP", "SAMPLED", "EVERY_NTH");
    /** Strategies of the perf-buffer analogue's wake-up settings. */
    public static final List<String> PERFBUF_STRATEGIES = List.of("default", "WAKEUP_EVENTS", "WATERMARK");

    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    /** {@code default}, or one of {@link #RINGBUF_STRATEGIES} / {@link #PERFBUF_STRATEGIES}, with {@code :N} where it takes one. */
    @Param({"default"})
    public String strategy;

    @Param({"8"})
    public int payload;

    @Param({"100000"})
    public int ratePerSecond;

    Channel ch;
    private Arena arena;
    /** The producer's schedule; restarted between iterations by the consumer thread, when no benchmark thread runs. */
    private Pacer pacer;
    /** The paced producer thread, started by {@link ConsumerThread#begin} and stopped by {@link ConsumerThread#end}. */
    private Producers producers;
    final LatencyRecorder recorder = new LatencyRecorder(HIGHEST_LATENCY_NS);
    private HistogramLogWriter log;
    private long logBaseMs;
    private boolean cpuSupported;

    /** Whether {@code strategy} applies to {@code kind} ({@link #SCENARIO} asks only for these). */
    public static boolean strategyApplies(ChannelKind kind, String strategy) {
        String name = name(strategy);
        return switch (kind) {
            case BPF_RINGBUF_LIBBPF, BPF_RINGBUF_BATCHED, KERNEL_RINGBUF_LIBBPF, KERNEL_RINGBUF_BATCHED ->
                    RINGBUF_STRATEGIES.contains(name);
            case PERFBUF, KERNEL_PERFBUF -> PERFBUF_STRATEGIES.contains(name);
            default -> name.equals("default");
        };
    }

    private static String name(String strategy) {
        int colon = strategy.indexOf(':');
        return colon < 0 ? strategy : strategy.substring(0, colon);
    }

    private static int number(String strategy) {
        int colon = strategy.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("strategy " + strategy + " needs a number: " + strategy + ":N");
        }
        return Integer.parseInt(strategy.substring(colon + 1));
    }

    /** The channel's configuration for {@code kind} under {@code strategy}. */
    static ChannelConfig config(ChannelKind kind, String strategy, int payload) {
        if (!strategyApplies(kind, strategy)) {
            throw new IllegalArgumentException("strategy '" + strategy + "' does not apply to " + kind
                    + "; ring buffer: " + RINGBUF_STRATEGIES + ", perf buffer: " + PERFBUF_STRATEGIES
                    + ", others: [default] (their strategy is their kind)");
        }
        ChannelConfig c = ChannelConfig.defaults().withMaxRecordLength(payload);
        return switch (name(strategy)) {
            case "default" -> c; // ADAPTIVE; perf wakeup_events=1
            case "FORCE" -> c.withWakeup(WakeupPolicy.FORCE, 1);
            case "NO_WAKEUP" -> c.withWakeup(WakeupPolicy.NO_WAKEUP, 1);
            case "SAMPLED" -> c.withWakeup(WakeupPolicy.SAMPLED, number(strategy));
            case "EVERY_NTH" -> c.withWakeup(WakeupPolicy.EVERY_NTH, number(strategy));
            case "WAKEUP_EVENTS" -> c.withPerfWakeup(number(strategy), 0);
            case "WATERMARK" -> c.withPerfWakeup(1, number(strategy));
            default -> throw new IllegalArgumentException(strategy);
        };
    }

    @Setup(Level.Trial)
    public void setup(BenchmarkParams bp) {
        if (payload < 8) {
            throw new IllegalArgumentException("payload must hold the 8-byte intended send time: " + payload);
        }
        if (ratePerSecond <= 0 || ratePerSecond > 10_000_000) {
            throw new IllegalArgumentException("ratePerSecond must be in 1..10^7: " + ratePerSecond);
        }
        ch = channel.create(config(channel, strategy, payload));
        arena = Arena.ofShared();
        pacer = new Pacer(new Sender(ch, 0, payload, arena), ratePerSecond);
        producers = Producers.paced(ch, List.of(pacer::sendNext));
        Map<String, String> params = HdrLogs.params(bp);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        cpuSupported = mx.isCurrentThreadCpuTimeSupported();
        if (cpuSupported && !mx.isThreadCpuTimeEnabled()) {
            mx.setThreadCpuTimeEnabled(true);
        }
        Path file = HdrLogs.file(ID, params);
        if (file != null) {
            try {
                Files.createDirectories(file.getParent());
                log = new HistogramLogWriter(file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            logBaseMs = System.currentTimeMillis();
            log.outputComment("ringbench " + ID + " " + HdrLogs.key(params));
            log.outputComment("wait strategy: " + ch.waitStrategy().replace('=', ':'));
            log.outputComment("latency = receive time - intended send time, ns; one interval per measurement iteration");
            log.outputLogFormatVersion();
            log.outputStartTime(logBaseMs);
            log.setBaseTime(logBaseMs);
            log.outputLegend();
        }
    }

    /** Closes the channel: called by the consumer thread's trial tear-down ({@link ConsumerThread#finish}). */
    void finish() {
        ch.shutdown();
        ch.close();
        arena.close();
        if (log != null) {
            log.close();
        }
    }

    /**
     * The consumer thread's iteration: CPU time, wall time, wake-ups, drops and delivered records
     * from its start to its end, and the iteration's latency histogram. {@link #begin} starts the
     * producer thread (its schedule restarted), {@link #end} stops it, then drains the channel.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class ConsumerThread {
        /** Notifications and wake-ups over the iteration (rates in JMH's output). */
        public long notifications;
        public long wakeups;
        /** Awaits that returned no record, a rate. */
        public long emptyAwaits;
        private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        private boolean measurement;
        private long cpu0;
        private long wall0;
        private long wallEpoch0;
        private ChannelCounters counters0;
        private long records0;
        NotificationScenario s;
        FreeRunCounters counters;
        int pending;

        @Setup(Level.Iteration)
        public void begin(NotificationScenario s, IterationParams ip, FreeRunCounters c) {
            this.s = s;
            counters = c;
            measurement = ip.getType() == IterationType.MEASUREMENT;
            s.recorder.histogram().reset();
            counters0 = s.ch.counters();
            records0 = s.recorder.records;
            wallEpoch0 = System.currentTimeMillis();
            wall0 = System.nanoTime();
            cpu0 = s.cpuSupported ? mx.getCurrentThreadCpuTime() : 0;
            s.pacer.restart(); // no producer runs yet: a pause between iterations is not latency
            s.producers.start("notification-producer");
        }

        @TearDown(Level.Iteration)
        public void end() {
            long cpu = s.cpuSupported ? mx.getCurrentThreadCpuTime() - cpu0 : 0;
            long wall = System.nanoTime() - wall0;
            s.producers.stop();
            counters.producers(s.producers);
            ChannelCounters k = s.ch.counters();
            notifications = WakeupMetrics.notifications(counters0, k);
            wakeups = k.wakeups() - counters0.wakeups();
            double records = s.recorder.records - records0;
            SideMetrics.reportRatio("deliveredPerSecond", records, wall, 1e9, "records/s");
            WakeupMetrics.reportPer1000(counters0, k, records);
            if (s.cpuSupported) {
                SideMetrics.reportRatio("consumerCpuNsPerRecord", cpu, records, 1, "ns");
                SideMetrics.reportRatio("consumerCpuUtilisation", cpu, wall, 1, "cores");
                SideMetrics.reportRatio("producerCpuNsPerRecord", s.producers.cpuNanos(), records, 1, "ns");
                SideMetrics.reportRatio("producerCpuUtilisation", s.producers.cpuNanos(), wall, 1, "cores");
            }
            SideMetrics.reportRatio("producerSendNsPerRecord", s.pacer.sendNanos, s.pacer.sent + s.pacer.drops, 1, "ns"); // producer joined: visible
            SideMetrics.reportRatio("emptyAwaitsPer1000", emptyAwaits, records, 1000, "awaits");
            Histogram h = s.recorder.histogram();
            SideMetrics.report("latencyP50Ns", h.getValueAtPercentile(50), "ns");
            SideMetrics.report("latencyP99Ns", h.getValueAtPercentile(99), "ns");
            SideMetrics.report("latencyP999Ns", h.getValueAtPercentile(99.9), "ns");
            SideMetrics.report("latencyP9999Ns", h.getValueAtPercentile(99.99), "ns");
            SideMetrics.report("latencyMaxNs", h.getMaxValue(), "ns");
            SideMetrics.report("latencyCount", h.getTotalCount(), "records");
            if (measurement && s.log != null) {
                long now = System.currentTimeMillis();
                s.log.outputIntervalHistogram((wallEpoch0 - s.logBaseMs) / 1000.0, (now - s.logBaseMs) / 1000.0, h, 1.0);
            }
            s.drainStale();
        }

        @TearDown(Level.Trial)
        public void finish() {
            s.finish();
        }
    }

    /** After an iteration, with no benchmark thread running: takes out what its wind-down left. */
    void drainStale() {
        recorder.recording = false;
        while (ch.poll(recorder, LIMIT) > 0) {
            // records sent after measurement stopped: not the next iteration's latency
        }
    }

    /** One record delivered to the consumer (this thread), waiting under the channel's strategy. */
    @Benchmark
    public void notification(ConsumerThread t, Control ctl) {
        NotificationScenario s = t.s;
        while (t.pending == 0) {
            s.recorder.recording = ctl.startMeasurement && !ctl.stopMeasurement;
            int n = s.ch.await(s.recorder, LIMIT, AWAIT_TIMEOUT_NANOS);
            if (n < 0) {
                s.producers.check();
                throw new IllegalStateException(s.channel + ": channel shut down during the iteration");
            }
            if (n == 0) {
                t.emptyAwaits++;
                s.producers.check();
                if (ctl.stopMeasurement) {
                    return; // nothing arrived before the iteration ended: at most one such operation
                }
            }
            t.pending = n;
        }
        t.pending--;
        t.counters.hits++;
    }
}
