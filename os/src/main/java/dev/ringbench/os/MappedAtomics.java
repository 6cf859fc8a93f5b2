package dev.ringbench.os;

import java.lang.foreign.MemorySegment;

/**
 * {@link Atomics}' vocabulary for the port's hot path, without the memory segment's checks: the
 * same orderings at {@code s.address() + off}, compiled to plain loads, plain stores and
 * {@code lock cmpxchg} (what the kernel's C compiles to), through {@code jdk.internal.misc.Unsafe}.
 *
 * <h2>Why</h2>
 * Every access through a segment's var handle checks bounds, alignment, read-only and the arena's
 * liveness, and the ordered accesses between them (acquire, release, cmpxchg) keep the JIT from
 * sharing those checks: on the port's reserve and commit (ten accesses per record) they cost
 * about 4-7 ns of some 28 per record, single thread (ThroughputScenario back to back, 8-byte
 * records, one jar with and without {@value #CHECKED_PROPERTY}: the batched loop 24.9-30.7 M
 * records/s checked, 38.6-40.2 unchecked; results/2026-12-06_vm_checked-vs-unchecked). Agrona and
 * JCTools take the same route.
 *
 * <h2>The caller's contract</h2>
 * <ul>
 *   <li>{@code off} is in bounds and aligned to the access size: the port's offsets are constants
 *       or positions masked by the ring's mask, so they are, by construction. Checked by
 *       {@code assert} (tests run with {@code -ea}); a hostile value never reaches here unmasked.</li>
 *   <li>The memory stays mapped while any thread may be inside an access, also after the owner is
 *       closed: the port's {@code RingMemory} replaces the mapping by anonymous zero pages on close
 *       instead of unmapping it, and unmaps only when nothing can reach it. An access racing a
 *       close therefore reads zeros or writes into memory nobody reads, never faults.</li>
 * </ul>
 *
 * <h2>When it is checked after all</h2>
 * {@code jdk.internal.misc} must be exported to this code:
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} (the suite's launcher, its JMH
 * forks for the port and the build's tests pass it). Without the export, or with
 * {@code -D}{@value #CHECKED_PROPERTY}{@code =true}, every method is exactly its {@link Atomics}
 * counterpart on the segment: the same semantics, checked, slower. {@link #UNCHECKED} says which.
 */
public final class MappedAtomics {
    /** System property that forces the checked accesses even when the export is there. */
    public static final String CHECKED_PROPERTY = "ringbench.checkedAccess";

    /** Whether the accesses are unchecked (the export is there and not overridden). */
    public static final boolean UNCHECKED;

    private static final jdk.internal.misc.Unsafe U;

    static {
        jdk.internal.misc.Unsafe u = null;
        if (!Boolean.getBoolean(CHECKED_PROPERTY)) {
            try {
                u = jdk.internal.misc.Unsafe.getUnsafe();
            } catch (IllegalAccessError notExported) {
                // no --add-exports java.base/jdk.internal.misc: the checked accesses below
            }
        }
        U = u;
        UNCHECKED = u != null;
    }

    private MappedAtomics() {
    }

    /** How the accesses run, for reports: "unchecked (jdk.internal.misc.Unsafe)" or why checked. */
    public static String mode() {
        if (UNCHECKED) {
            return "unchecked (jdk.internal.misc.Unsafe)";
        }
        return Boolean.getBoolean(CHECKED_PROPERTY) ? "checked (-D" + CHECKED_PROPERTY + "=true)"
                : "checked (jdk.internal.misc not exported)";
    }

    private static boolean inBounds(MemorySegment s, long off, int size) {
        return off >= 0 && off <= s.byteSize() - size && ((s.address() + off) & (size - 1)) == 0;
    }

    public static long smpLoadAcquireLong(MemorySegment s, long off) {
        if (UNCHECKED) {
            assert inBounds(s, off, 8) : off;
            return U.getLongAcquire(null, s.address() + off);
        }
        return Atomics.smpLoadAcquireLong(s, off);
    }

    public static void smpStoreReleaseLong(MemorySegment s, long off, long v) {
        if (UNCHECKED) {
            assert inBounds(s, off, 8) : off;
            U.putLongRelease(null, s.address() + off, v);
            return;
        }
        Atomics.smpStoreReleaseLong(s, off, v);
    }

    public static long readOnceLong(MemorySegment s, long off) {
        if (UNCHECKED) {
            assert inBounds(s, off, 8) : off;
            return U.getLongOpaque(null, s.address() + off);
        }
        return Atomics.readOnceLong(s, off);
    }

    /** A plain load (the kernel's plain C read); ordered by whatever acquire precedes it. */
    public static long loadLong(MemorySegment s, long off) {
        if (UNCHECKED) {
            assert inBounds(s, off, 8) : off;
            return U.getLong(null, s.address() + off);
        }
        return s.get(java.lang.foreign.ValueLayout.JAVA_LONG, off);
    }

    /** A plain store (the kernel's plain C assignment); ordered by whatever release follows it. */
    public static void storeLong(MemorySegment s, long off, long v) {
        if (UNCHECKED) {
            assert inBounds(s, off, 8) : off;
            U.putLong(null, s.address() + off, v);
            return;
        }
        s.set(java.lang.foreign.ValueLayout.JAVA_LONG, off, v);
    }

    /** A plain store of an int (a record's size field). */
    public static void storeInt(MemorySegment s, long off, int v) {
        if (UNCHECKED) {
            assert inBounds(s, off, 4) : off;
            U.putInt(null, s.address() + off, v);
            return;
        }
        s.set(java.lang.foreign.ValueLayout.JAVA_INT, off, v);
    }

    /** A plain store of a byte (a record's padding). */
    public static void storeByte(MemorySegment s, long off, byte v) {
        if (UNCHECKED) {
            assert inBounds(s, off, 1) : off;
            U.putByte(null, s.address() + off, v);
            return;
        }
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, off, v);
    }

    public static int smpLoadAcquireInt(MemorySegment s, long off) {
        if (UNCHECKED) {
            assert inBounds(s, off, 4) : off;
            return U.getIntAcquire(null, s.address() + off);
        }
        return Atomics.smpLoadAcquireInt(s, off);
    }

    public static int cmpxchgInt(MemorySegment s, long off, int expected, int v) {
        if (UNCHECKED) {
            assert inBounds(s, off, 4) : off;
            return U.compareAndExchangeInt(null, s.address() + off, expected, v);
        }
        return Atomics.cmpxchgInt(s, off, expected, v);
    }

    public static long cmpxchgAcquireLong(MemorySegment s, long off, long expected, long v) {
        if (UNCHECKED) {
            assert inBounds(s, off, 8) : off;
            return U.compareAndExchangeLongAcquire(null, s.address() + off, expected, v);
        }
        return Atomics.cmpxchgAcquireLong(s, off, expected, v);
    }
}
