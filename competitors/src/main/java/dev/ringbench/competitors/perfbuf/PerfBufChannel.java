package dev.ringbench.competitors.perfbuf;

import dev.ringbench.perfbuf.PerfBufDescriptor;
import dev.ringbench.perfbuf.PerfBuffer;
import dev.ringbench.perfbuf.PerfRing;
import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelParts;
import dev.ringbench.competitors.ChannelProducer;

/**
 * The per-producer perf-buffer analogue (spec section 10) as a {@link Channel}: one
 * {@link PerfRing} per producer, each written only by its producer, and one {@link PerfBuffer}
 * consuming them all as libbpf's {@code perf_buffer} does.
 *
 * <p><b>Sizes.</b> {@code capacityBytes} is split evenly: each ring gets
 * {@code capacityBytes / producers} rounded <em>down</em> to a power-of-two number of 4096-byte
 * pages, at least one page, plus its control page. So with 3 producers and 64 KiB each ring has
 * 16 KiB of data (48 KiB in all), and {@link #memoryBytes()} counts what was really allocated
 * (control and data pages of every ring). {@link #maxRecordLength()} is the config's, capped at
 * what always fits one empty ring with a LOST record in front
 * ({@link PerfBufDescriptor#maxSampleLength}).
 *
 * <p><b>Wake-ups.</b> {@code perfWatermarkBytes > 0} selects watermark mode (wake when more than
 * that many bytes were written since the last wake-up mark); otherwise every
 * {@code perfWakeupEvents} samples wake the consumer (libbpf's default 1: every sample). Events
 * mode also wakes about every half ring of bytes, as the kernel does ({@link PerfRing}).
 * {@code notifications} counts the {@code perf_output_wakeup} calls of every ring (each sets the
 * ring's poll flag and wakes the consumer's waiter); {@code wakeups} the consumer's sleeps that a
 * wake-up ended ({@link PerfConsumerSide#counters}).
 *
 * <p><b>Consumer.</b> {@link #await} is {@code perf_buffer__poll}: it sleeps until a ring was
 * woken, then drains every woken ring completely, whatever {@code limit} says (as
 * {@code BpfRingBufChannel}'s await does); records written since the last wake-up without one of
 * their own wait for the next wake-up (see {@link PerfBuffer} on readiness). {@link #poll} drains
 * every ring without waiting, ring 0 first, stopping after {@code limit} records. There is no
 * order across producers ({@code globalOrder} false).
 *
 * <p><b>Producers.</b> Copy-only ({@code bpf_perf_event_output}): {@link ChannelProducer#offer}
 * copies, and returns false when the ring is full (counted in {@code drops}; the consumer is told
 * by a LOST record, summed in {@code lostReported}). {@code tryClaim}, {@code buffer},
 * {@code offset}, {@code commit} and {@code abort} throw {@link UnsupportedOperationException}.
 */
public final class PerfBufChannel implements Channel.Assembled {
    private final ChannelParts parts;
    private final ChannelConfig config;
    private final PerfRing[] rings;
    private final PerfBufProducer[] producers;
    private final PerfConsumerSide consumer;

    private PerfBufChannel(ChannelConfig config, Capabilities capabilities, PerfRing[] rings, PerfBufProducer[] producers) {
        this.config = config;
        this.rings = rings;
        this.producers = producers;
        this.consumer = new PerfConsumerSide(rings, PerfConsumerSide.WHOLE, "perf buffer: corrupted ring");
        this.parts = new ChannelParts(capabilities, producers, Math.min(config.maxRecordLength(), rings[0].maxSampleLength()), consumer);
    }

    /** Builds the channel: one ring per producer. */
    public static Channel create(ChannelConfig config, Capabilities capabilities) {
        int n = config.producers();
        int pages = dataPagesPerRing(config.capacityBytes(), n);
        PerfRing[] rings = new PerfRing[n];
        PerfBufProducer[] producers = new PerfBufProducer[n];
        try {
            for (int i = 0; i < n; i++) {
                rings[i] = PerfRing.create(i, pages, config.perfWakeupEvents(), config.perfWatermarkBytes());
                producers[i] = new PerfBufProducer(rings[i]);
            }
            return new PerfBufChannel(config, capabilities, rings, producers);
        } catch (RuntimeException e) {
            for (PerfRing r : rings) {
                if (r != null) {
                    r.close();
                }
            }
            throw e;
        }
    }

    /** Data pages of each ring: {@code capacityBytes / producers} rounded down to a power-of-two page count, at least 1. */
    static int dataPagesPerRing(int capacityBytes, int producers) {
        int pages = capacityBytes / producers / PerfBufDescriptor.PAGE_SIZE;
        return Math.max(1, Integer.highestOneBit(pages));
    }

    @Override
    public String waitStrategy() {
        return config.perfWatermarkBytes() > 0
                ? "perf: watermark=" + config.perfWatermarkBytes() + " bytes"
                : "perf: wakeup_events=" + config.perfWakeupEvents();
    }

    @Override
    public ChannelParts parts() {
        return parts;
    }

    @Override
    public ChannelCounters counters() {
        long drops = 0;
        long notifications = 0;
        for (PerfRing r : rings) {
            drops += r.lostSamples();
            notifications += r.wakeups(); // perf_output_wakeup calls
        }
        return consumer.counters(drops, notifications);
    }

    @Override
    public long memoryBytes() {
        long sum = 0;
        for (PerfRing r : rings) {
            sum += r.memoryBytes();
        }
        return sum;
    }

    /** The consumer, for scenario-specific reports. */
    public PerfBuffer buffer() {
        return consumer.buffer();
    }

    @Override
    public void close() {
        consumer.markShutdown();
        consumer.close();
        for (PerfRing r : rings) {
            r.close();
        }
    }
}
