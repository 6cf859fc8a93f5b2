package dev.ringbench.benches.kernelbench;

import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.kernel.KernelPerfRing;
import dev.ringbench.perfbuf.PerfRing;
import dev.ringbench.kernel.KernelRingBuf;
import dev.ringbench.kernel.PerfEventArray;
import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.os.WakeMechanism;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One row of the kernel benchmark, built: the buffer, its producer {@link Trigger} and its
 * {@link BenchConsumer}, as {@code bench_ringbufs.c}'s {@code setup} functions build them. Sizes are
 * the original's: a 512 KiB ring buffer; a perf buffer of 128 pages per CPU (per producer for the
 * analogue, whose producers are its "CPUs").
 *
 * <p>Which rows a competitor kind has: the ring buffer kinds are {@code rb-libbpf}
 * ({@code *_RINGBUF_LIBBPF}) and {@code rb-custom} ({@code *_RINGBUF_BATCHED}); the perf buffer kinds
 * ({@code PERFBUF}, {@code KERNEL_PERFBUF}) are {@code pb-libbpf}, or {@code pb-custom} with
 * {@link BenchPoint#custom()}.
 */
public final class BenchRig implements AutoCloseable {
    /** The original's ring size ({@code --rb-sz} default) and perf buffer pages per CPU. */
    public static final int RINGBUF_SIZE = 512 * 1024;
    public static final int PERFBUF_PAGES = 128;

    private final Trigger trigger;
    private final BenchConsumer consumer;
    private final List<AutoCloseable> buffers;
    private final LongSupplier notifications;

    private BenchRig(Trigger trigger, BenchConsumer consumer, List<AutoCloseable> buffers, LongSupplier notifications) {
        this.trigger = trigger;
        this.consumer = consumer;
        this.buffers = buffers;
        this.notifications = notifications;
    }

    /** The consumer name of the script's rows for this kind and point ({@code rb-libbpf}, ..., {@code pb-custom}). */
    public static String consumerName(ChannelKind kind, BenchPoint p) {
        return switch (kind) {
            case BPF_RINGBUF_LIBBPF, KERNEL_RINGBUF_LIBBPF -> "rb-libbpf";
            case BPF_RINGBUF_BATCHED, KERNEL_RINGBUF_BATCHED -> "rb-custom";
            case PERFBUF, KERNEL_PERFBUF -> p.custom() ? "pb-custom" : "pb-libbpf";
            default -> throw new IllegalArgumentException(kind + " is not a ring buffer or perf buffer; the kernel benchmark"
                    + " runs BPF_RINGBUF_LIBBPF, BPF_RINGBUF_BATCHED, PERFBUF and their KERNEL_* twins");
        };
    }

    /** Whether the script runs this point for this kind (its sections name their consumers). */
    public static boolean applies(ChannelKind kind, BenchPoint p) {
        String c;
        try {
            c = consumerName(kind, p);
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean kernel = kind.library() == ChannelKind.Library.KERNEL;
        if (kernel && p.wake() == WakeMechanism.PARK) {
            return false; // a kernel buffer is woken through the kernel, nothing else
        }
        if (p.custom() && !c.startsWith("pb")) {
            return false; // +custom selects the perf buffer's consumer; the ring buffer's is the kind's
        }
        return switch (p.section()) {
            case PARALLEL, PARALLEL_SAMPLED, B2B, B2B_SAMPLED, SAME_CPU -> true;
            case RATE -> c.equals("rb-custom") || c.equals("pb-custom");
            case B2B_OUTPUT, SAMPLED_OUTPUT -> c.equals("rb-custom");
            case PROD -> c.equals("rb-libbpf") || c.equals("pb-libbpf");
        };
    }

    /**
     * Builds the row.
     *
     * @throws IllegalArgumentException when the script has no such row ({@link #applies})
     */
    public static BenchRig create(ChannelKind kind, BenchPoint p) {
        if (!applies(kind, p)) {
            throw new IllegalArgumentException("the kernel benchmark has no row " + p + " for " + kind);
        }
        List<AutoCloseable> buffers = new ArrayList<>();
        try {
            return switch (kind) {
                case BPF_RINGBUF_LIBBPF, BPF_RINGBUF_BATCHED -> {
                    BpfRingBuf rb = BpfRingBuf.create(RINGBUF_SIZE);
                    buffers.add(rb);
                    Trigger t = new PortRingTrigger(rb, p);
                    buffers.add(t);
                    yield new BenchRig(t, new RingConsumer(rb, mode(kind), p.wake()), buffers, rb::notificationsSent);
                }
                case KERNEL_RINGBUF_LIBBPF, KERNEL_RINGBUF_BATCHED -> {
                    KernelRingBuf rb = KernelRingBuf.create(RINGBUF_SIZE);
                    buffers.add(rb);
                    Trigger t = KernelTrigger.ringbuf(rb, p);
                    buffers.add(t);
                    yield new BenchRig(t, new RingConsumer(rb, mode(kind), WakeMechanism.EVENTFD), buffers,
                            () -> ChannelCounters.NOT_OBSERVABLE);
                }
                case PERFBUF -> {
                    PerfRing[] rings = new PerfRing[p.producers()];
                    int wakeupEvents = p.sampled() ? p.sampleRate() : 1; // attr.wakeup_events
                    for (int i = 0; i < rings.length; i++) {
                        rings[i] = PerfRing.create(i, PERFBUF_PAGES, wakeupEvents, 0);
                        buffers.add(rings[i]);
                    }
                    Trigger t = new PortPerfTrigger(rings, p);
                    buffers.add(t);
                    yield new BenchRig(t, perfConsumer(rings, p, p.wake()), buffers, () -> {
                        long sum = 0;
                        for (PerfRing r : rings) {
                            sum += r.wakeups(); // perf_output_wakeup calls
                        }
                        return sum;
                    });
                }
                case KERNEL_PERFBUF -> {
                    PerfEventArray array = PerfEventArray.create(PERFBUF_PAGES, p.sampled() ? p.sampleRate() : 1, 0);
                    buffers.add(array);
                    Trigger t = KernelTrigger.perfbuf(array, p);
                    buffers.add(t);
                    yield new BenchRig(t, perfConsumer(KernelPerfRing.of(array), p, WakeMechanism.EVENTFD), buffers,
                            () -> ChannelCounters.NOT_OBSERVABLE);
                }
                default -> throw new IllegalArgumentException(kind + ": not a kernel-bench kind");
            };
        } catch (RuntimeException e) {
            closeAll(buffers);
            throw e;
        }
    }

    private static Ring.Mode mode(ChannelKind kind) {
        return kind == ChannelKind.BPF_RINGBUF_BATCHED || kind == ChannelKind.KERNEL_RINGBUF_BATCHED
                ? Ring.Mode.BATCHED : Ring.Mode.LIBBPF;
    }

    private static BenchConsumer perfConsumer(dev.ringbench.perfbuf.PerfRingSource[] rings, BenchPoint p,
                                              WakeMechanism wake) {
        return p.custom() ? new PerfCustomConsumer(rings, wake) : new PerfLibbpfConsumer(rings, wake);
    }

    public void triggerBatch(int producer) {
        trigger.triggerBatch(producer);
    }

    /** Consumer step: waits (or finds records at once) and consumes; the records consumed. */
    public int poll(int timeoutMs) {
        return consumer.poll(timeoutMs);
    }

    public long drops() {
        return trigger.drops();
    }

    /**
     * Wake-ups the consumer received, as {@link dev.ringbench.competitors.Channel#counters()} defines
     * them: sleeps in its wait set that a wake-up ended with a ring ready. Consumer thread.
     */
    public long wakeups() {
        return consumer.wakeups();
    }

    /**
     * Notifications the producers sent, as {@link dev.ringbench.competitors.Channel#counters()}
     * defines them (the port: its wake-up work ran; the analogue: {@code perf_output_wakeup} calls),
     * or {@link ChannelCounters#NOT_OBSERVABLE} for the live kernel's rows.
     */
    public long notifications() {
        return notifications.getAsLong();
    }

    /** How a batch is triggered, for the results. */
    public String triggerDescription() {
        return trigger.description();
    }

    @Override
    public void close() {
        consumer.close();
        closeAll(buffers.reversed());
    }

    private static void closeAll(List<AutoCloseable> xs) {
        for (AutoCloseable c : xs) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
    }
}
