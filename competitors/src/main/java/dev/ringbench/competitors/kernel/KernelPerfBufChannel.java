package dev.ringbench.competitors.kernel;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelParts;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.competitors.perfbuf.PerfConsumerSide;
import dev.ringbench.kernel.KernelPerfRing;
import dev.ringbench.kernel.PerfEventArray;
import dev.ringbench.perfbuf.PerfBufDescriptor;
import dev.ringbench.perfbuf.PerfBuffer;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The real kernel's perf buffer as a {@link Channel}: a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} with
 * one {@code PERF_COUNT_SW_BPF_OUTPUT} event and ring per online CPU ({@link PerfEventArray}),
 * consumed by the analogue's own {@link PerfBuffer} (libbpf's {@code perf_buffer} loop), which
 * sleeps in a real {@code epoll_wait} on the event fds ({@code KernelPerfWaitSet}).
 *
 * <p><b>Producers.</b> Producer {@code i} owns CPU {@code cpus[i % cpus]}: its offer is one
 * {@code BPF_PROG_TEST_RUN} of a raw tracepoint program calling
 * {@code bpf_perf_event_output(BPF_F_CURRENT_CPU)}, run on that CPU ({@code BPF_F_TEST_RUN_ON_CPU},
 * by IPI when the calling thread is elsewhere). So, as in the analogue, a producer's records stay
 * in order in one ring; with more producers than CPUs, producers share rings (the kernel
 * serialises writers on a CPU). Copy-only: perf buffers have no reserve/commit.
 *
 * <p><b>Sizes.</b> {@code capacityBytes} is split evenly across the CPU rings, rounded down to a
 * power-of-two page count, at least one page; {@link #memoryBytes()} counts every ring's control
 * and data pages. Each sample carries a u32 length in front of the payload: the kernel pads
 * {@code raw_size} to keep records 8-aligned, so the exact length must travel in the sample.
 *
 * <p><b>Wake-ups</b> as configured ({@code wakeup_events} or {@code wakeup_watermark}, set on the
 * events); {@code wakeups} counts the consumer's sleeps in {@code epoll_wait} that returned with a
 * ring ready after a first, non-blocking check found none; {@code notifications} is
 * {@link ChannelCounters#NOT_OBSERVABLE} (the kernel does not count the wake-ups it sends). Full ring: the sample is lost (-ENOSPC, a drop), and the kernel writes a LOST record
 * before its next sample ({@code lostReported}).
 */
public final class KernelPerfBufChannel implements Channel.Assembled {
    private final ChannelParts parts;
    private final ChannelConfig config;
    private final PerfEventArray array;
    private final KernelPerfProducer[] producers;
    private final PerProducerCounter drops;
    private final LongAdder wakeups;
    private final PerfConsumerSide consumer;

    private KernelPerfBufChannel(ChannelConfig config, Capabilities capabilities, PerfEventArray array,
                                 KernelPerfRing[] rings, KernelPerfProducer[] producers, int maxRecordLength,
                                 PerProducerCounter drops, LongAdder wakeups) {
        this.config = config;
        this.array = array;
        this.producers = producers;
        this.drops = drops;
        this.wakeups = wakeups;
        this.consumer = new PerfConsumerSide(rings, PerfConsumerSide.LENGTH_PREFIXED, "kernel perf buffer: bad ring contents");
        this.parts = new ChannelParts(capabilities, producers, maxRecordLength, consumer);
    }

    /** Builds the channel: one perf event and ring per online CPU. */
    public static Channel create(ChannelConfig config, Capabilities capabilities) {
        int ncpu = PerfEventArray.onlineCpuCount();
        int pages = Math.max(1, Integer.highestOneBit(config.capacityBytes() / ncpu / PerfBufDescriptor.PAGE_SIZE));
        PerfEventArray array = PerfEventArray.create(pages, config.perfWakeupEvents(), config.perfWatermarkBytes());
        PerProducerCounter drops = new PerProducerCounter(config.producers());
        LongAdder wakeups = new LongAdder();
        int maxRecordLength = Math.min(config.maxRecordLength(),
                PerfBufDescriptor.maxSampleLength(array.dataSize()) - PerfConsumerSide.LENGTH_PREFIXED);
        KernelPerfProducer[] producers = new KernelPerfProducer[config.producers()];
        List<PerfEventArray.CpuRing> cpuRings = array.rings();
        KernelPerfRing[] rings = new KernelPerfRing[cpuRings.size()];
        try {
            for (int i = 0; i < rings.length; i++) {
                rings[i] = new KernelPerfRing(cpuRings.get(i), array.dataSize(), wakeups);
            }
            for (int i = 0; i < producers.length; i++) {
                producers[i] = new KernelPerfProducer(array, cpuRings.get(i % cpuRings.size()).cpu(), i,
                        maxRecordLength, drops);
            }
            return new KernelPerfBufChannel(config, capabilities, array, rings, producers, maxRecordLength, drops, wakeups);
        } catch (RuntimeException e) {
            for (KernelPerfProducer p : producers) {
                if (p != null) {
                    p.close();
                }
            }
            array.close();
            throw e;
        }
    }

    @Override
    public ChannelParts parts() {
        return parts;
    }

    @Override
    public ChannelCounters counters() {
        return consumer.counters(drops.sum(), ChannelCounters.NOT_OBSERVABLE);
    }

    @Override
    public String waitStrategy() {
        return config.perfWatermarkBytes() > 0
                ? "kernel perf, epoll: watermark=" + config.perfWatermarkBytes() + " bytes"
                : "kernel perf, epoll: wakeup_events=" + config.perfWakeupEvents();
    }

    @Override
    public long memoryBytes() {
        return array.rings().size() * (PerfBufDescriptor.PAGE_SIZE + array.dataSize());
    }

    /** Bytes of data pages of each CPU's ring. */
    public long ringDataSize() {
        return array.dataSize();
    }

    @Override
    public void close() {
        consumer.close();
        for (KernelPerfProducer p : producers) {
            p.close();
        }
        array.close();
    }
}
