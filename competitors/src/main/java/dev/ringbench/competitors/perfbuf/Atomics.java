package dev.ringbench.competitors.perfbuf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The memory-ordering vocabulary of the perf-buffer analogue, in the kernel's words (the same
 * mapping as {@code dev.ringbench.ringbuf.Atomics}, which is package-private there):
 * {@code smp_load_acquire} is {@code getAcquire}, {@code smp_store_release} is
 * {@code setRelease}, {@code READ_ONCE} is {@code getOpaque}, {@code smp_mb} is
 * {@link VarHandle#fullFence()}. Every call site says what it pairs with.
 *
 * <p>The layout is little-endian, as on x86-64 and arm64; the class refuses to load elsewhere,
 * so native-order access equals the kernel's layout.
 */
final class Atomics {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("the perf buffer analogue assumes a little-endian platform");
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

    static void smpMb() {
        VarHandle.fullFence();
    }
}
