package dev.ringbench.competitors.jctools;

import java.lang.foreign.MemorySegment;

/**
 * One pooled record: a payload array of {@code maxRecordLength} bytes with a {@link MemorySegment}
 * view made once, the record's length and the producer whose free-list it returns to. Its fields
 * are written by the owning producer before the queue's release store of the reference, and read
 * by the consumer after the acquiring load.
 */
final class PooledEvent {
    final byte[] payload;
    final MemorySegment view;
    final int owner;
    int length;

    PooledEvent(int maxRecordLength, int owner) {
        payload = new byte[maxRecordLength];
        view = MemorySegment.ofArray(payload);
        this.owner = owner;
    }
}
