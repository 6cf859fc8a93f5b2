package dev.ringbench.competitors.bpfringbuf;

import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ConsumerSide;
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
 * The consumer side that the BPF ring buffer channels share (the port's and the kernel's ring):
 * one ring shared by all producers, consumed by a {@link RingBufConsumer}. An adapter holds one
 * and hands it {@link Channel#poll}, {@link Channel#await} and {@link Channel#shutdown}.
 * {@link #await} waits in {@code poll}, which (as {@code ring_buffer__poll}) delivers every
 * available record whatever {@code limit} says; {@link #poll} honours the limit
 * ({@code ring_buffer__consume_n}). The delivered count is kept by the consumer thread and
 * published once per call (opaque); {@link #delivered()} reads it from any thread, and so is
 * {@link #wakeups()}, the consumer's wait set's count of sleeps that a wake-up ended with a ring
 * ready (the port's {@code PollWaiter}, or a real {@code epoll_wait} that slept after the entry
 * check found no ring ready).
 */
public final class RingConsumerSide implements ConsumerSide {
    private static final VarHandle DELIVERED;
    private static final VarHandle WAKEUPS;

    static {
        try {
            DELIVERED = MethodHandles.lookup().findVarHandle(RingConsumerSide.class, "delivered", long.class);
            WAKEUPS = MethodHandles.lookup().findVarHandle(RingConsumerSide.class, "wakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RingBufConsumer consumer;
    private final Ring consumerRing;
    private RecordHandler handler;
    private long deliveredLocal;
    @SuppressWarnings("unused") // written through DELIVERED
    private long delivered;
    @SuppressWarnings("unused") // written through WAKEUPS
    private long wakeups;
    private volatile boolean shutdown;

    /** Creates the consumer of {@code ring} with the {@code mode} loop. */
    public RingConsumerSide(RingSource ring, Ring.Mode mode) {
        this.consumer = RingBufConsumer.create(ring, this::onSample, mode);
        this.consumerRing = consumer.ring(0);
    }

    /**
     * The channel's {@link Channel#waitStrategy()}: {@code prefix}, then the commit flags of
     * {@code config}.
     */
    public static String waitStrategy(String prefix, ChannelConfig config) {
        WakeupPolicy p = config.wakeup();
        boolean withN = p == WakeupPolicy.SAMPLED || p == WakeupPolicy.EVERY_NTH;
        return prefix + ", commit flags " + p + (withN ? "(" + config.wakeupN() + ")" : "");
    }

    private int onSample(MemorySegment data, long offset, int length) {
        handler.onRecord(data, offset, length);
        deliveredLocal++;
        return 0;
    }

    /** Records delivered, as published at the end of the last consumer call. */
    public long delivered() {
        return (long) DELIVERED.getOpaque(this);
    }

    /**
     * {@link dev.ringbench.competitors.ChannelCounters#wakeups()}: waits that found no ring ready,
     * slept, and returned because a wake-up made a ring ready, as published at the end of the
     * last {@link #await}.
     */
    public long wakeups() {
        return (long) WAKEUPS.getOpaque(this);
    }

    /** {@link Channel#poll}. */
    @Override
    public int poll(RecordHandler h, int limit) {
        handler = h;
        int n = consumerRing.consumeN(limit);
        publishDelivered();
        return Math.max(n, 0);
    }

    private void publishDelivered() {
        DELIVERED.setOpaque(this, deliveredLocal);
    }

    /** {@link Channel#await}. */
    @Override
    public int await(RecordHandler h, int limit, long timeoutNanos) {
        handler = h;
        if (shutdown) {
            return drainAfterShutdown(limit);
        }
        int timeoutMs = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int n = consumer.poll(timeoutMs);
        WAKEUPS.setOpaque(this, consumer.wakeups());
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

    /** {@link Channel#shutdown}: a poll in progress returns, later awaits only drain. */
    @Override
    public void shutdown() {
        shutdown = true;
        consumer.close(); // a poll in progress returns -EBADF
    }

    /** Closes the consumer (its epoll registration); the ring is the channel's to close. */
    public void close() {
        consumer.close();
    }
}
