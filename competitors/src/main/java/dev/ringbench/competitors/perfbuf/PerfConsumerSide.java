package dev.ringbench.competitors.perfbuf;

import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ConsumerSide;
import dev.ringbench.competitors.RecordHandler;
import dev.ringbench.os.Errno;
import dev.ringbench.perfbuf.PerfBuffer;
import dev.ringbench.perfbuf.PerfRingSource;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The consumer side that the perf-buffer channels share (the analogue's and the kernel's): a
 * {@link PerfBuffer} consuming the channel's rings. An adapter holds one and hands it
 * {@link Channel#poll}, {@link Channel#await} and {@link Channel#shutdown}. {@link #poll} is
 * {@code perf_buffer__consume} stopping after {@code limit} records; {@link #await} is
 * {@code perf_buffer__poll}, draining every woken ring whatever {@code limit} says. Samples are
 * records as they stand, or framed by a 4-byte length prefix ({@link #LENGTH_PREFIXED}: the
 * kernel programs' samples, whose raw size is padded).
 */
public final class PerfConsumerSide implements ConsumerSide {
    /** Samples are the records. */
    public static final int WHOLE = 0;
    /** Each sample starts with the record's length as a u32, then the record. */
    public static final int LENGTH_PREFIXED = 4;

    private static final VarHandle DELIVERED;
    private static final VarHandle LOST_REPORTED;
    private static final VarHandle WAKEUPS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            DELIVERED = l.findVarHandle(PerfConsumerSide.class, "delivered", long.class);
            LOST_REPORTED = l.findVarHandle(PerfConsumerSide.class, "lostReported", long.class);
            WAKEUPS = l.findVarHandle(PerfConsumerSide.class, "wakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PerfBuffer buffer;
    private final int prefix;
    private final String corruptMessage;
    private RecordHandler handler;
    private int batch;
    // Written by the consumer thread only (setOpaque), read by counters() from any thread.
    @SuppressWarnings("unused")
    private long delivered;
    @SuppressWarnings("unused")
    private long lostReported;
    @SuppressWarnings("unused")
    private long wakeups;
    private volatile boolean shutdown;

    /**
     * Creates the {@link PerfBuffer} over {@code rings}; {@code framing} is {@link #WHOLE} or
     * {@link #LENGTH_PREFIXED}; {@code corruptMessage} starts the message thrown when the buffer
     * reports bad ring contents.
     */
    public PerfConsumerSide(PerfRingSource[] rings, int framing, String corruptMessage) {
        if (framing != WHOLE && framing != LENGTH_PREFIXED) {
            throw new IllegalArgumentException("framing must be WHOLE or LENGTH_PREFIXED: " + framing);
        }
        this.prefix = framing;
        this.corruptMessage = corruptMessage;
        this.buffer = PerfBuffer.create(rings, this::onSample, this::onLost);
    }

    private void onSample(MemorySegment data, long offset, int length) {
        if (prefix == WHOLE) {
            deliver(data, offset, length);
            return;
        }
        int len = data.get(JAVA_INT.withByteAlignment(1), offset);
        if (len < 0 || len > length - LENGTH_PREFIXED) {
            throw new IllegalStateException("kernel perf sample with bad length prefix " + len + " (raw " + length + ")");
        }
        deliver(data, offset + LENGTH_PREFIXED, len);
    }

    /** Hands one record to the current handler and counts it (consumer thread only). */
    private void deliver(MemorySegment data, long offset, int length) {
        handler.onRecord(data, offset, length);
        batch++;
        DELIVERED.setOpaque(this, delivered + 1); // single consumer thread
    }

    private void onLost(int ring, long lost) {
        LOST_REPORTED.setOpaque(this, lostReported + lost);
    }

    /** The consumer, for scenario-specific reports. */
    public PerfBuffer buffer() {
        return buffer;
    }

    /** {@link Channel#poll}. */
    @Override
    public int poll(RecordHandler h, int limit) {
        handler = h;
        batch = 0;
        check(buffer.consumeN(Math.max(limit, 0)));
        return batch;
    }

    /** {@link Channel#await}. */
    @Override
    public int await(RecordHandler h, int limit, long timeoutNanos) {
        handler = h;
        batch = 0;
        if (shutdown) {
            return drainAfterShutdown(limit);
        }
        int timeoutMs = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int r = buffer.poll(timeoutMs);
        WAKEUPS.setOpaque(this, buffer.wakeups()); // the wait set's count of sleeps a wake-up ended
        if (r == Errno.EBADF) {
            return drainAfterShutdown(limit);
        }
        if (r != Errno.EINTR) {
            check(r);
        }
        return batch;
    }

    private int drainAfterShutdown(int limit) {
        check(buffer.consumeN(Math.max(limit, 0)));
        return batch > 0 ? batch : -1;
    }

    private void check(int rc) {
        if (rc < 0) {
            throw new IllegalStateException(corruptMessage + " (errno " + rc + ")");
        }
    }

    /** {@link Channel#shutdown}: a poll in progress returns, later awaits only drain. */
    @Override
    public void shutdown() {
        markShutdown();
        buffer.shutdown(); // a poll in progress returns -EBADF
    }

    /** From now on {@link #await} only drains what is left, without waiting. */
    public void markShutdown() {
        shutdown = true;
    }

    /**
     * The counters, with the channel's {@code drops} and {@code notifications}; {@code wakeups} is
     * the consumer's ({@link PerfBuffer#wakeups()}: sleeps in the wait set that a wake-up ended with
     * a ring ready), as published at the end of the last {@link #await}.
     */
    public ChannelCounters counters(long drops, long notifications) {
        return new ChannelCounters((long) DELIVERED.getOpaque(this), drops, notifications,
                (long) WAKEUPS.getOpaque(this), 0, (long) LOST_REPORTED.getOpaque(this));
    }

    /** Closes the buffer (its wait set); the rings are the channel's to close. */
    public void close() {
        buffer.close();
    }
}
