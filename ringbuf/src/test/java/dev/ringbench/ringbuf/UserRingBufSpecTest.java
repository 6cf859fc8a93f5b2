package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_FORCE_WAKEUP;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_NO_WAKEUP;
import static dev.ringbench.ringbuf.RingBufDescriptor.BUSY_BIT;
import static dev.ringbench.ringbuf.RingBufDescriptor.DATA_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.DISCARD_BIT;
import static dev.ringbench.ringbuf.RingBufDescriptor.DYNPTR_MAX_SIZE;
import static dev.ringbench.ringbuf.RingBufDescriptor.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The user ring ({@code BPF_MAP_TYPE_USER_RINGBUF}), one test per rule of section 9 of
 * {@code shared/spec/bpf-ringbuf.md}: libbpf's {@code user_ring_buffer__*} producer and the kernel's
 * {@code bpf_user_ringbuf_drain} / {@code __bpf_user_ringbuf_peek}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserRingBufSpecTest {
    static final long SIZE = 4096;
    static final long REC = 16; // an 8-byte payload occupies roundUp(8 + 8, 8) bytes
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    // ---------------------------------------------------------------------------------------------
    // helpers

    static long submitValue(UserRingBufProducer p, long v) {
        long h = p.reserve(8);
        assertTrue(h > 0, "reserve(8) = " + h);
        p.sample(h).set(U64, 0, v);
        p.submit(h);
        return h;
    }

    /** Drains once, expecting {@code expectedRet}, and returns the 8-byte payloads seen. */
    static List<Long> drainValues(UserRingBuf ring, long flags, long expectedRet) {
        List<Long> seen = new ArrayList<>();
        long r = ring.drain(s -> {
            seen.add(s.get(U64, 0));
            return 0;
        }, flags);
        assertEquals(expectedRet, r, "drain result");
        return seen;
    }

    static long consumerPos(UserRingBuf ring) {
        return ring.consumerPage().get(U64, 0);
    }

    static long producerPos(UserRingBuf ring) {
        return ring.producerPage().get(U64, 0);
    }

    static void setProducerPos(UserRingBuf ring, long v) {
        ring.producerPage().set(U64, 0, v);
    }

    static int hdrLen(UserRingBuf ring, long pos) {
        return ring.data().get(LE_INT, pos & (ring.size() - 1));
    }

    static int hdrPgOff(UserRingBuf ring, long pos) {
        return ring.data().get(LE_INT, (pos & (ring.size() - 1)) + 4);
    }

    static void setHdrLen(UserRingBuf ring, long pos, int len) {
        ring.data().set(LE_INT, pos & (ring.size() - 1), len);
    }

    static void fill(UserRingBufProducer p, int records, long payload) {
        for (int i = 0; i < records; i++) {
            long h = p.reserve(payload);
            assertTrue(h > 0, "reserve #" + i + " = " + h);
            p.submit(h);
        }
    }

    /** A thread in reserveBlocking, with its result. */
    static final class Blocked {
        final AtomicLong result = new AtomicLong(Long.MIN_VALUE);
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final AtomicBoolean interruptedAfter = new AtomicBoolean();
        final CountDownLatch done = new CountDownLatch(1);
        final Thread thread;

        Blocked(UserRingBufProducer p, long size, int timeoutMs) {
            thread = new Thread(() -> {
                try {
                    result.set(p.reserveBlocking(size, timeoutMs));
                    interruptedAfter.set(Thread.currentThread().isInterrupted());
                } catch (Throwable t) {
                    thrown.set(t);
                } finally {
                    done.countDown();
                }
            }, "reserveBlocking");
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits (a condition, not a sleep) until the thread is parked, or has returned. */
        void awaitParked() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (done.getCount() != 0) {
                Thread.State s = thread.getState();
                if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    fail("reserveBlocking never parked; state " + s);
                }
                Thread.onSpinWait();
            }
        }

        long await() throws InterruptedException {
            assertTrue(done.await(10, TimeUnit.SECONDS), "reserveBlocking did not return");
            if (thrown.get() != null) {
                throw new AssertionError("reserveBlocking threw", thrown.get());
            }
            return result.get();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Producer: reserve

    @Test
    void reserveRejectsSizeWithFlagBitsWithE2big() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            assertEquals(Errno.E2BIG, p.reserve(0x8000_0000L)); // BUSY bit
            assertEquals(Errno.E2BIG, p.reserve(0x4000_0000L)); // DISCARD bit
            assertEquals(Errno.E2BIG, p.reserve(0x4000_0008L));
            assertEquals(Errno.E2BIG, p.reserve(-1)); // (__u32)-1 has both bits
            assertEquals(0, producerPos(ring), "nothing reserved");
        }
    }

    @Test
    void reserveRejectsRecordLargerThanRingWithE2big() {
        // libbpf checks total_size > max_size (E2BIG) before the space check (ENOSPC)
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            assertEquals(Errno.E2BIG, p.reserve(SIZE - 7)); // roundUp(SIZE + 1, 8) > SIZE
            assertEquals(Errno.E2BIG, p.reserve(0x3FFF_FFFFL));
            fill(p, (int) (SIZE / REC), 8);
            assertEquals(Errno.E2BIG, p.reserve(SIZE), "E2BIG, not ENOSPC, even when full");
        }
    }

    @Test
    void reserveReturnsEnospcWhenFull() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            fill(p, (int) (SIZE / REC), 8);
            assertEquals(Errno.ENOSPC, p.reserve(0));
            assertEquals(1, ring.drain(s -> 1, 0));
            assertTrue(p.reserve(8) > 0, "fits again after one record was drained");
            assertEquals(Errno.ENOSPC, p.reserve(0));
        }
    }

    @Test
    void ringCanBeFilledToExactlySize() {
        // unlike the kernel ring (at most size - 8 bytes), the user ring fills completely
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            long h = p.reserve(SIZE - 8);
            assertTrue(h > 0, "reserve(size - 8) = " + h);
            assertEquals(SIZE, producerPos(ring));
            assertEquals(Errno.ENOSPC, p.reserve(0));
            p.submit(h);
            List<Long> sizes = new ArrayList<>();
            assertEquals(1, ring.drain(s -> {
                sizes.add(s.byteSize());
                return 0;
            }, 0));
            assertEquals(List.of(SIZE - 8), sizes);
        }
    }

    @Test
    void reserveWritesBusyHeaderAndPgOffZero() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            ring.data().set(U64, 0, -1L); // garbage where the header goes
            long h = p.reserve(5);
            assertTrue(h > 0);
            assertEquals(5 | BUSY_BIT, hdrLen(ring, 0));
            assertEquals(0, hdrPgOff(ring, 0), "libbpf's producer writes pg_off = 0");
            assertEquals(5, p.sample(h).byteSize());
        }
    }

    @Test
    void reserveStoreReleasesProducerPosAtReserveTime() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            long h1 = p.reserve(8);
            assertEquals(REC, producerPos(ring), "published before submit");
            long h2 = p.reserve(3);
            assertEquals(2 * REC, producerPos(ring));
            assertEquals(0, ring.drain(s -> fail("BUSY record handed out"), 0));
            p.submit(h1);
            p.submit(h2);
            assertEquals(2, ring.drain(s -> 0, 0));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Producer: commit

    @Test
    void submitClearsBusy() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            p.submit(p.reserve(8));
            assertEquals(8, hdrLen(ring, 0), "len without BUSY or DISCARD");
            assertEquals(0, hdrPgOff(ring, 0));
        }
    }

    @Test
    void discardSetsDiscardBit() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            p.discard(p.reserve(8));
            assertEquals(8 | DISCARD_BIT, hdrLen(ring, 0), "BUSY cleared, DISCARD set");
        }
    }

    @Test
    void submitSendsNoWakeup() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            p.discard(p.reserve(8));
            assertEquals(0, ring.notificationsSent());
            assertEquals(0, ring.notificationsCoalesced());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Producer: reserveBlocking

    @Test
    void reserveBlockingTimesOutThenTriesOnceMore() throws InterruptedException {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            fill(p, (int) (SIZE / REC), 8);
            long t0 = System.nanoTime();
            assertEquals(Errno.ENOSPC, p.reserveBlocking(8, 50), "nothing drained: times out");
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50), "returned before the timeout");

            // A drain with NO_WAKEUP frees space without waking the sleeper: only the last try finds it.
            var b = new Blocked(p, 8, 2000);
            b.awaitParked();
            assertEquals(1, ring.drain(s -> 1, BPF_RB_NO_WAKEUP));
            long h = b.await();
            assertTrue(h > 0, "the last try after the timeout reserves: " + h);
            assertEquals(0, ring.notificationsSent());
        }
    }

    @Test
    void reserveBlockingWakesWhenDrained() throws InterruptedException {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            fill(p, (int) (SIZE / REC), 8);
            var b = new Blocked(p, 8, -1); // forever: only a wake-up can return it
            b.awaitParked();
            assertEquals(1, ring.drain(s -> 1, 0));
            assertTrue(b.await() > 0);
            assertEquals(1, ring.notificationsSent());
        }
    }

    @Test
    void reserveBlockingRejectsNegativeTimeoutOtherThanMinusOne() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            assertEquals(Errno.EINVAL, p.reserveBlocking(8, -2));
            assertEquals(Errno.EINVAL, p.reserveBlocking(8, Integer.MIN_VALUE));
            assertEquals(0, producerPos(ring), "EINVAL before any reservation");
            assertTrue(p.reserveBlocking(8, -1) > 0, "-1 means forever and is valid");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Drain: validation (__bpf_user_ringbuf_peek)

    @Test
    void drainRejectsMisalignedProducerPos() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            for (long bad = REC + 1; bad < 2 * REC; bad++) {
                if (bad % 8 == 0) {
                    continue;
                }
                setProducerPos(ring, bad);
                assertEquals(Errno.EINVAL, ring.drain(s -> fail("callback on misaligned producer_pos"), 0));
                assertEquals(0, consumerPos(ring));
            }
        }
    }

    @Test
    void drainReturnsNothingWhenEmpty() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            assertEquals(0, ring.drain(s -> fail("empty ring"), 0));
            submitValue(p, 1);
            assertEquals(1, ring.drain(s -> 0, 0));
            assertEquals(0, ring.drain(s -> fail("drained ring"), 0), "cons == prod");
            assertEquals(REC, consumerPos(ring));
        }
    }

    @Test
    void drainRejectsRecordPastProducerPos() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            setHdrLen(ring, 0, 16); // roundUp(16 + 8, 8) = 24 > producer_pos - consumer_pos = 16
            assertEquals(Errno.EINVAL, ring.drain(s -> fail("record past producer_pos"), 0));
            assertEquals(0, consumerPos(ring));
        }
    }

    @Test
    void drainRejectsRecordLargerThanRing() {
        try (var ring = UserRingBuf.create(SIZE)) {
            setHdrLen(ring, 0, (int) SIZE); // a record of SIZE + 8 bytes
            setProducerPos(ring, SIZE + 8); // so that it does not reach past producer_pos
            assertEquals(Errno.E2BIG, ring.drain(s -> fail("record larger than the ring"), 0));
            assertEquals(0, consumerPos(ring));
        }
    }

    @Test
    void drainRejectsPayloadAboveDynptrMax() {
        // bpf_dynptr_check_size: at most 2^24 - 1 bytes; a 32 MiB ring can hold a bigger record
        try (var ring = UserRingBuf.create(32L << 20); var p = UserRingBufProducer.create(ring)) {
            p.submit(p.reserve(DYNPTR_MAX_SIZE));
            List<Long> sizes = new ArrayList<>();
            UserRingBuf.DrainCallback cb = s -> {
                sizes.add(s.byteSize());
                return 0;
            };
            assertEquals(1, ring.drain(cb, 0), "the largest dynptr passes");
            long big = p.reserve(DYNPTR_MAX_SIZE + 1);
            assertTrue(big > 0, "the producer accepts it: " + big);
            p.submit(big);
            long cons = consumerPos(ring);
            assertEquals(Errno.E2BIG, ring.drain(cb, 0));
            assertEquals(cons, consumerPos(ring));
            assertEquals(List.of(DYNPTR_MAX_SIZE), sizes);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Drain: records

    @Test
    void drainSkipsDiscarded() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            p.discard(p.reserve(8));
            submitValue(p, 2);
            p.discard(p.reserve(100));
            assertEquals(List.of(2L), drainValues(ring, 0, 1));
            assertEquals(producerPos(ring), consumerPos(ring), "consumer_pos moved past the discarded records");
        }
    }

    @Test
    void drainStopsAtBusy() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            long busy = p.reserve(8);
            p.sample(busy).set(U64, 0, 2L);
            submitValue(p, 3);
            assertEquals(List.of(1L), drainValues(ring, 0, 1));
            assertEquals(REC, consumerPos(ring), "stopped at the BUSY header");
            p.submit(busy);
            assertEquals(List.of(2L, 3L), drainValues(ring, 0, 2));
        }
    }

    @Test
    void drainStoreReleasesConsumerPosAfterEachCallback() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            for (int i = 0; i < 5; i++) {
                submitValue(p, i);
            }
            List<Long> posInCallback = new ArrayList<>();
            assertEquals(5, ring.drain(s -> {
                posInCallback.add(consumerPos(ring));
                return 0;
            }, 0));
            assertEquals(List.of(0L, REC, 2 * REC, 3 * REC, 4 * REC), posInCallback,
                    "each earlier sample already released when the next callback runs");
            assertEquals(5 * REC, consumerPos(ring));
        }
    }

    @Test
    void secondConcurrentDrainGetsEbusy() throws InterruptedException {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            submitValue(p, 2);
            CountDownLatch inCallback = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicLong nested = new AtomicLong();
            AtomicLong first = new AtomicLong(Long.MIN_VALUE);
            AtomicBoolean nestedCallback = new AtomicBoolean();
            Thread t = new Thread(() -> first.set(ring.drain(s -> {
                if (inCallback.getCount() != 0) {
                    nested.set(ring.drain(x -> {
                        nestedCallback.set(true);
                        return 0;
                    }, 0));
                    inCallback.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return 0;
            }, 0)));
            t.start();
            assertTrue(inCallback.await(10, TimeUnit.SECONDS));
            assertEquals(Errno.EBUSY, ring.drain(s -> fail("concurrent drain ran"), 0), "from another thread");
            assertEquals(Errno.EBUSY, nested.get(), "from inside the callback");
            release.countDown();
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(t.isAlive());
            assertEquals(2, first.get());
            assertFalse(nestedCallback.get());
            assertEquals(false, ring.drainBusy(), "busy flag cleared");
            submitValue(p, 3);
            assertEquals(List.of(3L), drainValues(ring, 0, 1));
        }
    }

    @Test
    void drainCapsAt131072Samples() {
        assertEquals(131072, UserRingBuf.BPF_MAX_USER_RINGBUF_SAMPLES);
        try (var ring = UserRingBuf.create(2L << 20); var p = UserRingBufProducer.create(ring)) {
            fill(p, 131072 + 100, 0); // 8 bytes each
            assertEquals(131072, ring.drain(s -> 0, 0));
            assertEquals(131072L * 8, consumerPos(ring));
            assertEquals(100, ring.drain(s -> 0, 0));
        }
    }

    @Test
    void drainCapCountsDiscardedSamples() {
        // the kernel's loop counter includes skipped discards: the cap is on records visited
        try (var ring = UserRingBuf.create(2L << 20); var p = UserRingBufProducer.create(ring)) {
            p.discard(p.reserve(0));
            fill(p, 131072, 0);
            assertEquals(131071, ring.drain(s -> 0, 0));
            assertEquals(1, ring.drain(s -> 0, 0));
        }
    }

    @Test
    void callbackReturningOneStopsAndStillReleasesSample() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            submitValue(p, 2);
            submitValue(p, 3);
            List<Long> seen = new ArrayList<>();
            assertEquals(1, ring.drain(s -> {
                seen.add(s.get(U64, 0));
                return 1;
            }, 0));
            assertEquals(List.of(1L), seen);
            assertEquals(REC, consumerPos(ring), "the stopping sample is released");
            assertEquals(List.of(2L, 3L), drainValues(ring, 0, 2));
        }
    }

    @Test
    void drainCountsDrainedNotDiscarded() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            p.discard(p.reserve(8));
            submitValue(p, 3);
            p.discard(p.reserve(8));
            assertEquals(List.of(1L, 3L), drainValues(ring, 0, 2));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Drain: wake-ups

    @Test
    void drainWakesProducerWhenSampleDrained() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            assertEquals(0, ring.drain(s -> 0, 0));
            assertEquals(0, ring.notificationsSent(), "nothing drained, no wake-up");
            submitValue(p, 1);
            assertEquals(1, ring.drain(s -> 0, 0));
            assertEquals(1, ring.notificationsSent());
        }
    }

    @Test
    void drainWakesProducerWhenOnlyDiscardedSamplesWereSkipped() {
        // kernel: `samples > 0` counts skipped discards too (and they free space as well)
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            p.discard(p.reserve(8));
            assertEquals(0, ring.drain(s -> fail("discarded"), 0));
            assertEquals(1, ring.notificationsSent());
        }
    }

    @Test
    void drainWithNoWakeupDoesNotWake() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            assertEquals(1, ring.drain(s -> 0, BPF_RB_NO_WAKEUP));
            assertEquals(0, ring.notificationsSent());
        }
    }

    @Test
    void drainWithForceWakeupWakesEvenWhenEmpty() {
        try (var ring = UserRingBuf.create(SIZE)) {
            assertEquals(0, ring.drain(s -> 0, BPF_RB_FORCE_WAKEUP));
            assertEquals(1, ring.notificationsSent());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Memory

    /** JDK 19-21 threw UnsupportedOperationException for a write to a read-only segment; 22+ throws IAE. */
    static void assertReadOnlyWriteThrows(org.junit.jupiter.api.function.Executable write) {
        RuntimeException e = assertThrows(RuntimeException.class, write);
        assertTrue(e instanceof UnsupportedOperationException || e instanceof IllegalArgumentException,
                "unexpected " + e);
        assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("read-only"), e.getMessage());
    }

    @Test
    void consumerPageIsReadOnlyToProducer() {
        try (var ring = UserRingBuf.create(SIZE)) {
            MemorySegment cp = ring.consumerPage();
            assertTrue(cp.isReadOnly());
            assertReadOnlyWriteThrows(() -> cp.set(U64, 0, 4096L));
            assertReadOnlyWriteThrows(() -> cp.set(ValueLayout.JAVA_INT, 8, 1));
            assertEquals(0, consumerPos(ring));
        }
    }

    @Test
    void producerPageAndDataAreWritable() {
        try (var ring = UserRingBuf.create(SIZE)) {
            assertFalse(ring.producerPage().isReadOnly());
            assertFalse(ring.data().isReadOnly());
            setProducerPos(ring, 24);
            assertEquals(24, producerPos(ring));
            ring.data().set(U64, SIZE - 8, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, ring.data().get(U64, SIZE - 8));
        }
    }

    @Test
    void dataIsDoubleMapped() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            MemorySegment data = ring.data();
            assertEquals(2 * SIZE, data.byteSize());
            data.set(ValueLayout.JAVA_BYTE, 100, (byte) 42);
            assertEquals(42, data.get(ValueLayout.JAVA_BYTE, SIZE + 100));
            // move to 16 bytes before the end, then write a record that wraps
            p.submit(p.reserve(SIZE - 16 - 8));
            assertEquals(1, ring.drain(s -> 0, 0));
            long h = p.reserve(24); // header at SIZE - 16, payload runs 16 bytes past the end
            MemorySegment s = p.sample(h);
            for (int i = 0; i < 24; i++) {
                s.set(ValueLayout.JAVA_BYTE, i, (byte) (i + 1));
            }
            p.submit(h);
            assertEquals(9, data.get(ValueLayout.JAVA_BYTE, 0), "payload byte 8 is data[0]");
            List<byte[]> seen = new ArrayList<>();
            assertEquals(1, ring.drain(x -> {
                seen.add(x.toArray(ValueLayout.JAVA_BYTE));
                return 0;
            }, 0));
            byte[] expected = new byte[24];
            for (int i = 0; i < 24; i++) {
                expected[i] = (byte) (i + 1);
            }
            assertEquals(1, seen.size());
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(seen.get(0)));
        }
    }

    @Test
    void createRejectsBadSizes() {
        for (long bad : new long[] {0, -4096, 1, 4095, 3 * 4096, 6000, 4096 + 8, Long.MIN_VALUE, 1L << 40}) {
            var e = assertThrows(IllegalArgumentException.class, () -> UserRingBuf.create(bad).close(),
                    "size " + bad);
            assertNotNull(e.getMessage(), "size " + bad);
            assertFalse(e.getMessage().isBlank(), "size " + bad);
        }
        try (var ring = UserRingBuf.create(PAGE_SIZE)) {
            assertEquals(PAGE_SIZE, ring.size());
        }
    }

    @Test
    void memoryReportCountsDataOnceAndMapsItTwice() {
        long size = 64 * 1024;
        try (var ring = UserRingBuf.create(size)) {
            MemoryReport r = ring.memoryReport();
            assertEquals(DATA_OFFSET + size, r.physicalBytes());
            assertEquals(DATA_OFFSET + 2 * size, r.virtualBytes());
            long pages = DATA_OFFSET / PAGE_SIZE + 2 * (size / PAGE_SIZE); // ringbuf_map_mem_usage's page array
            assertEquals(r.physicalBytes() + pages * Long.BYTES, r.kernelMapUsage());
        }
    }
}
