package dev.ringbench.competitors.bpfringbuf;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;

/**
 * The BPF ring buffer port as a {@link Channel}: one {@link BpfRingBuf} of
 * {@code capacityBytes} shared by all producers, with the lock era of the config, and one
 * {@link RingBufConsumer} using libbpf's loop ({@link ChannelKind#BPF_RINGBUF_LIBBPF}) or the
 * kernel benchmark's batched loop ({@link ChannelKind#BPF_RINGBUF_BATCHED}).
 *
 * <p>Producers reserve, write in place and submit (or discard) with the commit flags the
 * {@link dev.ringbench.competitors.WakeupPolicy} chooses; {@link ChannelProducer#offer} is
 * {@code bpf_ringbuf_output}. The consumer waits in {@code poll}, which (as {@code ring_buffer__poll})
 * delivers every available record whatever {@code limit} says; {@link #poll} honours the limit
 * ({@code ring_buffer__consume_n}).
 */
public final class BpfRingBufChannel extends AbstractRingBufChannel {
    private static final Capabilities CAPABILITIES = new Capabilities(true, true, true, true, true, true);

    private final BpfRingBuf ring;
    private final PerProducerCounter drops;

    private BpfRingBufChannel(ChannelKind kind, ChannelConfig config, BpfRingBuf ring, BpfRingBufProducer[] producers,
                              PerProducerCounter drops) {
        super(kind, config, ring, kind == ChannelKind.BPF_RINGBUF_BATCHED ? Ring.Mode.BATCHED : Ring.Mode.LIBBPF,
                producers, "epoll-like poll");
        this.ring = ring;
        this.drops = drops;
    }

    /** Builds the channel for {@code kind}, one of the two BPF_RINGBUF kinds. */
    public static Channel create(ChannelKind kind, ChannelConfig config) {
        if (kind != ChannelKind.BPF_RINGBUF_LIBBPF && kind != ChannelKind.BPF_RINGBUF_BATCHED) {
            throw new IllegalArgumentException("not a BPF ring buffer kind: " + kind);
        }
        BpfRingBuf ring = BpfRingBuf.create(config.capacityBytes(), 0, config.lockEra());
        PerProducerCounter drops = new PerProducerCounter(config.producers());
        BpfRingBufProducer[] producers = new BpfRingBufProducer[config.producers()];
        for (int i = 0; i < producers.length; i++) {
            producers[i] = new BpfRingBufProducer(ring, i, config.wakeup(), config.wakeupN(), drops);
        }
        return new BpfRingBufChannel(kind, config, ring, producers, drops);
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ChannelCounters counters() {
        return new ChannelCounters(delivered(), drops.sum(), ring.notificationsSent(), ring.nmiFailures(), 0);
    }

    @Override
    public long memoryBytes() {
        return ring.memoryReport().physicalBytes();
    }

    /** The ring itself, for scenario-specific reports (lock counters, memory report). */
    public BpfRingBuf ring() {
        return ring;
    }

    @Override
    public void close() {
        consumer.close();
        ring.close();
    }
}
