package dev.ringbench.ringbuf;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.ringbench.ringbuf.RingBufDescriptor.BUSY_BIT;
import static dev.ringbench.ringbuf.RingBufDescriptor.DISCARD_BIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec sections 2 and 3: the memory layout and the record header. */
class LayoutSpecTest {
    private static final long SIZE = 16 * 1024;

    @Test
    void dataPagesAreMappedTwiceBackToBack() {
        try (BpfRingBuf rb = BpfRingBuf.create(SIZE)) {
            MemorySegment area = rb.sampleArea();
            MemorySegment view = rb.data();
            assertEquals(2 * SIZE, view.byteSize());
            area.set(ValueLayout.JAVA_LONG, 40, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, view.get(ValueLayout.JAVA_LONG, SIZE + 40));
            area.set(ValueLayout.JAVA_LONG, SIZE + 80, 42L);
            assertEquals(42L, view.get(ValueLayout.JAVA_LONG, 80));
        }
    }

    @Test
    void recordCrossingTheEndIsContiguousAndNeverSplit() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            // Move the positions near the end: 4000 bytes consumed.
            long h = rb.reserve(4000 - 8);
            rb.submit(h, BpfRingBuf.BPF_RB_NO_WAKEUP);
            assertEquals(1, RingBufConsumer.create(rb, s -> 0).consume());
            long h2 = rb.reserve(200);
            assertEquals(4000 + 8, h2, "the record starts at 4000, no padding at the wrap");
            MemorySegment s = rb.sample(h2);
            for (int i = 0; i < 200; i++) {
                s.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            rb.submit(h2, 0);
            byte[] got = new byte[200];
            RingBufConsumer.create(rb, p -> {
                MemorySegment.copy(p, ValueLayout.JAVA_BYTE, 0, got, 0, 200);
                return 0;
            }).consume();
            for (int i = 0; i < 200; i++) {
                assertEquals((byte) i, got[i]);
            }
            // The part past the end landed at the start of the physical pages.
            assertEquals((byte) (4096 - 4008), rb.data().get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    @Test
    void consumerPageIsWritableProducerPageAndDataAreReadOnly() {
        try (BpfRingBuf rb = BpfRingBuf.create(SIZE)) {
            assertEquals(4096, rb.consumerPage().byteSize());
            assertEquals(4096, rb.producerPage().byteSize());
            assertTrue(rb.producerPage().isReadOnly());
            assertTrue(rb.data().isReadOnly());
            // JDK 22+: writing a read-only segment throws IllegalArgumentException ("read-only").
            assertThrows(IllegalArgumentException.class, () -> rb.producerPage().set(ValueLayout.JAVA_LONG, 0, 1L));
            assertThrows(IllegalArgumentException.class, () -> rb.data().set(ValueLayout.JAVA_LONG, 0, 1L));
            assertThrows(IllegalArgumentException.class, () -> rb.data().fill((byte) 1));
            rb.consumerPage().set(ValueLayout.JAVA_LONG, 0, 0L);
        }
    }

    @Test
    void producerPageHoldsProducerPendingAndOverwritePositions() {
        try (BpfRingBuf rb = BpfRingBuf.create(SIZE, BpfRingBuf.BPF_F_RB_OVERWRITE)) {
            rb.submit(rb.reserve(8), 0);
            long held = rb.reserve(8);
            rb.reserve(0); // forces the pending-position scan past the first record
            MemorySegment p = rb.producerPage();
            assertEquals(16 + 16 + 8, p.get(ValueLayout.JAVA_LONG, 0), "producer_pos");
            assertEquals(16, p.get(ValueLayout.JAVA_LONG, 8), "pending_pos stops at the busy record");
            assertEquals(0, p.get(ValueLayout.JAVA_LONG, 16), "overwrite_pos");
            rb.submit(held, 0);
        }
    }

    @Test
    void headerHoldsLenWithBusyBitThenPgOff() {
        try (BpfRingBuf rb = BpfRingBuf.create(SIZE)) {
            long h = rb.reserve(13);
            MemorySegment d = rb.data();
            assertEquals(13 | BUSY_BIT, d.get(ValueLayout.JAVA_INT, 0));
            assertEquals(3, d.get(ValueLayout.JAVA_INT, 4), "pg_off: data starts 3 pages into the ring's memory");
            rb.submit(h, 0);
            assertEquals(13, d.get(ValueLayout.JAVA_INT, 0));
            long h2 = rb.reserve(5);
            rb.discard(h2, 0);
            assertEquals(5 | DISCARD_BIT, d.get(ValueLayout.JAVA_INT, 24), "13 + 8 rounds up to 24");
        }
    }

    @Test
    void pgOffCountsPagesFromTheStartOfTheRingMemory() {
        try (BpfRingBuf rb = BpfRingBuf.create(SIZE)) {
            for (int i = 0; i < 3; i++) {
                rb.submit(rb.reserve(4096 - 8), BpfRingBuf.BPF_RB_NO_WAKEUP);
            }
            rb.reserve(0);
            assertEquals(3 + 3, rb.data().get(ValueLayout.JAVA_INT, 3 * 4096 + 4));
        }
    }

    @Test
    void recordOccupiesPayloadPlusHeaderRoundedToEight() {
        assertEquals(8, RingBufDescriptor.recordSize(0));
        assertEquals(16, RingBufDescriptor.recordSize(1));
        assertEquals(16, RingBufDescriptor.recordSize(8));
        assertEquals(24, RingBufDescriptor.recordSize(9));
        try (BpfRingBuf rb = BpfRingBuf.create(SIZE)) {
            rb.reserve(9);
            assertEquals(24, rb.query(BpfRingBuf.BPF_RB_PROD_POS));
        }
    }

    @Test
    void memoryReportCountsDataOnceAndMapsItTwice() {
        try (BpfRingBuf rb = BpfRingBuf.create(64 * 1024)) {
            MemoryReport m = rb.memoryReport();
            assertEquals(3 * 4096 + 64 * 1024, m.physicalBytes());
            assertEquals(3 * 4096 + 2 * 64 * 1024, m.virtualBytes());
            assertEquals(m.physicalBytes() + (3 + 2 * 16) * 8, m.kernelMapUsage());
        }
    }

    @Test
    void accessAfterCloseThrowsInsteadOfCrashing() {
        BpfRingBuf rb = BpfRingBuf.create(SIZE);
        MemorySegment view = rb.data();
        rb.close();
        assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_LONG, 0));
        assertThrows(IllegalStateException.class, () -> rb.reserve(8));
        rb.close(); // idempotent
    }
}
