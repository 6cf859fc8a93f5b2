package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_NO_WAKEUP;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_OVERWRITE_POS;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_PROD_POS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec section 5: reserve. */
class ReserveSpecTest {

    @Test
    void reserveFailsAbove0x3fffffffIncludingNegativeSizes() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            assertEquals(0, rb.reserve(0x4000_0000L));
            assertEquals(0, rb.reserve(-1));
            assertEquals(0, rb.reserve(Long.MIN_VALUE));
            assertEquals(0, rb.reserve(1L << 40));
            assertEquals(4, rb.reserveFailures());
            assertEquals(0, rb.query(BPF_RB_PROD_POS), "nothing reserved");
        }
    }

    @Test
    void reserveFailsWhenRecordExceedsRing() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            assertEquals(0, rb.reserve(4096));
            assertEquals(0, rb.reserve(4089));
        }
    }

    @Test
    void largestPayloadThatSucceedsIsSizeMinus16() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            assertEquals(0, rb.reserve(4096 - 15), "needs 4096 bytes: more than size - 8");
            long h = rb.reserve(4096 - 16);
            assertNotEquals(0, h);
            assertEquals(4096 - 16, rb.sample(h).byteSize());
            rb.discard(h, BPF_RB_NO_WAKEUP);
        }
    }

    @Test
    void ringNeverHoldsMoreThanSizeMinus8() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            int n = 0;
            while (rb.reserve(0) != 0) {
                n++;
            }
            assertEquals((4096 - 8) / 8, n);
            assertEquals(4096 - 8, rb.query(BpfRingBuf.BPF_RB_AVAIL_DATA));
        }
    }

    @Test
    void spaceCheckUsesConsumerPos() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long h = rb.reserve(4000);
            rb.submit(h, BPF_RB_NO_WAKEUP);
            assertEquals(0, rb.reserve(100), "consumer has not moved");
            RingBufConsumer.create(rb, s -> 0).consume();
            assertNotEquals(0, rb.reserve(100));
        }
    }

    @Test
    void pendingPosNeverLetsAReservationOverrunABusyRecordWhateverConsumerPosSays() {
        // CVE-2024-41009: a hostile consumer moves consumer_pos far ahead.
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long busy = rb.reserve(2000); // [0, 2008)
            assertNotEquals(0, rb.reserve(2000)); // [2008, 4016): no overlap
            rb.consumerPage().set(ValueLayout.JAVA_LONG, 0, 5000L); // claims everything was consumed
            assertEquals(0, rb.reserve(2000), "[4016, 6024) would overwrite the busy record at 0..2008");
            rb.submit(busy, BPF_RB_NO_WAKEUP);
            // Once committed, pending_pos moves past it; the hostile consumer_pos is then trusted
            // only as far as the ring's own size allows.
            rb.consumerPage().set(ValueLayout.JAVA_LONG, 0, 4016L);
            assertNotEquals(0, rb.reserve(2000));
        }
    }

    @Test
    void pendingPosAdvancesOverCommittedAndDiscardedRecordsStoppingAtBusy() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long a = rb.reserve(8);
            long b = rb.reserve(8);
            long c = rb.reserve(8);
            rb.submit(a, BPF_RB_NO_WAKEUP);
            rb.discard(c, BPF_RB_NO_WAKEUP);
            rb.reserve(0);
            assertEquals(16, rb.producerPage().get(ValueLayout.JAVA_LONG, 8), "stops at b, still busy");
            rb.submit(b, BPF_RB_NO_WAKEUP);
            rb.reserve(0);
            assertEquals(48, rb.producerPage().get(ValueLayout.JAVA_LONG, 8), "past a, b, c; the 0-byte record is busy");
        }
    }

    @Test
    void overwriteModeIgnoresConsumerAndAdvancesOverwritePosOnRecordBoundaries() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096, BpfRingBuf.BPF_F_RB_OVERWRITE)) {
            for (int i = 0; i < 1000; i++) {
                long h = rb.reserve(40); // 48-byte records
                assertNotEquals(0, h, "overwrite mode never fails for lack of consumer progress");
                rb.submit(h, BPF_RB_NO_WAKEUP);
                long prod = rb.query(BPF_RB_PROD_POS);
                long over = rb.query(BPF_RB_OVERWRITE_POS);
                assertEquals(0, over % 48, "moves whole records");
                assertTrue(prod - over <= 4095, "never more than mask ahead");
            }
            assertEquals(rb.query(BPF_RB_PROD_POS) - rb.query(BPF_RB_OVERWRITE_POS), rb.query(BpfRingBuf.BPF_RB_AVAIL_DATA));
        }
    }

    @Test
    void overwriteModeStillNeverOverrunsABusyRecord() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096, BpfRingBuf.BPF_F_RB_OVERWRITE)) {
            long busy = rb.reserve(40);
            int ok = 0;
            while (rb.reserve(40) != 0) {
                ok++;
            }
            assertTrue(ok < 4096 / 48, "stopped before wrapping onto the busy record");
            rb.submit(busy, 0);
        }
    }

    @Test
    void reservationWritesBusyHeaderAndPublishesProducerPos() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long h = rb.reserve(20);
            assertEquals(8, h, "handle is the payload position");
            assertEquals(32, rb.query(BPF_RB_PROD_POS));
            assertTrue((rb.data().get(ValueLayout.JAVA_INT, 0) & RingBufDescriptor.BUSY_BIT) != 0);
        }
    }

    @Test
    void recordsBecomeVisibleInReservationOrder() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long first = rb.reserve(8);
            long second = rb.reserve(8);
            rb.sample(first).set(ValueLayout.JAVA_LONG, 0, 1);
            rb.sample(second).set(ValueLayout.JAVA_LONG, 0, 2);
            rb.submit(second, 0);
            long[] seen = new long[3];
            int[] n = {0};
            RingBufConsumer c = RingBufConsumer.create(rb, s -> {
                seen[n[0]++] = s.get(ValueLayout.JAVA_LONG, 0);
                return 0;
            });
            assertEquals(0, c.consume(), "the first reservation still blocks the second");
            rb.submit(first, 0);
            assertEquals(2, c.consume());
            assertEquals(1, seen[0]);
            assertEquals(2, seen[1]);
        }
    }

    @Test
    void dynptrReservationRules() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            RingBufDynptr p = new RingBufDynptr();
            assertEquals(Errno.E2BIG, rb.reserveDynptr(1 << 24, 0, p));
            assertTrue(p.isNull());
            assertEquals(Errno.EINVAL, rb.reserveDynptr(8, 1, p), "flags must be 0");
            assertEquals(Errno.EINVAL, rb.reserveDynptr(4096, 0, p), "does not fit");
            rb.submitDynptr(p, 0); // no-op on a failed reservation
            rb.discardDynptr(p, 0);
            assertEquals(0, rb.query(BPF_RB_PROD_POS));
            assertEquals(0, rb.reserveDynptr(100, 0, p));
            assertEquals(100, p.size());
            p.data().set(ValueLayout.JAVA_BYTE, 99, (byte) 7);
            rb.submitDynptr(p, 0);
            assertTrue(p.isNull());
            rb.submitDynptr(p, 0); // second submit of the same dynptr: no-op
            byte[] last = new byte[1];
            assertEquals(1, RingBufConsumer.create(rb, s -> {
                last[0] = s.get(ValueLayout.JAVA_BYTE, 99);
                return 0;
            }).consume());
            assertEquals(7, last[0]);
        }
    }
}
