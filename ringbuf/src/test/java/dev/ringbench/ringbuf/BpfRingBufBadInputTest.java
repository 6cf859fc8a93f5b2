package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input at every producer-side entry point of {@link BpfRingBuf}: a clear error or the
 * kernel's errno, and nothing lost afterwards.
 */
class BpfRingBufBadInputTest {

    /** Consumes everything and returns the first long of each payload. */
    private static List<Long> drain(BpfRingBuf rb) {
        List<Long> got = new ArrayList<>();
        try (RingBufConsumer c = RingBufConsumer.create(rb, s -> {
            got.add(s.byteSize() >= 8 ? s.get(ValueLayout.JAVA_LONG, 0) : -1L);
            return 0;
        })) {
            assertTrue(c.consume() >= 0);
        }
        return got;
    }

    private static long submitValue(BpfRingBuf rb, long v) {
        long h = rb.reserve(8);
        rb.sample(h).set(ValueLayout.JAVA_LONG, 0, v);
        rb.submit(h, 0);
        return h;
    }

    @Test
    void submitTwiceThrowsAndTheRecordArrivesOnce() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long h = submitValue(rb, 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> rb.submit(h, 0));
            assertTrue(e.getMessage().contains("already"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> rb.discard(h, 0));
            assertThrows(IllegalStateException.class, () -> rb.sample(h));
            submitValue(rb, 2);
            assertEquals(List.of(1L, 2L), drain(rb));
        }
    }

    @Test
    void staleHandleWhoseSpaceWasReusedByABusyRecordIsRejected() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long stale = submitValue(rb, 1);
            assertEquals(List.of(1L), drain(rb));
            long[] live = new long[4096 / 16];
            for (int i = 0; i < live.length - 1; i++) {
                live[i] = rb.reserve(8); // wraps: some record now sits where `stale` was, BUSY
            }
            assertThrows(IllegalStateException.class, () -> rb.submit(stale, 0));
            for (int i = 0; i < live.length - 1; i++) {
                rb.sample(live[i]).set(ValueLayout.JAVA_LONG, 0, 100 + i);
                rb.submit(live[i], 0);
            }
            assertEquals(live.length - 1, drain(rb).size(), "the live records were not disturbed");
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 7, 12, -8, Long.MIN_VALUE, Long.MAX_VALUE, 4096 + 8})
    void handlesThatWereNeverReservedAreRejected(long handle) {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long h = rb.reserve(8);
            RuntimeException e = assertThrows(RuntimeException.class, () -> rb.submit(handle, 0));
            assertTrue(e instanceof IllegalArgumentException || e instanceof IllegalStateException, e.toString());
            assertThrows(RuntimeException.class, () -> rb.sample(handle));
            rb.sample(h).set(ValueLayout.JAVA_LONG, 0, 5);
            rb.submit(h, 0);
            assertEquals(List.of(5L), drain(rb));
        }
    }

    @Test
    void unknownCommitFlagBitsAreIgnoredAsInTheKernel() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long h = rb.reserve(8);
            rb.sample(h).set(ValueLayout.JAVA_LONG, 0, 9);
            rb.submit(h, 1L << 40);
            assertEquals(List.of(9L), drain(rb));
        }
    }

    @Test
    void fullRingFailsCleanlyAndRecovers() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096); Arena a = Arena.ofConfined()) {
            long v = 0;
            while (rb.reserve(8) != 0) {
                v++;
            }
            // All reserved records are BUSY; commit them in reverse order, then all arrive in order.
            assertEquals(Errno.EAGAIN, rb.output(a.allocate(8), 0));
            long failures = rb.reserveFailures();
            assertEquals(2, failures);
            for (long pos = (v - 1) * 16; pos >= 0; pos -= 16) {
                long h = pos + 8;
                rb.sample(h).set(ValueLayout.JAVA_LONG, 0, pos / 16);
                rb.submit(h, 0);
            }
            List<Long> got = drain(rb);
            assertEquals(v, got.size());
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i, got.get(i));
            }
            assertNotEquals(0, rb.reserve(8), "space is back");
        }
    }

    @Test
    void hostileConsumerPositionsNeverLetAReservationOverlapAnUncommittedRecord() {
        long[] hostile = {-1, Long.MIN_VALUE, Long.MAX_VALUE, 1, 4095, 4096, 1L << 40, 8000, 12};
        for (long cons : hostile) {
            try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
                long busy = rb.reserve(1000); // [0, 1008) stays BUSY throughout
                rb.consumerPage().set(ValueLayout.JAVA_LONG, 0, cons);
                long h;
                while ((h = rb.reserve(100)) != 0) {
                    long start = h - 8;
                    long end = start + 112;
                    // Everything must fit between the busy record's end and its next copy at 4096.
                    assertTrue(start >= 1008 && end <= 4096,
                            "record [" + start + "," + end + ") overlaps the busy one for consumer_pos " + cons);
                    rb.submit(h, 0);
                }
                rb.submit(busy, 0);
            }
        }
    }

    @Test
    void useAfterCloseThrowsAndNeverCrashes() {
        BpfRingBuf rb = BpfRingBuf.create(4096);
        long h = rb.reserve(8);
        rb.close();
        assertThrows(IllegalStateException.class, () -> rb.submit(h, 0));
        assertThrows(IllegalStateException.class, () -> rb.reserve(8));
        assertThrows(IllegalStateException.class, () -> rb.query(BpfRingBuf.BPF_RB_PROD_POS));
        assertThrows(IllegalArgumentException.class, () -> RingBufConsumer.create(rb, s -> 0));
    }
}
