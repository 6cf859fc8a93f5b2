package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_FORCE_WAKEUP;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_NO_WAKEUP;
import static dev.ringbench.ringbuf.RingBufDescriptor.BUSY_BIT;
import static dev.ringbench.ringbuf.RingBufDescriptor.DISCARD_BIT;
import static dev.ringbench.ringbuf.UserRingBufSpecTest.REC;
import static dev.ringbench.ringbuf.UserRingBufSpecTest.SIZE;
import static dev.ringbench.ringbuf.UserRingBufSpecTest.U64;
import static dev.ringbench.ringbuf.UserRingBufSpecTest.consumerPos;
import static dev.ringbench.ringbuf.UserRingBufSpecTest.drainValues;
import static dev.ringbench.ringbuf.UserRingBufSpecTest.fill;
import static dev.ringbench.ringbuf.UserRingBufSpecTest.hdrLen;
import static dev.ringbench.ringbuf.UserRingBufSpecTest.producerPos;
import static dev.ringbench.ringbuf.UserRingBufSpecTest.setHdrLen;
import static dev.ringbench.ringbuf.UserRingBufSpecTest.setProducerPos;
import static dev.ringbench.ringbuf.UserRingBufSpecTest.submitValue;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ringbench.ringbuf.UserRingBufSpecTest.Blocked;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile and malformed input at every user-ring entry point. The kernel's drain trusts nothing the
 * user producer wrote ({@code __bpf_user_ringbuf_peek}); the port must in addition never let Java
 * code crash the JVM. Each test checks the error, then that nothing committed before the bad input
 * is lost or duplicated and that the ring keeps working.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserRingBufBadInputTest {
    private static final Set<Long> DRAIN_ERRORS = Set.of((long) Errno.EINVAL, (long) Errno.E2BIG, (long) Errno.EBUSY);

    /** The ring still takes and delivers a record exactly once. */
    private static void assertStillWorks(UserRingBuf ring, UserRingBufProducer p) {
        submitValue(p, 777);
        assertEquals(List.of(777L), drainValues(ring, 0, 1));
        assertEquals(0, ring.drain(s -> fail("delivered twice"), 0));
    }

    // ---------------------------------------------------------------------------------------------
    // Handles

    @Test
    void submitTwiceThrowsAndRecordIsDeliveredOnce() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            long h = submitValue(p, 1);
            assertThrows(IllegalStateException.class, () -> p.submit(h));
            assertEquals(List.of(1L), drainValues(ring, 0, 1));
            assertThrows(IllegalStateException.class, () -> p.submit(h), "after it was drained");
            assertStillWorks(ring, p);
        }
    }

    @Test
    void discardAfterSubmitThrowsAndRecordIsStillDelivered() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            long h = submitValue(p, 1);
            assertThrows(IllegalStateException.class, () -> p.discard(h));
            assertEquals(8, hdrLen(ring, 0), "header unchanged: no DISCARD bit");
            assertEquals(List.of(1L), drainValues(ring, 0, 1));
            assertStillWorks(ring, p);
        }
    }

    @Test
    void submitOrDiscardAfterDiscardThrowsAndNothingIsDelivered() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            long h = p.reserve(8);
            p.discard(h);
            assertThrows(IllegalStateException.class, () -> p.submit(h));
            assertThrows(IllegalStateException.class, () -> p.discard(h));
            assertThrows(IllegalStateException.class, () -> p.sample(h));
            assertEquals(8 | DISCARD_BIT, hdrLen(ring, 0));
            assertEquals(0, ring.drain(s -> fail("discarded record delivered"), 0));
            assertStillWorks(ring, p);
        }
    }

    @Test
    void handleZeroNegativeOrMisalignedIsIllegalArgument() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            long h = p.reserve(8);
            p.sample(h).set(U64, 0, 5L);
            for (long bad : new long[] {0, -8, -1, Long.MIN_VALUE, 9, 12, h + 4, h - 1}) {
                assertThrows(IllegalArgumentException.class, () -> p.submit(bad), "submit " + bad);
                assertThrows(IllegalArgumentException.class, () -> p.discard(bad), "discard " + bad);
                assertThrows(IllegalArgumentException.class, () -> p.sample(bad), "sample " + bad);
            }
            assertEquals(8 | BUSY_BIT, hdrLen(ring, 0), "the real reservation is untouched");
            p.submit(h);
            assertEquals(List.of(5L), drainValues(ring, 0, 1));
            assertStillWorks(ring, p);
        }
    }

    @Test
    void handleNeverReservedIsIllegalState() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            long h = p.reserve(8);
            for (long bad : new long[] {h + REC, h + 10 * REC, h + SIZE, Long.MAX_VALUE - 7}) {
                assertThrows(IllegalStateException.class, () -> p.submit(bad), "submit " + bad);
                assertThrows(IllegalStateException.class, () -> p.discard(bad), "discard " + bad);
                assertThrows(IllegalStateException.class, () -> p.sample(bad), "sample " + bad);
            }
            p.submit(h);
            assertEquals(1, ring.drain(s -> 0, 0));
            assertStillWorks(ring, p);
        }
    }

    @Test
    void handleFromAnEarlierLapIsIllegalState() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            long old = submitValue(p, 1);
            assertEquals(1, ring.drain(s -> 0, 0));
            fill(p, (int) (SIZE / REC) - 1, 8); // up to the end of the first lap
            assertEquals((int) (SIZE / REC) - 1, ring.drain(s -> 0, 0));
            long cur = p.reserve(8); // same offset as `old`, one lap later, BUSY
            assertEquals(old + SIZE, cur);
            assertThrows(IllegalStateException.class, () -> p.submit(old));
            assertThrows(IllegalStateException.class, () -> p.discard(old));
            assertEquals(8 | BUSY_BIT, hdrLen(ring, 0), "the current reservation is untouched");
            p.sample(cur).set(U64, 0, 2L);
            p.submit(cur);
            assertEquals(List.of(2L), drainValues(ring, 0, 1));
        }
    }

    @Test
    void handleInsideAnOutstandingPayloadIsIllegalState() {
        // a handle that was never returned by reserve, pointing into a live reservation whose
        // payload happens to look like a BUSY header: must not be mistaken for a reservation
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            long h = p.reserve(64);
            MemorySegment s = p.sample(h);
            s.fill((byte) 0xFF);
            long inside = h + 16; // header position h + 8, 8-aligned, inside the payload
            assertThrows(IllegalStateException.class, () -> p.submit(inside));
            assertThrows(IllegalStateException.class, () -> p.discard(inside));
            assertEquals(-1L, s.get(U64, 8), "the payload was not modified");
            p.submit(h);
            assertEquals(1, ring.drain(x -> 0, 0));
            assertStillWorks(ring, p);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Hostile headers (written directly into data())

    /** Records A (committed), X (hostile header over a reservation), C (committed). */
    private static long hostileBetween(UserRingBuf ring, UserRingBufProducer p, int hostileHdr) {
        submitValue(p, 1);
        long x = p.reserve(8);
        p.sample(x).set(U64, 0, 2L);
        submitValue(p, 3);
        setHdrLen(ring, x - 8, hostileHdr);
        return x;
    }

    @Test
    void headerWithBothFlagBitsIsSkippedAsDiscarded() {
        // the kernel tests DISCARD before BUSY
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            hostileBetween(ring, p, 8 | BUSY_BIT | DISCARD_BIT);
            assertEquals(List.of(1L, 3L), drainValues(ring, 0, 2));
            assertEquals(producerPos(ring), consumerPos(ring));
            assertStillWorks(ring, p);
        }
    }

    @Test
    void hugeHeaderLengthIsEinvalAndLaterRecordsSurvive() {
        for (int hostile : new int[] {0x3FFF_FFFF, 0xFFFF_FFFF, 0x7FFF_FFF8, 0x4000_1000, (int) SIZE}) {
            try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
                long x = hostileBetween(ring, p, hostile);
                List<Long> first = drainValues(ring, 0, Errno.EINVAL); // reaches past producer_pos
                assertEquals(List.of(1L), first, "header 0x" + Integer.toHexString(hostile));
                assertEquals(REC, consumerPos(ring), "stopped at the bad header");
                assertEquals(Errno.EINVAL, ring.drain(s -> fail("past the bad header"), 0), "sticky");
                setHdrLen(ring, x - 8, 8); // the producer repairs its header
                assertEquals(List.of(2L, 3L), drainValues(ring, 0, 2));
                assertStillWorks(ring, p);
            }
        }
    }

    @Test
    void headerLengthReachingPastProducerPosIsEinval() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            long x = p.reserve(8);
            p.sample(x).set(U64, 0, 2L);
            setHdrLen(ring, x - 8, 9); // roundUp(9 + 8, 8) = 24 > the 16 bytes left
            assertEquals(List.of(1L), drainValues(ring, 0, Errno.EINVAL));
            setHdrLen(ring, x - 8, 8);
            assertEquals(List.of(2L), drainValues(ring, 0, 1));
            assertStillWorks(ring, p);
        }
    }

    @Test
    void headerLengthLargerThanRingIsE2big() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            long prod = producerPos(ring);
            setHdrLen(ring, prod, (int) SIZE);
            setProducerPos(ring, prod + SIZE + 8); // so it does not reach past producer_pos
            assertEquals(List.of(1L), drainValues(ring, 0, Errno.E2BIG));
            assertEquals(prod, consumerPos(ring));
            setProducerPos(ring, prod); // the producer takes it back
            assertStillWorks(ring, p);
        }
    }

    @Test
    void garbagePgOffIsIgnored() {
        // the user ring's drain never reads pg_off (libbpf writes 0 there)
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            ring.data().set(ValueLayout.JAVA_INT, 4, 0xDEAD_BEEF);
            assertEquals(List.of(1L), drainValues(ring, 0, 1));
            assertStillWorks(ring, p);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Hostile producer_pos

    @Test
    void misalignedProducerPosIsEinvalAndNothingIsLost() {
        for (long bad : new long[] {2 * REC + 1, 2 * REC - 4, -1, Long.MAX_VALUE, 3}) {
            try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
                submitValue(p, 1);
                submitValue(p, 2);
                long prod = producerPos(ring);
                setProducerPos(ring, bad);
                assertEquals(Errno.EINVAL, ring.drain(s -> fail("callback, producer_pos " + bad), 0));
                assertEquals(0, consumerPos(ring));
                setProducerPos(ring, prod);
                assertEquals(List.of(1L, 2L), drainValues(ring, 0, 2));
                assertStillWorks(ring, p);
            }
        }
    }

    @Test
    void producerPosBehindConsumerPosDrainsNothing() {
        for (long behind : new long[] {0, REC, 2 * REC}) { // unsigned: Long.MIN_VALUE is far ahead, not behind
            try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
                submitValue(p, 1);
                submitValue(p, 2);
                assertEquals(List.of(1L, 2L), drainValues(ring, 0, 2));
                submitValue(p, 3); // committed, not yet drained; consumer_pos is 2 * REC
                long prod = producerPos(ring);
                setProducerPos(ring, behind);
                assertEquals(0, ring.drain(s -> fail("producer_pos at or behind consumer_pos"), 0));
                assertEquals(2 * REC, consumerPos(ring));
                setProducerPos(ring, prod);
                assertEquals(List.of(3L), drainValues(ring, 0, 1));
                assertStillWorks(ring, p);
            }
        }
    }

    @Test
    void producerPosFarAheadNeverEscapesTheRing() {
        // the kernel does not bound prod - cons: it reads whatever the data holds, but only inside
        // the ring, one validated header at a time
        for (long ahead : new long[] {2 * SIZE + 8, SIZE + 8, 64 * SIZE, Long.MIN_VALUE, Long.MAX_VALUE - 7}) {
            try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
                submitValue(p, 1);
                submitValue(p, 2);
                setProducerPos(ring, ahead);
                List<Long> firstTwo = new ArrayList<>();
                long r = drainChecked(ring, s -> {
                    if (firstTwo.size() < 2) {
                        firstTwo.add(s.get(U64, 0));
                    }
                });
                assertTrue(r >= 0 || DRAIN_ERRORS.contains(r), "drain = " + r + ", producer_pos " + ahead);
                assertEquals(List.of(1L, 2L), firstTwo, "committed records first, in order");
                setProducerPos(ring, consumerPos(ring)); // the producer resynchronises
                assertStillWorks(ring, p);
            }
        }
    }

    @Test
    void producerReserveSurvivesHostileProducerPos() {
        // the producer trusts its own page (as libbpf does); it may refuse or throw, never crash or
        // hand out memory outside the ring
        for (long bad : new long[] {3, -1, Long.MIN_VALUE, Long.MAX_VALUE, 5 * SIZE, -SIZE}) {
            try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
                setProducerPos(ring, bad);
                try {
                    long h = p.reserve(8);
                    if (h > 0) {
                        assertInsideData(ring, p.sample(h));
                        p.discard(h); // left outstanding, it would (rightly) keep its bytes from later reservations
                    }
                } catch (RuntimeException expected) {
                    // a clear Java exception is acceptable
                }
                setProducerPos(ring, consumerPos(ring));
                assertStillWorks(ring, p);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Drain: callback, flags, arguments

    @Test
    void throwingCallbackConsumesSampleAndReleasesBusyFlag() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            submitValue(p, 2);
            submitValue(p, 3);
            List<Long> seen = new ArrayList<>();
            var e = assertThrows(IllegalStateException.class, () -> ring.drain(s -> {
                seen.add(s.get(U64, 0));
                if (seen.size() == 2) {
                    throw new IllegalStateException("callback failed");
                }
                return 0;
            }, 0));
            assertEquals("callback failed", e.getMessage(), "the callback's own exception reaches the caller");
            assertEquals(List.of(1L, 2L), seen);
            assertEquals(2 * REC, consumerPos(ring), "the throwing sample counts as consumed");
            assertEquals(false, ring.drainBusy(), "busy flag cleared");
            assertEquals(List.of(3L), drainValues(ring, 0, 1));
            assertStillWorks(ring, p);
        }
    }

    @Test
    void callbackGetsReadOnlySample() {
        // the drain's dynptr is read-only: a callback must not rewrite headers
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            submitValue(p, 2);
            assertThrows(RuntimeException.class, () -> ring.drain(s -> {
                assertTrue(s.isReadOnly());
                s.set(U64, 0, 99L);
                return 0;
            }, 0));
            assertEquals(8, hdrLen(ring, 0));
            assertEquals(1L, ring.data().get(U64, 8), "payload unchanged");
            assertEquals(List.of(2L), drainValues(ring, 0, 1));
        }
    }

    @Test
    void unknownDrainFlagsAreEinval() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            for (long bad : new long[] {4, 8, 5, 1L << 32, Long.MIN_VALUE, -1}) {
                assertEquals(Errno.EINVAL, ring.drain(s -> fail("flags " + bad), bad));
            }
            assertEquals(0, consumerPos(ring));
            assertEquals(0, ring.notificationsSent());
            assertEquals(List.of(1L), drainValues(ring, 0, 1), "busy flag was never left set");
        }
    }

    @Test
    void noWakeupTogetherWithForceWakeupIsAccepted() {
        // the kernel rejects only unknown bits; FORCE_WAKEUP is tested first and wins
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            assertEquals(List.of(1L), drainValues(ring, BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP, 1));
            assertEquals(1, ring.notificationsSent());
            assertStillWorks(ring, p);
        }
    }

    @Test
    void nullCallbackIsRejectedAndConsumesNothing() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            long r;
            try {
                r = ring.drain((UserRingBuf.DrainCallback) null, 0);
            } catch (NullPointerException | IllegalArgumentException e) {
                r = Errno.EINVAL;
            }
            assertEquals(Errno.EINVAL, r);
            assertEquals(0, consumerPos(ring));
            assertEquals(List.of(1L), drainValues(ring, 0, 1));
        }
    }

    @Test
    void nullRingIsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> UserRingBufProducer.create(null));
    }

    // ---------------------------------------------------------------------------------------------
    // Close

    @Test
    void useAfterCloseThrowsNeverCrashes() {
        var ring = UserRingBuf.create(SIZE);
        var p = UserRingBufProducer.create(ring);
        long h = p.reserve(8);
        MemorySegment data = ring.data();
        MemorySegment producerPage = ring.producerPage();
        ring.close();
        assertThrows(IllegalStateException.class, () -> ring.drain(s -> 0, 0));
        assertThrows(IllegalStateException.class, () -> p.reserve(8));
        assertThrows(IllegalStateException.class, () -> p.submit(h));
        assertThrows(IllegalStateException.class, () -> p.discard(h));
        assertThrows(IllegalStateException.class, () -> p.sample(h));
        assertThrows(IllegalStateException.class, () -> data.get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> producerPage.set(U64, 0, 8L));
        assertThrows(IllegalStateException.class, () -> ring.consumerPage().get(U64, 0));
        long rb;
        try {
            rb = p.reserveBlocking(8, 10);
        } catch (IllegalStateException e) {
            rb = Errno.EBADF;
        }
        assertEquals(Errno.EBADF, rb);
        assertThrows(IllegalArgumentException.class, () -> UserRingBufProducer.create(ring));
        assertDoesNotThrow(ring::close, "closing twice is harmless");
        assertDoesNotThrow(p::close);
    }

    @Test
    void ringClosedInsideDrainCallbackThrowsNeverCrashes() {
        var ring = UserRingBuf.create(SIZE);
        try (var p = UserRingBufProducer.create(ring)) {
            submitValue(p, 1);
            submitValue(p, 2);
            assertThrows(IllegalStateException.class, () -> ring.drain(s -> {
                ring.close();
                return 0;
            }, 0));
        } finally {
            ring.close();
        }
    }

    @Test
    void reserveBlockingInterruptedReturnsEintr() throws InterruptedException {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            fill(p, (int) (SIZE / REC), 8);
            var b = new Blocked(p, 8, -1);
            b.awaitParked();
            b.thread.interrupt();
            assertEquals(Errno.EINTR, b.await());
            assertTrue(b.interruptedAfter.get(), "the interrupt status stays set");
            assertEquals(1, ring.drain(s -> 1, 0));
            assertTrue(p.reserveBlocking(8, -1) > 0, "the producer still works");
        }
    }

    @Test
    void reserveBlockingAlreadyInterruptedReturnsEintr() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            fill(p, (int) (SIZE / REC), 8);
            Thread.currentThread().interrupt();
            try {
                assertEquals(Errno.EINTR, p.reserveBlocking(8, -1));
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void reserveBlockingRingClosedWhileBlockedReturnsEbadf() throws InterruptedException {
        var ring = UserRingBuf.create(SIZE);
        try (var p = UserRingBufProducer.create(ring)) {
            fill(p, (int) (SIZE / REC), 8);
            var b = new Blocked(p, 8, -1);
            b.awaitParked();
            ring.close();
            assertEquals(Errno.EBADF, b.await());
        } finally {
            ring.close();
        }
    }

    @Test
    void reserveBlockingProducerClosedWhileBlockedReturnsEbadf() throws InterruptedException {
        try (var ring = UserRingBuf.create(SIZE)) {
            var p = UserRingBufProducer.create(ring);
            fill(p, (int) (SIZE / REC), 8);
            var b = new Blocked(p, 8, -1);
            b.awaitParked();
            p.close();
            assertEquals(Errno.EBADF, b.await());
            assertEquals(SIZE / REC, ring.drain(s -> 0, 0), "every committed record still arrives");
        }
    }

    @Test
    void reserveBlockingBadSizeFailsWithoutWaiting() {
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            fill(p, (int) (SIZE / REC), 8);
            assertEquals(Errno.E2BIG, p.reserveBlocking(0x8000_0000L, -1));
            assertEquals(Errno.E2BIG, p.reserveBlocking(SIZE, -1));
            assertEquals(Errno.E2BIG, p.reserveBlocking(-5, -1));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Randomized

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void randomGarbageNeverEscapesTheRingAndDrainTerminates() {
        Random rnd = new Random(0x5EED_2026L);
        try (var ring = UserRingBuf.create(SIZE); var p = UserRingBufProducer.create(ring)) {
            MemorySegment data = ring.data();
            List<String> violations = new ArrayList<>();
            long[] inThisDrain = new long[1];
            long[] callbacks = new long[1];
            Set<Long> results = new java.util.HashSet<>();
            UserRingBuf.DrainCallback cb = s -> {
                callbacks[0]++;
                checkInsideData(ring, s, violations);
                return ++inThisDrain[0] >= 512 ? 1 : 0; // keeps a runaway drain short; the cap bounds it anyway
            };
            for (int i = 0; i < 4000; i++) {
                scribble(rnd, data, ring);
                inThisDrain[0] = 0;
                long flags = rnd.nextInt(4);
                long r = assertDoesNotThrow(() -> ring.drain(cb, flags), "iteration " + i);
                assertTrue(r >= 0 || DRAIN_ERRORS.contains(r), "iteration " + i + ": drain = " + r);
                assertTrue(r <= UserRingBuf.BPF_MAX_USER_RINGBUF_SAMPLES, "iteration " + i + ": drain = " + r);
                results.add(Math.min(r, 1));
            }
            assertEquals(List.of(), violations);
            assertTrue(callbacks[0] > 200 && results.containsAll(List.of(1L, (long) Errno.EINVAL, (long) Errno.E2BIG)),
                    "the garbage reached every path: " + callbacks[0] + " callbacks, results " + results);
            data.fill((byte) 0);
            setProducerPos(ring, consumerPos(ring));
            assertStillWorks(ring, p);
        }
    }

    /** Arbitrary bytes into the data area and producer_pos, sometimes plausible, sometimes not. */
    private static void scribble(Random rnd, MemorySegment data, UserRingBuf ring) {
        long cons = consumerPos(ring);
        for (int n = rnd.nextInt(8); n > 0; n--) {
            data.set(ValueLayout.JAVA_BYTE, rnd.nextLong(SIZE), (byte) rnd.nextInt());
        }
        for (int n = rnd.nextInt(4); n > 0; n--) { // plausible headers, random flag bits, often at cons
            int len = rnd.nextInt(3) == 0 ? rnd.nextInt() : rnd.nextInt(200) | (rnd.nextInt(4) << 30);
            long at = rnd.nextBoolean() ? cons : cons + 8L * rnd.nextInt(64);
            data.set(ValueLayout.JAVA_INT, at & (SIZE - 1), len);
        }
        long prod = switch (rnd.nextInt(8)) {
            case 0 -> rnd.nextLong();
            case 1 -> cons + rnd.nextInt(256);
            case 2 -> cons - 8L * rnd.nextInt(64);
            case 3 -> cons + 8L * rnd.nextInt((int) (4 * SIZE / 8));
            case 4 -> rnd.nextBoolean() ? Long.MIN_VALUE : -1;
            default -> cons + 8L * rnd.nextInt(64);
        };
        setProducerPos(ring, prod);
    }

    /** Runs one drain whose callback is checked to stay inside the data area. */
    private static long drainChecked(UserRingBuf ring, SampleConsumer each) {
        List<String> violations = new ArrayList<>();
        long r = assertDoesNotThrow(() -> ring.drain(s -> {
            checkInsideData(ring, s, violations);
            each.accept(s);
            return 0;
        }, 0));
        assertEquals(List.of(), violations);
        return r;
    }

    @FunctionalInterface
    private interface SampleConsumer {
        void accept(MemorySegment s);
    }

    private static void checkInsideData(UserRingBuf ring, MemorySegment s, List<String> violations) {
        long base = ring.data().address();
        long end = base + 2 * ring.size();
        long a = s.address();
        if (a < base || a + s.byteSize() > end || s.byteSize() > ring.size() - 8 || !s.isReadOnly()) {
            violations.add("segment [0x" + Long.toHexString(a) + ", +" + s.byteSize() + ") outside data [0x"
                    + Long.toHexString(base) + ", 0x" + Long.toHexString(end) + ") or writable");
        } else if (s.byteSize() > 0) {
            s.get(ValueLayout.JAVA_BYTE, 0); // readable end to end
            s.get(ValueLayout.JAVA_BYTE, s.byteSize() - 1);
        }
    }

    private static void assertInsideData(UserRingBuf ring, MemorySegment s) {
        long base = ring.data().address();
        assertTrue(s.address() >= base && s.address() + s.byteSize() <= base + 2 * ring.size(),
                "sample outside the data area");
    }
}
