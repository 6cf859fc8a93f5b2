package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import java.util.EnumSet;
import dev.ringbench.benches.kernelbench.KernelBenchPoints;
import dev.ringbench.benches.kernelbench.BenchPoint;
import dev.ringbench.benches.kernelbench.BenchRig;
import dev.ringbench.benches.kernelbench.ProducerThreads;
import dev.ringbench.benches.support.SideMetrics;
import dev.ringbench.competitors.ChannelCounters;
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

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/**
 * <b>Question:</b> does the port, measured the way the kernel measures its own ring buffer, show
 * what the kernel's benchmark found, and does the live kernel on this machine show it too?
 *
 * <p>A reproduction of {@code tools/testing/selftests/bpf/benchs/bench_ringbufs.c} as
 * {@code run_bench_ringbufs.sh} runs it, section by section ({@link BenchPoint.Section}), for the
 * port, the perf-buffer analogue and the live kernel's ring buffer and perf buffer
 * ({@link BenchRig}). Every row does what the original's row does:
 * <ul>
 *   <li><b>Producers</b> emit 8-byte records in batches ({@code --rb-batch-cnt}, 500 unless the
 *       section says otherwise): one trigger is one batch. The live kernel: the original's BPF
 *       program (the loop inside the kernel) run by one {@code BPF_PROG_TEST_RUN} syscall per
 *       batch, as fentry on {@code getpgid} is not available here. The port and the analogue: one
 *       Java call per batch, the same loop over their helpers. A record that does not fit is a drop.</li>
 *   <li><b>Flags</b>: 0 (adaptive), or sampled: FORCE_WAKEUP when {@code BPF_RB_AVAIL_DATA} reaches
 *       {@code rate * 16} bytes, else NO_WAKEUP; the perf buffers: {@code wakeup_events = rate}
 *       (1 unsampled).</li>
 *   <li><b>The consumer</b> is this JMH thread, and it <em>sleeps</em> as the original's does:
 *       {@code poll} with a {@value #POLL_TIMEOUT_MS} ms timeout where the original passes -1
 *       (with working notifications it never expires).
 *       {@code rb-libbpf} is libbpf's loop ({@code consumer_pos} per record), {@code rb-custom}
 *       the original's own (once per pass), {@code pb-libbpf} {@code perf_buffer__poll},
 *       {@code pb-custom} epoll plus a hand-written {@code data_head}/{@code data_tail} loop.</li>
 *   <li><b>Notifications cross the kernel</b>: a sleeping port or analogue consumer sleeps in
 *       {@code epoll_wait} on an eventfd that the wake-up work writes
 *       ({@link dev.ringbench.os.WakeMechanism#EVENTFD}), as a real consumer is woken through
 *       the kernel; rows with {@code +park} use the JVM's park/unpark instead, to measure what the
 *       mechanism itself costs.</li>
 *   <li><b>Modes</b>: parallel (producer threads trigger batches in a loop); back-to-back (one
 *       producer: after each poll the consumer triggers the next batch itself, so no two threads
 *       run at once); same CPU (producer and consumer pinned to CPU 0, batch 1).</li>
 * </ul>
 *
 * <p><b>Results.</b> The primary score is <em>hits</em>: records delivered to the consumer per
 * second (one JMH operation is one record). Secondary, per second: {@code drops} (records that did
 * not fit), {@code wakeups} (wake-ups the consumer received, as
 * {@link dev.ringbench.competitors.Channel#counters()} defines them: sleeps in its wait set that a
 * wake-up ended with a ring ready), {@code batches}
 * (triggers made by the consumer, back-to-back) and {@code emptyPolls} (polls that delivered
 * nothing: a timeout, or a ready ring whose next record was still BUSY). Secondary metrics per
 * iteration ({@link SideMetrics}), per record delivered: CPU time, {@code notificationsPer1000}
 * (not for the live kernel, which does not count them) and {@code wakeupsPer1000}. A
 * notification's cost falls on the producer, which in the kernel is the traced program. Rows with
 * producer threads (parallel, same CPU, multi-producer) report {@code producerCpuNsPerRecord}, the
 * producer threads' CPU time ({@code ThreadMXBean}; for the live kernel it includes the
 * {@code bpf(2)} syscall and the BPF program, where the kernel's own notification work runs), and
 * {@code consumerCpuNsPerRecord}, the JMH thread's. Back-to-back rows have one thread that makes
 * every trigger and consumes: they report its CPU time as {@code threadCpuNsPerRecord} (producer
 * and consumer together) and no split. Splitting it would need a thread CPU clock read around each
 * trigger: on a virtual machine a read costs about 1.5 us, more than a batch-1 trigger, and measured
 * this way the surrounded trigger came out slower than the thread's whole average, so the split
 * would report the measurement, not the row. The parity report
 * ({@code java -jar benches.jar parity results/<run>}) sets these beside the kernel's published
 * numbers and evaluates the original's conclusions.
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run kernel-bench}, or one row through JMH:
 * {@code java -jar benches.jar jmh KernelBenchScenario -p channel=BPF_RINGBUF_BATCHED -p point=b2b -wi 3 -i 10}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KernelBenchScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(13, "kernel-bench", KernelBenchScenario.class)
            .question("The kernel's own ring buffer benchmark (bench_ringbufs.c), section by section: port, analogue and live kernel")
            .kinds(EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF, ChannelKind.BPF_RINGBUF_BATCHED, ChannelKind.PERFBUF,
                    ChannelKind.KERNEL_RINGBUF_LIBBPF, ChannelKind.KERNEL_RINGBUF_BATCHED, ChannelKind.KERNEL_PERFBUF))
            .param("point", KernelBenchPoints.SMOKE, KernelBenchPoints.standard(), KernelBenchPoints.full())
            // each kind runs the rows the script gives its consumer (rate sweeps: the custom consumers, ...)
            .perKind((kind, p) -> Scenario.keepValues(p, "point", v -> BenchRig.applies(kind, BenchPoint.parse(v))))
            .parityReport()
            .build();

    /** The scenario id (results file names). */
    public static final String ID = "kernel-bench";
    /** The consumer's poll timeout, where the original waits forever. */
    public static final int POLL_TIMEOUT_MS = 100;
    /** A row that delivers nothing for this long fails instead of hanging its iteration. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** A ring buffer or perf buffer kind: the port, the analogue, or the live kernel's. */
    @Param({"BPF_RINGBUF_BATCHED"})
    public ChannelKind channel;

    /** The section and its variant ({@link BenchPoint}). */
    @Param({"b2b"})
    public String point;

    /** Per second, beside the primary score (records delivered). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        /** Records that did not fit (producers' failed reservations or outputs). */
        public long drops;
        /** Wake-ups the consumer received. */
        public long wakeups;
        /** Batches the consumer triggered (back-to-back). */
        public long batches;
        /**
         * Polls that delivered nothing: a timeout, or a ring reported ready (unconsumed bytes) whose
         * next record is still being written (BUSY), as the kernel's epoll reports it too.
         */
        public long emptyPolls;

        @Setup(Level.Iteration)
        public void reset() {
            drops = wakeups = batches = emptyPolls = 0;
        }
    }

    private BenchPoint p;
    private BenchRig rig;
    private ProducerThreads producers;
    private boolean back2back;
    private boolean triggerFirst;
    private int pending;
    private long lastDrops;
    private long lastWakeups;
    private long emptySince;
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private boolean cpuSupported;
    // over the current iteration
    private long delivered;
    private long threadCpu0;
    private long producerCpu0;
    private long notifications0;
    private long wakeups0;

    @Setup(Level.Trial)
    public void setup() {
        p = BenchPoint.parse(point);
        rig = BenchRig.create(channel, p);
        back2back = p.back2back();
        // ringbuf_custom_consumer / perfbuf_custom_consumer trigger, then wait; the libbpf consumers poll, then trigger
        triggerFirst = BenchRig.consumerName(channel, p).endsWith("custom");
        cpuSupported = mx.isCurrentThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled();
        producers = new ProducerThreads(rig, p);
        producers.start(); // back-to-back: the producer's one initial batch
    }

    @Setup(Level.Iteration)
    public void beginIteration() {
        delivered = 0;
        threadCpu0 = cpuSupported ? mx.getCurrentThreadCpuTime() : 0;
        producerCpu0 = producers.cpuNanos();
        notifications0 = rig.notifications();
        wakeups0 = rig.wakeups();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        if (cpuSupported) {
            long thread = mx.getCurrentThreadCpuTime() - threadCpu0;
            if (back2back) { // one thread made the triggers and consumed: its CPU time is both
                SideMetrics.reportRatio("threadCpuNsPerRecord", thread, delivered, 1, "ns");
            } else {
                long now = producers.cpuNanos();
                if (now >= 0 && producerCpu0 >= 0) {
                    SideMetrics.reportRatio("producerCpuNsPerRecord", now - producerCpu0, delivered, 1, "ns");
                }
                SideMetrics.reportRatio("consumerCpuNsPerRecord", thread, delivered, 1, "ns");
            }
        }
        long n = rig.notifications();
        if (n != ChannelCounters.NOT_OBSERVABLE) {
            SideMetrics.reportRatio("notificationsPer1000", n - notifications0, delivered, 1000, "notifications");
        }
        SideMetrics.reportRatio("wakeupsPer1000", rig.wakeups() - wakeups0, delivered, 1000, "wake-ups");
    }

    /** One record delivered to the consumer. */
    @Benchmark
    public void hits(Counters c) {
        while (pending == 0) {
            pending = step(c);
        }
        pending--;
    }

    /** One iteration of the original's consumer loop; the records it consumed. */
    private int step(Counters c) {
        if (back2back && triggerFirst) {
            rig.triggerBatch(0);
            c.batches++;
        }
        int n = rig.poll(POLL_TIMEOUT_MS);
        if (back2back && !triggerFirst) {
            rig.triggerBatch(0);
            c.batches++;
        }
        if (n == 0) {
            c.emptyPolls++;
            producers.check();
            long now = System.nanoTime();
            if (emptySince == 0) {
                emptySince = now;
            } else if (now - emptySince > STALL_NANOS) {
                throw new IllegalStateException(channel + " " + point + ": no record delivered for "
                        + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s (lost wake-up or stalled producer)");
            }
        } else {
            emptySince = 0;
            delivered += n;
        }
        long d = rig.drops();
        c.drops += d - lastDrops;
        lastDrops = d;
        long w = rig.wakeups();
        c.wakeups += w - lastWakeups;
        lastWakeups = w;
        return n;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            producers.stop();
        } finally {
            rig.close();
        }
    }
}
