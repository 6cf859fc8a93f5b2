package dev.ringbench.competitors.kernel;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.competitors.bpfringbuf.AbstractRingBufChannel;
import dev.ringbench.kernel.KernelRingBuf;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.RingBufDescriptor;

/**
 * The real kernel's BPF ring buffer as a {@link Channel}: one {@code BPF_MAP_TYPE_RINGBUF} map of
 * {@code capacityBytes} shared by all producers, consumed by the port's own
 * {@link RingBufConsumer} (libbpf's loop for {@link ChannelKind#KERNEL_RINGBUF_LIBBPF}, the kernel
 * benchmark's batched loop for {@link ChannelKind#KERNEL_RINGBUF_BATCHED}), which sleeps in a real
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
 * <p><b>Counters.</b> {@code wakeups} counts the wake-ups the consumer received (epoll reporting
 * the ring): the kernel does not count the ones it sends. {@link #memoryBytes()} is the map's
 * pages as the kernel allocates them (three metadata pages plus the data pages, the port's
 * {@code physicalBytes}); the producers' io maps (payload staging, one page or so each) are not
 * counted.
 *
 * <p>Where the kernel cannot be driven, {@link #create} throws {@link UnsupportedOperationException}
 * with the reason ({@link ChannelKind#unavailableReason()} says it without trying).
 */
public final class KernelRingBufChannel extends AbstractRingBufChannel {
    public static final Capabilities CAPABILITIES = new Capabilities(true, false, false, true, true, true);

    private final KernelRingBuf ring;
    private final KernelRingBufProducer[] producers;
    private final PerProducerCounter drops;

    private KernelRingBufChannel(ChannelKind kind, ChannelConfig config, KernelRingBuf ring,
                                 KernelRingBufProducer[] producers, PerProducerCounter drops) {
        super(kind, config, ring, kind == ChannelKind.KERNEL_RINGBUF_BATCHED ? Ring.Mode.BATCHED : Ring.Mode.LIBBPF,
                producers, "epoll_wait on the map fd");
        this.ring = ring;
        this.producers = producers;
        this.drops = drops;
    }

    /** Builds the channel for one of the two KERNEL_RINGBUF kinds. */
    public static Channel create(ChannelKind kind, ChannelConfig config) {
        if (kind != ChannelKind.KERNEL_RINGBUF_LIBBPF && kind != ChannelKind.KERNEL_RINGBUF_BATCHED) {
            throw new IllegalArgumentException("not a kernel ring buffer kind: " + kind);
        }
        KernelRingBuf ring = KernelRingBuf.create(config.capacityBytes());
        PerProducerCounter drops = new PerProducerCounter(config.producers());
        KernelRingBufProducer[] producers = new KernelRingBufProducer[config.producers()];
        try {
            for (int i = 0; i < producers.length; i++) {
                producers[i] = new KernelRingBufProducer(ring, i, config.maxRecordLength(), config.wakeup(),
                        config.wakeupN(), drops);
            }
            return new KernelRingBufChannel(kind, config, ring, producers, drops);
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
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ChannelCounters counters() {
        return new ChannelCounters(delivered(), drops.sum(), ring.wakeupsReceived(), 0, 0);
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
