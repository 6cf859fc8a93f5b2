package dev.ringbench.perfbuf;

import dev.ringbench.os.WakeMechanism;

import java.lang.foreign.MemorySegment;

/**
 * One perf ring as its consumer maps it, wherever it lives: the analogue's {@link PerfRing}, or a
 * real kernel perf event's ring ({@code perf_event_open(PERF_COUNT_SW_BPF_OUTPUT)} mmapped, in
 * {@code competitors.kernel}). {@link PerfBuffer} reads only through this interface, so one
 * consumer implementation serves both.
 */
public interface PerfRingSource {
    /** The control page, read-write: {@code data_head} at 1024 (read), {@code data_tail} at 1032 (written). */
    MemorySegment controlPage();

    /** The data pages ({@code dataSize()} bytes, mapped once). */
    MemorySegment dataPages();

    /** Bytes of data pages: a power of two. */
    long dataSize();

    /** A new, empty wait set of the kind this ring can be waited on with. */
    PerfWaitSet newWaitSet();

    /**
     * A new, empty wait set whose consumer is woken by {@code mechanism}.
     *
     * @throws IllegalArgumentException when this ring cannot be waited on that way (a kernel perf
     *                                  ring is always waited on in a real epoll: {@link WakeMechanism#EVENTFD})
     */
    default PerfWaitSet newWaitSet(WakeMechanism mechanism) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " cannot be waited on with " + mechanism);
    }
}
