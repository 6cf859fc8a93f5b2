package dev.ringbench.os;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The memory-ordering vocabulary of the port and the perf-buffer analogue, defined once, in the kernel's words. Every shared
 * position and header word is accessed through these methods, and every call site says which
 * access it pairs with.
 *
 * <ul>
 *   <li>{@code smp_load_acquire}: no later load or store moves before it. Java: {@code getAcquire}.
 *   <li>{@code smp_store_release}: no earlier load or store moves after it. Java: {@code setRelease}.
 *   <li>{@code READ_ONCE}/{@code WRITE_ONCE}: a single, untorn access with no ordering.
 *       Java: {@code getOpaque}/{@code setOpaque}.
 *   <li>{@code xchg}/{@code cmpxchg}: atomic read-modify-write and a full barrier.
 *       Java: {@code getAndSet}/{@code compareAndExchange} (volatile semantics).
 *   <li>{@code smp_mb}: full barrier. Java: {@link VarHandle#fullFence()}.
 *   <li>{@code smp_rmb}: no load before it moves after a load after it. Java:
 *       {@link VarHandle#loadLoadFence()}. An acquire <em>load</em> is not enough where earlier
 *       loads must stay before it (a seqlock reader's re-check): acquire only holds later
 *       accesses back.
 *   <li>{@code smp_wmb}: no store before it moves after a store after it. Java:
 *       {@link VarHandle#storeStoreFence()}. A release <em>store</em> is not enough where later
 *       stores must stay after it (a seqlock writer's begin): release only holds earlier accesses back.
 * </ul>
 *
 * <p>Positions are u64 in the kernel; the port keeps them in Java {@code long}s and compares them
 * with the kernel's unsigned arithmetic where the kernel relies on it (differences against the
 * mask). Headers and positions are little-endian; the port's {@code create} refuses any other
 * platform and this class checks again when it loads, so native-order access equals the
 * kernel's layout (x86-64, arm64).
 */
public final class Atomics {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    static {
        // the port's create() refuses such a platform first (its Platform.check); this guards any other way in
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("the memory-ordering vocabulary needs a little-endian platform "
                    + "(x86-64, arm64): headers and positions are read in native order; os.arch="
                    + System.getProperty("os.arch") + " is " + ByteOrder.nativeOrder());
        }
    }

    private Atomics() {
    }

    public static long smpLoadAcquireLong(MemorySegment s, long off) {
        return (long) LONG.getAcquire(s, off);
    }

    public static void smpStoreReleaseLong(MemorySegment s, long off, long v) {
        LONG.setRelease(s, off, v);
    }

    public static long readOnceLong(MemorySegment s, long off) {
        return (long) LONG.getOpaque(s, off);
    }

    public static void writeOnceLong(MemorySegment s, long off, long v) {
        LONG.setOpaque(s, off, v);
    }

    public static int smpLoadAcquireInt(MemorySegment s, long off) {
        return (int) INT.getAcquire(s, off);
    }

    public static void smpStoreReleaseInt(MemorySegment s, long off, int v) {
        INT.setRelease(s, off, v);
    }

    public static int readOnceInt(MemorySegment s, long off) {
        return (int) INT.getOpaque(s, off);
    }

    public static int xchgInt(MemorySegment s, long off, int v) {
        return (int) INT.getAndSet(s, off, v);
    }

    public static int cmpxchgInt(MemorySegment s, long off, int expected, int v) {
        return (int) INT.compareAndExchange(s, off, expected, v);
    }

    /**
     * {@code atomic_long_cmpxchg_acquire}: the witness value; on success no later load or store
     * moves before it (a lock's acquisition). Java: {@code compareAndExchangeAcquire}.
     */
    public static long cmpxchgAcquireLong(MemorySegment s, long off, long expected, long v) {
        return (long) LONG.compareAndExchangeAcquire(s, off, expected, v);
    }

    public static void smpMb() {
        VarHandle.fullFence();
    }

    public static void smpRmb() {
        VarHandle.loadLoadFence();
    }

    public static void smpWmb() {
        VarHandle.storeStoreFence();
    }
}
