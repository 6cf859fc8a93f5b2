package dev.ringbench.ringbuf;

import java.lang.foreign.MemorySegment;

/**
 * The allocation-free form of {@link RingBufConsumer.SampleCallback}: the sample is
 * {@code length} bytes at {@code offset} in {@code data}, the ring's read-only, double-mapped data
 * area (so the sample is contiguous even when it wraps). Valid only during the call: once the
 * callback returns, the consumer position moves past the record and producers may reuse it.
 */
@FunctionalInterface
public interface RawSampleCallback {
    /**
     * @return 0 or positive to go on; a negative value stops processing and is returned by the
     *         consuming call (the record still counts as consumed)
     */
    int onSample(MemorySegment data, long offset, int length);
}
