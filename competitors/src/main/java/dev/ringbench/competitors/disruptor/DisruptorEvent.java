package dev.ringbench.competitors.disruptor;

import java.lang.foreign.MemorySegment;

/**
 * One preallocated Disruptor slot: a payload array of {@code maxRecordLength} bytes, a
 * {@link MemorySegment} view of it made once, the record's length and a skip flag. Its fields are
 * written by the producer that claimed the slot and published by {@code RingBuffer.publish}
 * (a release store the consumer's availability check acquires).
 */
final class DisruptorEvent {
    final byte[] payload;
    final MemorySegment view;
    int length;
    /** Set by {@code abort()}: the slot is published so the sequence advances, and skipped. */
    boolean discarded;

    DisruptorEvent(int maxRecordLength) {
        payload = new byte[maxRecordLength];
        view = MemorySegment.ofArray(payload);
    }
}
