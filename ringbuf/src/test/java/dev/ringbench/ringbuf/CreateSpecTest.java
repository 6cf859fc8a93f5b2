package dev.ringbench.ringbuf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec section 4: creating a ring. */
class CreateSpecTest {

    @ParameterizedTest
    @ValueSource(longs = {0, -4096, 4095, 6 * 4096, 4096 + 1, 2048, Long.MIN_VALUE, 1L << 40})
    void createRejectsSizesThatAreNotPowerOfTwoPageMultiples(long size) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BpfRingBuf.create(size));
        assertTrue(e.getMessage().contains(Long.toString(size)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UserRingBuf.create(size));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 1L << 18, 1L << 20, -1})
    void createRejectsUnknownFlags(long flags) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BpfRingBuf.create(4096, flags));
        assertTrue(e.getMessage().contains("flags"), e.getMessage());
    }

    @Test
    void createRejectsNullLockEra() {
        assertThrows(IllegalArgumentException.class, () -> BpfRingBuf.create(4096, 0, null));
    }

    @Test
    void platformsThatCannotHoldThePortAreRefusedWithAReason() {
        assertNull(Platform.unsupportedReason(ByteOrder.LITTLE_ENDIAN, true, "Linux", "amd64"));
        String be = Platform.unsupportedReason(ByteOrder.BIG_ENDIAN, true, "Linux", "s390x");
        assertTrue(be.contains("little-endian") && be.contains("s390x") && be.contains("BIG_ENDIAN"), be);
        String noMemfd = Platform.unsupportedReason(ByteOrder.LITTLE_ENDIAN, false, "Mac OS X", "aarch64");
        assertTrue(noMemfd.contains("memfd_create") && noMemfd.contains("Mac OS X"), noMemfd);
        assertNull(Platform.byteOrderReason(ByteOrder.LITTLE_ENDIAN, "amd64"));
        // this machine can: create() runs the same check before mapping anything
        Platform.check();
    }

    @Test
    void createOnABigEndianPlatformFailsAtOnceWithAClearError() {
        Platform.nativeOrder = ByteOrder.BIG_ENDIAN;
        try {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> BpfRingBuf.create(4096));
            assertTrue(e.getMessage().contains("little-endian"), e.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> UserRingBuf.create(4096));
            // bad arguments are still reported as such first
            assertThrows(IllegalArgumentException.class, () -> BpfRingBuf.create(4095));
        } finally {
            Platform.nativeOrder = ByteOrder.nativeOrder();
        }
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            assertEquals(4096, rb.query(BpfRingBuf.BPF_RB_RING_SIZE));
        }
    }

    @Test
    void overwriteModeIsAKernelRingFlagOnly() {
        // UserRingBuf.create has no flags parameter: overwrite mode on a user ring cannot be asked for.
        try (BpfRingBuf rb = BpfRingBuf.create(4096, BpfRingBuf.BPF_F_RB_OVERWRITE)) {
            assertTrue(rb.overwriteMode());
        }
    }

    @Test
    void allPositionsStartAtZero() {
        try (BpfRingBuf rb = BpfRingBuf.create(8192)) {
            assertEquals(0, rb.query(BpfRingBuf.BPF_RB_CONS_POS));
            assertEquals(0, rb.query(BpfRingBuf.BPF_RB_PROD_POS));
            assertEquals(0, rb.query(BpfRingBuf.BPF_RB_OVERWRITE_POS));
            assertEquals(0, rb.query(BpfRingBuf.BPF_RB_AVAIL_DATA));
            assertEquals(8192, rb.query(BpfRingBuf.BPF_RB_RING_SIZE));
            assertEquals(LockEra.RESILIENT_6_15, rb.lockEra());
        }
    }

    @Test
    void bothLockErasCanBeChosen() {
        for (LockEra era : LockEra.values()) {
            try (BpfRingBuf rb = BpfRingBuf.create(4096, 0, era)) {
                assertEquals(era, rb.lockEra());
                long h = rb.reserve(8);
                assertTrue(h != 0);
                rb.submit(h, 0);
            }
        }
    }
}
