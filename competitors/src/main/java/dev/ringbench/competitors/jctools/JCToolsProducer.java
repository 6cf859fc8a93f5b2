package dev.ringbench.competitors.jctools;

import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscBlockingConsumerArrayQueue;
import org.jctools.queues.SpscArrayQueue;

import java.lang.foreign.MemorySegment;

/**
 * One producer of a {@link JCToolsChannel}: copy-in only. {@link #offer} takes an event from this
 * producer's free-list, copies the payload into it and offers it to the shared queue. On the
 * blocking queue it counts the offers that find the consumer parked ({@code notifications}).
 */
final class JCToolsProducer implements ChannelProducer {
    private static final String NO_RESERVE = "JCTools queues have no reserve-then-write: use offer";

    private final MessagePassingQueue<PooledEvent> queue;
    /** This producer's free-list: the consumer thread offers, this producer polls (SPSC). */
    private final SpscArrayQueue<PooledEvent> pool;
    private final int id;
    private final int maxRecordLength;
    private final PerProducerCounter drops;
    /** The queue when it is the blocking one, else null. */
    private final MpscBlockingConsumerArrayQueue<PooledEvent> blocking;
    /** Offers that found the consumer's parked mark (blocking queue only). */
    private final PerProducerCounter notifications;
    /** An event whose queue offer failed: kept here, as this thread may not offer to its own pool. */
    private PooledEvent spare;

    JCToolsProducer(MessagePassingQueue<PooledEvent> queue, SpscArrayQueue<PooledEvent> pool, int id,
                    int maxRecordLength, PerProducerCounter drops, PerProducerCounter notifications) {
        this.queue = queue;
        this.blocking = queue instanceof MpscBlockingConsumerArrayQueue<PooledEvent> b ? b : null;
        this.notifications = notifications;
        this.pool = pool;
        this.id = id;
        this.maxRecordLength = maxRecordLength;
        this.drops = drops;
    }

    @Override
    public boolean tryClaim(int length) {
        throw new UnsupportedOperationException(NO_RESERVE);
    }

    @Override
    public MemorySegment buffer() {
        throw new UnsupportedOperationException(NO_RESERVE);
    }

    @Override
    public long offset() {
        throw new UnsupportedOperationException(NO_RESERVE);
    }

    @Override
    public void commit() {
        throw new UnsupportedOperationException(NO_RESERVE);
    }

    @Override
    public void abort() {
        throw new UnsupportedOperationException("JCTools queues have no reserve-then-write, so nothing to discard: use offer");
    }

    @Override
    public boolean offer(MemorySegment src, long srcOffset, int length) {
        if (length < 0 || length > maxRecordLength) {
            throw new IllegalArgumentException("length must be in [0, " + maxRecordLength + "]: " + length);
        }
        PooledEvent e = spare;
        if (e != null) {
            spare = null;
        } else {
            e = pool.relaxedPoll();
            if (e == null) { // every event of this producer is queued or being handled: the queue is full
                drops.increment(id);
                return false;
            }
        }
        MemorySegment.copy(src, srcOffset, e.view, 0, length);
        e.length = length;
        MpscBlockingConsumerArrayQueue<PooledEvent> b = blocking;
        if (b != null && (b.lvProducerIndex() & 1) == 1) {
            // An odd producer index is the consumer's "parked" mark: this offer takes it and unparks
            // the consumer (JCTools' offerAndWakeup). Counted before the offer, so the consumer sees
            // the count once it has the record. Several producers may see one mark; one unparks.
            notifications.increment(id);
        }
        if (!queue.offer(e)) {
            spare = e;
            drops.increment(id);
            return false;
        }
        return true;
    }
}
