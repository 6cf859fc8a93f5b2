package dev.ringbench.competitors.bpfringbuf;

import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.RecordHandler;
import dev.ringbench.competitors.WakeupPolicy;
import dev.ringbench.os.Errno;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.RingSource;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the BPF ring buffer channels share: one ring shared by all producers, consumed by a
 * {@link RingBufConsumer}, and the consumer side of {@link Channel}. {@link #await} waits in
 * {@code poll}, which (as {@code ring_buffer__poll}) delivers every available record whatever
 * {@code limit} says; {@link #poll} honours the limit ({@code ring_buffer__consume_n}). The
 * delivered count is kept by the consumer thread and published once per call (opaque);
 * {@link #delivered()} reads it from any thread.
 */
public abstract class AbstractRingBufChannel implements Channel {
    private static final VarHandle DELIVERED;

    static {
        try {
            DELIVERED = MethodHandles.lookup().findVarHandle(AbstractRingBufChannel.class, "delivered", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelKind kind;
    protected final ChannelConfig config;
    protected final RingBufConsumer consumer;
    private final Ring consumerRing;
    private final ChannelProducer[] producers;
    private final String waitPrefix;
    private RecordHandler handler;
    private long deliveredLocal;
    @SuppressWarnings("unused") // written through DELIVERED
    private long delivered;
    private volatile boolean shutdown;

    /**
     * Creates the consumer of {@code ring} in {@code mode}; {@code waitPrefix} starts
     * {@link #waitStrategy()}, which goes on with the commit flags.
     */
    protected AbstractRingBufChannel(ChannelKind kind, ChannelConfig config, RingSource ring, Ring.Mode mode,
                                     ChannelProducer[] producers, String waitPrefix) {
        this.kind = kind;
        this.config = config;
        this.producers = producers;
        this.waitPrefix = waitPrefix;
        this.consumer = RingBufConsumer.create(ring, this::onSample, mode);
        this.consumerRing = consumer.ring(0);
    }

    private int onSample(MemorySegment data, long offset, int length) {
        handler.onRecord(data, offset, length);
        deliveredLocal++;
        return 0;
    }

    /** Records delivered, as published at the end of the last consumer call. */
    protected final long delivered() {
        return (long) DELIVERED.getOpaque(this);
    }

    @Override
    public final ChannelKind kind() {
        return kind;
    }

    @Override
    public final String waitStrategy() {
        WakeupPolicy p = config.wakeup();
        boolean withN = p == WakeupPolicy.SAMPLED || p == WakeupPolicy.EVERY_NTH;
        return waitPrefix + ", commit flags " + p + (withN ? "(" + config.wakeupN() + ")" : "");
    }

    @Override
    public final int producers() {
        return producers.length;
    }

    @Override
    public final int maxRecordLength() {
        return config.maxRecordLength();
    }

    @Override
    public final ChannelProducer producer(int index) {
        return producers[index];
    }

    @Override
    public final int poll(RecordHandler h, int limit) {
        handler = h;
        int n = consumerRing.consumeN(limit);
        publishDelivered();
        return Math.max(n, 0);
    }

    private void publishDelivered() {
        DELIVERED.setOpaque(this, deliveredLocal);
    }

    @Override
    public final int await(RecordHandler h, int limit, long timeoutNanos) {
        handler = h;
        if (shutdown) {
            return drainAfterShutdown(limit);
        }
        int timeoutMs = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int n = consumer.poll(timeoutMs);
        if (n == Errno.EBADF) {
            return drainAfterShutdown(limit);
        }
        publishDelivered();
        return Math.max(n, 0);
    }

    private int drainAfterShutdown(int limit) {
        int n = consumerRing.consumeN(limit);
        publishDelivered();
        return n > 0 ? n : -1;
    }

    @Override
    public final void shutdown() {
        shutdown = true;
        consumer.close(); // a poll in progress returns -EBADF
    }
}
