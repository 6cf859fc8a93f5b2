package dev.ringbench.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * A mapped address range that unchecked accesses ({@link MappedAtomics}) may touch for as long as
 * this object is reachable, also after {@link #close()}: the memory of the port's rings and of the
 * perf-buffer analogue's rings.
 *
 * <h2>Closing</h2>
 * A producer on its unchecked hot path can be between its "is it open?" check ({@link #isClosed()})
 * and its access when another thread closes the memory. Unmapping then would crash the JVM. So
 * {@link #close()} sets the closed flag, closes the arena (after the arena's own handshake no
 * <em>checked</em> access through {@link #segment()} or a view of it is in flight, and every later
 * one throws {@link IllegalStateException}), and then maps anonymous zero pages over the whole range
 * ({@code MAP_FIXED}, which replaces the old mapping atomically): the memory is freed as unmapping
 * would free it, and a late unchecked access reads zeros or writes into a page nobody reads. The
 * address range itself is unmapped by a {@link Cleaner} once this object is unreachable; an owner
 * that makes unchecked accesses keeps it reachable across them
 * ({@link java.lang.ref.Reference#reachabilityFence}). Memory never closed stays mapped, since
 * views of it may still be in use.
 */
public final class MappedMemory implements AutoCloseable {
    /** Unmaps closed ranges once nothing can reach them. */
    private static final Cleaner UNMAPPER = Cleaner.create();

    private final Arena arena;
    private final MemorySegment segment;
    private volatile boolean closed;

    private MappedMemory(long base, long length) {
        Range range = new Range(base, length);
        this.arena = Arena.ofShared();
        this.segment = MemorySegment.ofAddress(base).reinterpret(length, arena, s -> range.release());
        UNMAPPER.register(this, range::unmapIfReleased);
    }

    /**
     * Takes over {@code [base, base + length)}, which the caller has mapped (read-write, page
     * aligned): from now on this object unmaps it.
     */
    public static MappedMemory adopt(long base, long length) {
        return new MappedMemory(base, length);
    }

    /** {@code length} bytes of zeroed, page-aligned, private anonymous memory. */
    public static MappedMemory anonymous(long length) {
        long base = Libc.mmap(0, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        return new MappedMemory(base, length);
    }

    /** The whole range, checked, bound to this memory's arena (closed by {@link #close()}). */
    public MemorySegment segment() {
        return segment;
    }

    /** Whether the arena is still open (checked accesses work). */
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    /**
     * The unchecked accesses' "is it open?": a volatile read (never hoisted out of a caller's loop),
     * set before the arena closes.
     */
    public boolean isClosed() {
        return closed;
    }

    /** Closes the arena and frees the memory, keeping the range mapped (see the class comment). Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (arena.scope().isAlive()) {
            arena.close();
        }
        // the cleaner must not run while the arena's cleanup remaps the range: keep this reachable to here
        Reference.reachabilityFence(this);
    }

    /** The address range, and whether closing released its memory; holds no reference to its owner. */
    private static final class Range {
        private final long base;
        private final long length;
        private volatile boolean released;

        Range(long base, long length) {
            this.base = base;
            this.length = length;
        }

        /**
         * The arena closed: anonymous zero pages over the range (it stays mapped). NORESERVE: the
         * range may be larger than the memory the kernel lets one private mapping commit (a ring's
         * data is mapped twice), and nothing writes to it but a producer that raced the close.
         */
        void release() {
            released = true;
            try {
                Libc.mmap(base, length, Libc.PROT_READ | Libc.PROT_WRITE,
                        Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_FIXED | Libc.MAP_NORESERVE, -1, 0);
            } catch (RuntimeException e) {
                // no memory for the new mapping (vm.overcommit_memory = 2 ignores NORESERVE): the old
                // one, and its memory, stay until the cleaner unmaps the range
            }
        }

        /** Nothing can reach the memory: unmap the range, unless it was never closed (its views may live on). */
        void unmapIfReleased() {
            if (released) {
                Libc.munmap(base, length);
            }
        }
    }
}
