package dev.ringbench.ringbuf;

import dev.ringbench.os.Libc;
import java.nio.ByteOrder;

/**
 * Whether this platform can hold the port, checked by {@link RingMemory} before a ring is made, so
 * that {@code BpfRingBuf.create} and {@code UserRingBuf.create} fail at once with a clear
 * {@link UnsupportedOperationException} rather than later, at the first memory access.
 *
 * <p>Two needs: a little-endian CPU (headers and positions are accessed in native order, which
 * equals the kernel's layout only there: x86-64, arm64), and Linux's {@code memfd_create} and
 * {@code mmap} for the double mapping of the data pages.
 */
final class Platform {
    /** The byte order {@link #check()} tests: the CPU's; tests set another to see create refuse it. */
    static volatile ByteOrder nativeOrder = ByteOrder.nativeOrder();

    private Platform() {
    }

    /** Throws {@link UnsupportedOperationException} saying why, if the port cannot run here. */
    static void check() {
        String why = unsupportedReason(nativeOrder, Libc.available(), System.getProperty("os.name"),
                System.getProperty("os.arch"));
        if (why != null) {
            throw new UnsupportedOperationException(why);
        }
    }

    /** Null when a ring can be made; otherwise one sentence saying what is missing. */
    static String unsupportedReason(ByteOrder order, boolean memfdAndMmap, String osName, String osArch) {
        if (order != ByteOrder.LITTLE_ENDIAN) {
            return byteOrderReason(order, osArch);
        }
        if (!memfdAndMmap) {
            return "the BPF ring buffer port needs Linux memfd_create and mmap to map its data pages twice; "
                    + "os.name=" + osName;
        }
        return null;
    }

    /** Null on a little-endian platform; otherwise why the port cannot run. */
    static String byteOrderReason(ByteOrder order, String osArch) {
        return order == ByteOrder.LITTLE_ENDIAN ? null
                : "the BPF ring buffer port needs a little-endian platform (x86-64, arm64): its headers and positions "
                        + "are read in native order; os.arch=" + osArch + " is " + order;
    }
}
