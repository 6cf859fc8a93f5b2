package dev.ringbench.ringbuf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The memory-ordering vocabulary of the port, defined once, in the kernel's words. Every shared
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
 * mask). Headers and positions are little-endian; {@code create} refuses any other platform
 * ({@link Platform}) and this class checks again when it loads, so native-order access equals the
 * kernel's layout (x86-64, arm64).
 */
final class Atomics {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    static {
        // create() refuses such a platform first (Platform.check); this guards any other way in
        String why = Platform.byteOrderReason(ByteOrder.nativeOrder(), System.getProperty("os.arch"));
        if (why != null) {
            throw new ExceptionInInitializerError(why);
        }
    }

    private Atomics() {
    }

    static long smpLoadAcquireLong(MemorySegment s, long off) {
        return (long) LONG.getAcquire(s, off);
    }

    static void smpStoreReleaseLong(MemorySegment s, long off, long v) {
        LONG.setRelease(s, off, v);
    }

    static long readOnceLong(MemorySegment s, long off) {
        return (long) LONG.getOpaque(s, off);
    }

    static void writeOnceLong(MemorySegment s, long off, long v) {
        LONG.setOpaque(s, off, v);
    }

    static int smpLoadAcquireInt(MemorySegment s, long off) {
        return (int) INT.getAcquire(s, off);
    }

    static void smpStoreReleaseInt(MemorySegment s, long off, int v) {
        INT.setRelease(s, off, v);
    }

    static int readOnceInt(MemorySegment s, long off) {
        return (int) INT.getOpaque(s, off);
    }

    static int xchgInt(MemorySegment s, long off, int v) {
        return (int) INT.getAndSet(s, off, v);
    }

    static int cmpxchgInt(MemorySegment s, long off, int expected, int v) {
        return (int) INT.compareAndExchange(s, off, expected, v);
    }

    /**
     * {@code atomic_long_cmpxchg_acquire}: the witness value; on success no later load or store
     * moves before it (a lock's acquisition). Java: {@code compareAndExchangeAcquire}.
     */
    static long cmpxchgAcquireLong(MemorySegment s, long off, long expected, long v) {
        return (long) LONG.compareAndExchangeAcquire(s, off, expected, v);
    }

    static void smpMb() {
        VarHandle.fullFence();
    }

    static void smpRmb() {
        VarHandle.loadLoadFence();
    }

    static void smpWmb() {
        VarHandle.storeStoreFence();
    }
}
