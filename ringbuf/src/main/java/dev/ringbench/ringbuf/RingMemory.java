package dev.ringbench.ringbuf;

import dev.ringbench.os.Libc;
import dev.ringbench.os.MappedMemory;
import java.lang.foreign.MemorySegment;

import static dev.ringbench.ringbuf.RingBufDescriptor.CONSUMER_PAGE_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.DATA_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.NR_META_PAGES;
import static dev.ringbench.ringbuf.RingBufDescriptor.PAGE_SIZE;
import static dev.ringbench.ringbuf.RingBufDescriptor.PRODUCER_PAGE_OFFSET;

/**
 * One ring's shared memory: a memfd holding the metadata, consumer and producer pages and the
 * data pages, mapped so that the data pages appear twice back to back (the kernel's
 * {@code bpf_ringbuf_area_alloc} does the same with {@code vmap} of a page array). A record that
 * runs past the end of the data area is therefore contiguous: {@code data[i] == data[i + size]}
 * for every {@code i < size}, because both addresses are the same physical page.
 *
 * <p>How: reserve {@code (3 + 2n)} pages of address space with an anonymous {@code PROT_NONE}
 * mapping, then {@code MAP_FIXED|MAP_SHARED} the memfd's first {@code 3 + n} pages over its start
 * and the memfd's data pages ({@code n} pages from file offset 3 pages) over the rest. The fd is
 * closed once mapped; the mappings keep the memory. Freed when the ring is closed (see "Closing").
 *
 * <p>Views: read-write segments for the side that may write, {@link MemorySegment#asReadOnly()}
 * views for the side that may not; writing through a read-only view throws
 * {@link IllegalArgumentException} ("segment is read-only", JDK 22+) rather than faulting. After {@link #close()}, any access
 * through any view throws {@link IllegalStateException} (the arena is closed), never a crash.
 *
 * <h2>Closing</h2>
 * The producers' hot path reads and writes the mapping unchecked
 * ({@link dev.ringbench.os.MappedAtomics}), so the range is owned by a {@link MappedMemory}: closing
 * frees the ring's memory but maps zero pages over the range instead of unmapping it, and the
 * range is unmapped once nothing can reach it (see there).
 *
 * <p>Without memfd (not Linux, or a kernel or sandbox where {@code memfd_create} returns ENOSYS),
 * or on a big-endian CPU, creation fails with a clear {@link UnsupportedOperationException}
 * ({@link Platform}): a single mapping with copying at the wrap would change the design being
 * measured.
 */
final class RingMemory implements AutoCloseable {
    private final MappedMemory mapping;
    private final MemorySegment whole;
    private final long dataSize;
    private final long physicalBytes;
    private final long virtualBytes;

    RingMemory(long dataSize) {
        Platform.check();
        this.dataSize = dataSize;
        this.physicalBytes = DATA_OFFSET + dataSize;
        this.virtualBytes = DATA_OFFSET + 2 * dataSize;
        int fd = Libc.memfdCreate("bpf_ringbuf");
        long base = 0;
        try {
            Libc.ftruncate(fd, physicalBytes);
            base = Libc.mmap(0, virtualBytes, Libc.PROT_NONE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
            int rw = Libc.PROT_READ | Libc.PROT_WRITE;
            Libc.mmap(base, physicalBytes, rw, Libc.MAP_SHARED | Libc.MAP_FIXED, fd, 0);
            Libc.mmap(base + physicalBytes, dataSize, rw, Libc.MAP_SHARED | Libc.MAP_FIXED, fd, DATA_OFFSET);
        } catch (RuntimeException e) {
            if (base != 0) {
                Libc.munmap(base, virtualBytes);
            }
            Libc.close(fd);
            throw e;
        }
        Libc.close(fd);
        this.mapping = MappedMemory.adopt(base, virtualBytes);
        this.whole = mapping.segment();
    }

    /** Data area size in bytes ({@code mask + 1}). */
    long dataSize() {
        return dataSize;
    }

    /** The private metadata page ({@code struct bpf_ringbuf}), read-write; never handed to users. */
    MemorySegment metaPage() {
        return whole.asSlice(0, PAGE_SIZE);
    }

    /** The consumer page, read-write. */
    MemorySegment consumerPage() {
        return whole.asSlice(CONSUMER_PAGE_OFFSET, PAGE_SIZE);
    }

    /** The producer page, read-write. */
    MemorySegment producerPage() {
        return whole.asSlice(PRODUCER_PAGE_OFFSET, PAGE_SIZE);
    }

    /** The data area and its second mapping ({@code 2 * size} bytes), read-write. */
    MemorySegment data() {
        return whole.asSlice(DATA_OFFSET, 2 * dataSize);
    }

    /** The whole mapping from the metadata page on (for diagnostics and the differential oracle against the kernel). */
    MemorySegment whole() {
        return whole;
    }

    MemoryReport report() {
        // The kernel's ringbuf_map_mem_usage: the pages, plus the page-pointer array that maps
        // every data page twice (8 bytes per entry on 64-bit).
        long pageArray = (long) (NR_META_PAGES + 2 * (dataSize / PAGE_SIZE)) * Long.BYTES;
        return new MemoryReport(physicalBytes, virtualBytes, physicalBytes + pageArray);
    }

    boolean isOpen() {
        return mapping.isOpen();
    }

    /** The unchecked accesses' "is it open?" ({@link MappedMemory#isClosed()}). */
    boolean isClosed() {
        return mapping.isClosed();
    }

    @Override
    public void close() {
        mapping.close();
    }
}
