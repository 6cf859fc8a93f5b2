package dev.ringbench.competitors;

import java.lang.foreign.MemorySegment;

/**
 * The producer side of a {@link Channel}, used by one thread at a time. Holds at most one claimed
 * record at a time, so that no handle object is needed.
 *
 * <p>Reserve-then-write, where {@link Capabilities#reserveCommit()}: {@link #tryClaim}, write
 * {@code length} bytes into {@link #buffer()} at {@link #offset()}, then {@link #commit()} or (where
 * {@link Capabilities#discard()}) {@link #abort()}. Copy-in everywhere: {@link #offer}.
 */
public interface ChannelProducer {
    /**
     * Claims room for one record of {@code length} payload bytes.
     *
     * @return false when the channel is full (counted as a drop) or the reservation failed
     * @throws UnsupportedOperationException if the channel cannot reserve
     */
    boolean tryClaim(int length);

    /** Memory of the claimed record: write the payload at {@link #offset()}. */
    MemorySegment buffer();

    /** Where the claimed record's payload starts in {@link #buffer()}. */
    long offset();

    /** Publishes the claimed record. */
    void commit();

    /**
     * Gives the claimed record up; the consumer never sees it.
     *
     * @throws UnsupportedOperationException if the channel cannot discard
     */
    void abort();

    /**
     * Copies {@code length} bytes of {@code src} from {@code srcOffset} as one record.
     *
     * @return false when the channel is full (counted as a drop)
     */
    boolean offer(MemorySegment src, long srcOffset, int length);

    /**
     * Makes the following claims and offers in NMI-like context (the BPF ring buffer port's
     * {@code reserveNmi}); channels without such a context ignore it.
     */
    default void nmiContext(boolean inNmi) {
    }
}
