package dev.ringbench.competitors.agrona;

import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One producer of an {@link AgronaChannel}. Reserve-then-write is {@code tryClaim}/{@code commit}/
 * {@code abort}, writing through a {@link MemorySegment} view of the ring's memory; {@link #offer} is
 * Agrona's {@code write}, its source an {@link UnsafeBuffer} re-wrapped (no allocation) around the
 * caller's memory.
 */
final class AgronaProducer implements ChannelProducer {
    private final RingBuffer ring;
    private final MemorySegment view;
    private final int id;
    private final int maxRecordLength;
    private final PerProducerCounter drops;
    /** Re-wrapped around each offer's source. */
    private final UnsafeBuffer source = new UnsafeBuffer(0, 0);
    /** For heap sources not backed by a {@code byte[]}: copied here first. */
    private final MemorySegment scratch;
    private final UnsafeBuffer scratchBuffer;
    /** The last heap source seen and its {@code byte[]} (null if it has none), so heapBase() is asked once. */
    private MemorySegment lastHeapSource;
    private byte[] lastHeapArray;
    private int index = -1;

    AgronaProducer(RingBuffer ring, MemorySegment view, int id, int maxRecordLength, PerProducerCounter drops) {
        this.ring = ring;
        this.view = view;
        this.id = id;
        this.maxRecordLength = maxRecordLength;
        this.drops = drops;
        byte[] s = new byte[maxRecordLength];
        this.scratch = MemorySegment.ofArray(s);
        this.scratchBuffer = new UnsafeBuffer(s);
    }

    @Override
    public boolean tryClaim(int length) {
        checkLength(length);
        if (index >= 0) {
            throw new IllegalStateException("a claimed record is outstanding");
        }
        int i = ring.tryClaim(AgronaChannel.MSG_TYPE_ID, length);
        if (i < 0) { // RingBuffer.INSUFFICIENT_CAPACITY
            drops.increment(id);
            return false;
        }
        index = i;
        return true;
    }

    @Override
    public MemorySegment buffer() {
        claimed();
        return view;
    }

    @Override
    public long offset() {
        return claimed();
    }

    @Override
    public void commit() {
        int i = claimed();
        index = -1;
        ring.commit(i);
    }

    @Override
    public void abort() {
        int i = claimed();
        index = -1;
        ring.abort(i);
    }

    @Override
    public boolean offer(MemorySegment src, long srcOffset, int length) {
        checkLength(length);
        Objects.checkFromIndexSize(srcOffset, length, src.byteSize()); // raw wraps bypass the segment's checks
        DirectBuffer buffer;
        int at;
        if (src.isNative()) {
            source.wrap(src.address() + srcOffset, length);
            buffer = source;
            at = 0;
        } else {
            if (src != lastHeapSource) {
                lastHeapSource = src;
                lastHeapArray = src.heapBase().orElse(null) instanceof byte[] a ? a : null;
            }
            if (lastHeapArray != null) { // a heap segment's address() is its offset in the array
                at = 0;
                source.wrap(lastHeapArray, (int) (src.address() + srcOffset), length);
                buffer = source;
            } else {
                MemorySegment.copy(src, srcOffset, scratch, 0, length);
                buffer = scratchBuffer;
                at = 0;
            }
        }
        if (!ring.write(AgronaChannel.MSG_TYPE_ID, buffer, at, length)) {
            drops.increment(id);
            return false;
        }
        return true;
    }

    private void checkLength(int length) {
        if (length < 0 || length > maxRecordLength) {
            throw new IllegalArgumentException("length must be in [0, " + maxRecordLength + "]: " + length);
        }
    }

    private int claimed() {
        int i = index;
        if (i < 0) {
            throw new IllegalStateException("no claimed record");
        }
        return i;
    }
}
