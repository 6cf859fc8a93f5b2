package dev.ringbench.competitors.kernel;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelParts;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.competitors.bpfringbuf.RingConsumerSide;
import dev.ringbench.kernel.KernelRingBuf;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.RingBufDescriptor;

/**
 * The real kernel's BPF ring buffer as a {@link Channel}: one {@code BPF_MAP_TYPE_RINGBUF} map of
 * {@code capacityBytes} shared by all producers, consumed by the port's own
 * {@link RingBufConsumer} (libbpf's loop, {@link Ring.Mode#LIBBPF}, or the kernel benchmark's
 * batched loop, {@link Ring.Mode#BATCHED}, through a {@link RingConsumerSide}), which sleeps in a real
 * {@code epoll_wait} on the map fd and is woken by the kernel's own deferred wake-up work.
 *
 * <p><b>Producers</b> are BPF programs run with {@code BPF_PROG_TEST_RUN}, one syscall per
 * {@link ChannelProducer#offer}, as the kernel's benchmark triggers its programs with a syscall
 * ({@link KernelRingBufProducer}). A kernel reservation cannot outlive the program run that made
 * it, so a Java thread cannot hold one between {@code tryClaim} and {@code commit}: the kinds are
 * copy-only ({@code reserveCommit} and {@code discard} false; those calls throw
 * {@link UnsupportedOperationException}). Inside the program, an offer is
 * {@code bpf_ringbuf_output} by default, or {@code bpf_ringbuf_reserve} + copy +
 * {@code bpf_ringbuf_submit} after {@link KernelRingBufProducer#useReserve(boolean)} (the
 * benchmark's reserve-vs-output comparison); {@link KernelRingBufProducer#offerBatch} runs one
 * program {@code count} times in one syscall ({@code repeat}, the benchmark's batches).
 *
 * <p><b>Counters.</b> {@code wakeups} counts the consumer's sleeps in {@code epoll_wait} that
 * returned with the ring reported ready after the entry check found it empty
 * ({@link RingConsumerSide#wakeups()}); {@code notifications} is
 * {@link ChannelCounters#NOT_OBSERVABLE}: the kernel does not count the wake-ups it sends. {@link #memoryBytes()} is the map's
 * pages as the kernel allocates them (three metadata pages plus the data pages, the port's
 * {@code physicalBytes}); the producers' io maps (payload staging, one page or so each) are not
 * counted.
 *
 * <p>Where the kernel cannot be driven, {@link #create} throws {@link UnsupportedOperationException}
 * with the reason ({@code ChannelKind.unavailableReason()} says it without trying).
 */
public final class KernelRingBufChannel implements Channel.Assembled {
    private final ChannelParts parts;
    private final ChannelConfig config;
    private final KernelRingBuf ring;
    private final KernelRingBufProducer[] producers;
    private final PerProducerCounter drops;
    private final RingConsumerSide consumer;

    private KernelRingBufChannel(ChannelConfig config, Capabilities capabilities, KernelRingBuf ring,
                                 KernelRingBufProducer[] producers, PerProducerCounter drops, Ring.Mode loop) {
        this.config = config;
        this.ring = ring;
        this.producers = producers;
        this.drops = drops;
        this.consumer = new RingConsumerSide(ring, loop);
        this.parts = new ChannelParts(capabilities, producers, config.maxRecordLength(), consumer);
    }

    /** Builds the channel, consumed with the {@code loop} consumer loop. */
    public static Channel create(ChannelConfig config, Capabilities capabilities, Ring.Mode loop) {
        KernelRingBuf ring = KernelRingBuf.create(config.capacityBytes());
        PerProducerCounter drops = new PerProducerCounter(config.producers());
        KernelRingBufProducer[] producers = new KernelRingBufProducer[config.producers()];
        try {
            for (int i = 0; i < producers.length; i++) {
                producers[i] = new KernelRingBufProducer(ring, i, config.maxRecordLength(), config.wakeup(),
                        config.wakeupN(), drops);
            }
            return new KernelRingBufChannel(config, capabilities, ring, producers, drops, loop);
        } catch (RuntimeException e) {
            for (KernelRingBufProducer p : producers) {
                if (p != null) {
                    p.close();
                }
            }
            ring.close();
            throw e;
        }
    }

    @Override
    public String waitStrategy() {
        return RingConsumerSide.waitStrategy("epoll_wait on the map fd", config);
    }

    @Override
    public ChannelParts parts() {
        return parts;
    }

    @Override
    public ChannelCounters counters() {
        return new ChannelCounters(consumer.delivered(), drops.sum(), ChannelCounters.NOT_OBSERVABLE,
                consumer.wakeups(), 0, 0);
    }

    @Override
    public long memoryBytes() {
        return RingBufDescriptor.DATA_OFFSET + ring.size();
    }

    /** The kernel map, for scenario-specific reports. */
    public KernelRingBuf ring() {
        return ring;
    }

    @Override
    public void close() {
        consumer.close();
        for (KernelRingBufProducer p : producers) {
            p.close();
        }
        ring.close();
    }
}
