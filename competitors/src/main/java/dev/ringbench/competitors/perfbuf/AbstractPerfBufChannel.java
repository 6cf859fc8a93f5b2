package dev.ringbench.competitors.perfbuf;

import dev.ringbench.perfbuf.PerfRingSource;
import dev.ringbench.perfbuf.PerfBuffer;
import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.RecordHandler;
import dev.ringbench.os.Errno;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the perf-buffer channels share: a {@link PerfBuffer} consuming the subclass's rings, its
 * copy-only producers, and the consumer side of {@link Channel} ({@link #poll}, {@link #await},
 * {@link #shutdown}, {@link #counters}). {@link #poll} is {@code perf_buffer__consume} stopping
 * after {@code limit} records; {@link #await} is {@code perf_buffer__poll}, draining every woken
 * ring whatever {@code limit} says. Subclasses build the rings and producers, and say how to count
 * drops, wake-ups and memory; a subclass whose samples are framed overrides {@link #onSample} and
 * hands the payload to {@link #deliver}.
 */
public abstract class AbstractPerfBufChannel implements Channel {
    private static final Capabilities CAPABILITIES = new Capabilities(true, false, false, false, true, true);
    private static final VarHandle DELIVERED;
    private static final VarHandle LOST_REPORTED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            DELIVERED = l.findVarHandle(AbstractPerfBufChannel.class, "delivered", long.class);
            LOST_REPORTED = l.findVarHandle(AbstractPerfBufChannel.class, "lostReported", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelKind kind;
    protected final ChannelConfig config;
    protected final PerfBuffer buffer;
    private final ChannelProducer[] producers;
    private final int maxRecordLength;
    private final String corruptMessage;
    private RecordHandler handler;
    private int batch;
    // Written by the consumer thread only (setOpaque), read by counters() from any thread.
    private long delivered;
    private long lostReported;
    private volatile boolean shutdown;

    /**
     * Creates the {@link PerfBuffer} over {@code rings}; {@code corruptMessage} starts the message
     * thrown when the buffer reports bad ring contents.
     */
    protected AbstractPerfBufChannel(ChannelKind kind, ChannelConfig config, PerfRingSource[] rings,
                                     ChannelProducer[] producers, int maxRecordLength, String corruptMessage) {
        this.kind = kind;
        this.config = config;
        this.producers = producers;
        this.maxRecordLength = maxRecordLength;
        this.corruptMessage = corruptMessage;
        this.buffer = PerfBuffer.create(rings, this::onSample, this::onLost);
    }

    /** One raw sample from the buffer; by default the whole sample is the record. */
    protected void onSample(MemorySegment data, long offset, int length) {
        deliver(data, offset, length);
    }

    /** Hands one record to the current handler and counts it (consumer thread only). */
    protected final void deliver(MemorySegment data, long offset, int length) {
        handler.onRecord(data, offset, length);
        batch++;
        DELIVERED.setOpaque(this, delivered + 1); // single consumer thread
    }

    private void onLost(int ring, long lost) {
        LOST_REPORTED.setOpaque(this, lostReported + lost);
    }

    /** Samples lost because a ring was full, as {@link ChannelCounters#drops()}. */
    protected abstract long drops();

    /** Wake-ups, as {@link ChannelCounters#wakeups()}. */
    protected abstract long wakeups();

    @Override
    public final ChannelKind kind() {
        return kind;
    }

    @Override
    public final Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public final int producers() {
        return producers.length;
    }

    @Override
    public final int maxRecordLength() {
        return maxRecordLength;
    }

    @Override
    public final ChannelProducer producer(int index) {
        return producers[index];
    }

    @Override
    public final int poll(RecordHandler h, int limit) {
        handler = h;
        batch = 0;
        check(buffer.consumeN(Math.max(limit, 0)));
        return batch;
    }

    @Override
    public final int await(RecordHandler h, int limit, long timeoutNanos) {
        handler = h;
        batch = 0;
        if (shutdown) {
            return drainAfterShutdown(limit);
        }
        int timeoutMs = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int r = buffer.poll(timeoutMs);
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

    @Override
    public final void shutdown() {
        markShutdown();
        buffer.shutdown(); // a poll in progress returns -EBADF
    }

    /** From now on {@link #await} only drains what is left, without waiting. */
    protected final void markShutdown() {
        shutdown = true;
    }

    @Override
    public final ChannelCounters counters() {
        return new ChannelCounters((long) DELIVERED.getOpaque(this), drops(), wakeups(), 0,
                (long) LOST_REPORTED.getOpaque(this));
    }
}
