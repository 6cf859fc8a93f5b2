package dev.ringbench.competitors.disruptor;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;

import java.lang.foreign.MemorySegment;

/**
 * One producer of a {@link DisruptorChannel}: {@code tryNext()} claims a slot (a full ring is a
 * drop, never a wait), the payload is written into the slot's array, {@code publish} commits.
 */
final class DisruptorProducer implements ChannelProducer {
    private final RingBuffer<DisruptorEvent> ring;
    private final int id;
    private final int maxRecordLength;
    private final PerProducerCounter drops;
    private long sequence = -1;
    private DisruptorEvent claimed;

    DisruptorProducer(RingBuffer<DisruptorEvent> ring, int id, int maxRecordLength,
                      PerProducerCounter drops) {
        this.ring = ring;
        this.id = id;
        this.maxRecordLength = maxRecordLength;
        this.drops = drops;
    }

    @Override
    public boolean tryClaim(int length) {
        if (length < 0 || length > maxRecordLength) {
            throw new IllegalArgumentException("length must be in [0, " + maxRecordLength + "]: " + length);
        }
        if (claimed != null) {
            throw new IllegalStateException("a claimed record is outstanding");
        }
        long seq;
        try {
            seq = ring.tryNext();
        } catch (InsufficientCapacityException full) { // a preallocated singleton: no allocation
            drops.increment(id);
            return false;
        }
        DisruptorEvent e = ring.get(seq);
        e.length = length;
        e.discarded = false;
        sequence = seq;
        claimed = e;
        return true;
    }

    @Override
    public MemorySegment buffer() {
        return claimed().view;
    }

    @Override
    public long offset() {
        claimed();
        return 0;
    }

    @Override
    public void commit() {
        claimed();
        publish();
    }

    @Override
    public void abort() {
        claimed().discarded = true;
        publish();
    }

    @Override
    public boolean offer(MemorySegment src, long srcOffset, int length) {
        if (!tryClaim(length)) {
            return false;
        }
        MemorySegment.copy(src, srcOffset, claimed.view, 0, length);
        publish();
        return true;
    }

    /** {@code publish} calls {@code WaitStrategy.signalAllWhenBlocking()} exactly once. */
    private void publish() {
        long seq = sequence;
        claimed = null;
        sequence = -1;
        ring.publish(seq);
    }

    private DisruptorEvent claimed() {
        DisruptorEvent e = claimed;
        if (e == null) {
            throw new IllegalStateException("no claimed record");
        }
        return e;
    }
}
