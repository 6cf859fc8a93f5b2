package dev.ringbench.ringbuf;

import java.lang.foreign.MemorySegment;

/**
 * The memory a user-ring producer maps, wherever it lives: the port's {@link UserRingBuf}, or a
 * real kernel {@code BPF_MAP_TYPE_USER_RINGBUF} map mapped as libbpf's {@code user_ring_buffer__new}
 * maps it (consumer page read-only, producer page and twice-mapped data read-write).
 * {@link UserRingBufProducer} writes only through this interface, so one producer serves both.
 */
public interface UserRingSource {
    /** The consumer page (read-only is enough): {@code consumer_pos} at offset 0. */
    MemorySegment consumerPage();

    /** The producer page, read-write: {@code producer_pos} at offset 0. */
    MemorySegment producerPage();

    /** The data area, read-write, {@code 2 * size()} bytes: the pages twice. */
    MemorySegment data();

    /** Data area size in bytes: a power of two. */
    long size();

    /** Whether the memory is still mapped. */
    boolean isOpen();

    /**
     * A wait set already watching this ring for room ({@code EPOLLOUT}, which the kernel reports
     * while the ring is not completely full), for {@link UserRingBufProducer#reserveBlocking}.
     * Closing it stops watching.
     */
    RingWaitSet newProducerWaitSet();
}
