package dev.ringbench.ringbuf;

import dev.ringbench.os.WakeMechanism;
import java.lang.foreign.MemorySegment;

/**
 * The memory a ring-buffer consumer maps, wherever it lives: the port's {@link BpfRingBuf}, or a
 * real kernel {@code BPF_MAP_TYPE_RINGBUF} map mapped as libbpf maps it ({@code ring_buffer__add}
 * takes a map fd): the consumer page read-write, the producer page and the twice-mapped data pages
 * read-only. {@link RingBufConsumer} and {@link Ring} read only through this interface, so one
 * consumer implementation serves both.
 *
 * <p>Waiting is the source's business: {@link #newWaitSet()} makes the consumer's "epoll instance"
 * (the port's wait queue for the port, a real {@code epoll} fd for kernel maps). One consumer's
 * rings must all accept the wait set made by its first ring; a consumer mixing port rings and
 * kernel rings is refused with -EINVAL.
 */
public interface RingSource {
    /** The consumer page, read-write: {@code consumer_pos} (u64) at offset 0. */
    MemorySegment consumerPage();

    /** The producer page (read-only is enough): producer_pos +0, pending_pos +8, overwrite_pos +16. */
    MemorySegment producerPage();

    /** The data area as a consumer maps it: {@code 2 * size()} bytes, the pages twice; read-only is enough. */
    MemorySegment data();

    /** Data area size in bytes: a power of two. */
    long size();

    /** Whether producers overwrite the oldest records ({@link BpfRingBuf#BPF_F_RB_OVERWRITE}). */
    boolean overwriteMode();

    /** Whether the memory is still mapped. */
    boolean isOpen();

    /** A new, empty wait set of the kind this source can be waited on with, woken its default way. */
    RingWaitSet newWaitSet();

    /**
     * A new, empty wait set woken by {@code mechanism}.
     *
     * @throws IllegalArgumentException when this source cannot be waited on that way (a kernel map
     *                                  is always waited on in a real epoll: {@link WakeMechanism#EVENTFD})
     */
    default RingWaitSet newWaitSet(WakeMechanism mechanism) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " cannot be waited on with " + mechanism);
    }
}
