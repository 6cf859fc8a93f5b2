package dev.ringbench.competitors.bpfringbuf;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelParts;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;

/**
 * The BPF ring buffer port as a {@link Channel}: one {@link BpfRingBuf} of
 * {@code capacityBytes} shared by all producers, with the lock era of the config, and one
 * {@link RingBufConsumer} using libbpf's loop ({@link Ring.Mode#LIBBPF}) or the kernel
 * benchmark's batched loop ({@link Ring.Mode#BATCHED}), through a {@link RingConsumerSide}.
 *
 * <p>Producers reserve, write in place and submit (or discard) with the commit flags the
 * {@link dev.ringbench.competitors.WakeupPolicy} chooses; {@link ChannelProducer#offer} is
 * {@code bpf_ringbuf_output}. The consumer waits in {@code poll}, which (as {@code ring_buffer__poll})
 * delivers every available record whatever {@code limit} says; {@link #poll} honours the limit
 * ({@code ring_buffer__consume_n}).
 *
 * <p>Counters: {@code notifications} = times the ring's deferred wake-up work ran
 * ({@link BpfRingBuf#notificationsSent()}: it claimed the pending flag and called
 * {@code wake_up_all}; a request merged into one already pending is not counted);
 * {@code wakeups} = the consumer's sleeps that a wake-up ended ({@link RingConsumerSide#wakeups()}).
 */
public final class BpfRingBufChannel implements Channel.Assembled {
    private final ChannelParts parts;
    private final ChannelConfig config;
    private final BpfRingBuf ring;
    private final BpfRingBufProducer[] producers;
    private final PerProducerCounter drops;
    private final RingConsumerSide consumer;

    private BpfRingBufChannel(ChannelConfig config, Capabilities capabilities, BpfRingBuf ring,
                              BpfRingBufProducer[] producers, PerProducerCounter drops, Ring.Mode loop) {
        this.config = config;
        this.ring = ring;
        this.producers = producers;
        this.drops = drops;
        this.consumer = new RingConsumerSide(ring, loop);
        this.parts = new ChannelParts(capabilities, producers, config.maxRecordLength(), consumer);
    }

    /** Builds the channel, consumed with the {@code loop} consumer loop. */
    public static Channel create(ChannelConfig config, Capabilities capabilities, Ring.Mode loop) {
        BpfRingBuf ring = BpfRingBuf.create(config.capacityBytes(), 0, config.lockEra());
        PerProducerCounter drops = new PerProducerCounter(config.producers());
        BpfRingBufProducer[] producers = new BpfRingBufProducer[config.producers()];
        for (int i = 0; i < producers.length; i++) {
            producers[i] = new BpfRingBufProducer(ring, i, config.wakeup(), config.wakeupN(), drops);
        }
        return new BpfRingBufChannel(config, capabilities, ring, producers, drops, loop);
    }

    @Override
    public String waitStrategy() {
        return RingConsumerSide.waitStrategy("epoll-like poll", config);
    }

    @Override
    public ChannelParts parts() {
        return parts;
    }

    @Override
    public ChannelCounters counters() {
        return new ChannelCounters(consumer.delivered(), drops.sum(), ring.notificationsSent(), consumer.wakeups(),
                ring.nmiFailures(), 0);
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
