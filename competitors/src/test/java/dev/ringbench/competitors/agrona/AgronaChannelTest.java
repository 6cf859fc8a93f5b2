package dev.ringbench.competitors.agrona;

import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.RecordHandler;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Behaviour of the Agrona adapter: many-to-one and one-to-one rings, claims, aborts, copies. */
class AgronaChannelTest {
    private static final ChannelConfig SMALL = ChannelConfig.defaults().withCapacityBytes(4096).withMaxRecordLength(64);

    @Test
    void offersFromSeveralProducersArriveWholeAndInOrder() throws Exception {
        try (Channel ch = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL.withProducers(3))) {
            race(ch, 20_000, false); // producers 0 and 2 offer native segments, producer 1 a byte[]
        }
    }

    @Test
    void claimedRecordsArriveAndDiscardsNeverDo() throws Exception {
        try (Channel ch = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL.withProducers(3))) {
            race(ch, 20_000, true);
        }
    }

    @Test
    void oneToOneCarriesOneProducersRecords() throws Exception {
        try (Channel ch = ChannelKind.AGRONA_ONE_TO_ONE.create(SMALL)) {
            race(ch, 20_000, true);
        }
        try (Channel ch = ChannelKind.AGRONA_ONE_TO_ONE.create(SMALL)) {
            race(ch, 20_000, false);
        }
    }

    @Test
    void oneToOneRejectsTwoProducers() {
        assertThrows(IllegalArgumentException.class, () -> ChannelKind.AGRONA_ONE_TO_ONE.create(SMALL.withProducers(2)));
    }

    @Test
    void shapeAndCapabilities() {
        try (Channel m = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL); Channel o = ChannelKind.AGRONA_ONE_TO_ONE.create(SMALL)) {
            for (Channel ch : new Channel[] {m, o}) {
                var c = ch.capabilities();
                assertTrue(c.variableLength() && c.reserveCommit() && c.discard() && c.globalOrder());
                assertFalse(c.blockingConsumer());
                assertEquals(ch == m, c.multiProducer());
                assertEquals(4096 + RingBufferDescriptor.TRAILER_LENGTH, ch.memoryBytes());
                assertEquals(512, ((AgronaChannel) ch).maxMsgLength(), "capacity / 8");
                assertEquals("BackoffIdleStrategy", ch.waitStrategy());
            }
        }
        // the config allows capacity / 4; Agrona carries capacity / 8
        assertThrows(IllegalArgumentException.class, () -> ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL.withMaxRecordLength(513)));
        try (Channel ch = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL.withMaxRecordLength(512))) {
            assertTrue(ch.producer(0).tryClaim(512));
            ch.producer(0).commit();
            assertEquals(1, ch.poll((d, o, l) -> { }, 1));
        }
        assertThrows(IllegalArgumentException.class, () -> AgronaChannel.create(ChannelKind.DISRUPTOR_BLOCKING, SMALL));
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"AGRONA_MANY_TO_ONE", "AGRONA_ONE_TO_ONE"})
    void fullRingCountsDropsAndRecovers(ChannelKind kind) {
        try (Channel ch = kind.create(SMALL)) {
            ChannelProducer p = ch.producer(0);
            MemorySegment src = Arena.ofAuto().allocate(64);
            long delivered = 0;
            for (int round = 0; round < 3; round++) {
                int accepted = 0;
                while (p.offer(src, 0, 56)) { // 56 + 8-byte header = 64 bytes
                    accepted++;
                }
                if (round == 0) { // 4 KiB hold 64 such records; one-to-one keeps 8 bytes free to pre-zero the next header
                    assertEquals(kind == ChannelKind.AGRONA_MANY_TO_ONE ? 64 : 63, accepted);
                } else {
                    assertTrue(accepted > 0);
                }
                assertFalse(p.tryClaim(56), "a claim fails as the offer did");
                assertEquals(accepted, ch.poll((d, o, l) -> assertEquals(56, l), Integer.MAX_VALUE),
                        "poll reads across the end of the buffer");
                assertTrue(p.tryClaim(0), "room again");
                p.commit();
                assertEquals(1, ch.poll((d, o, l) -> assertEquals(0, l), 10));
                delivered += accepted + 1;
            }
            ChannelCounters c = ch.counters();
            assertEquals(6, c.drops());
            assertEquals(delivered, c.delivered());
            assertEquals(0, c.wakeups());
        }
    }

    /** Every kind of source segment reaches the consumer byte for byte. */
    @Test
    void offerCopiesNativeByteArrayAndOtherHeapSources() {
        try (Channel ch = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL); Arena arena = Arena.ofConfined()) {
            byte[] expected = new byte[40];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (byte) (i * 7 + 1);
            }
            MemorySegment nat = arena.allocate(48);
            MemorySegment.copy(MemorySegment.ofArray(expected), 0, nat, 8, 40);
            byte[] padded = new byte[48];
            System.arraycopy(expected, 0, padded, 8, 40);
            long[] longs = new long[6];
            MemorySegment.copy(MemorySegment.ofArray(expected), 0, MemorySegment.ofArray(longs), 8, 40);
            MemorySegment[] sources = {
                nat, MemorySegment.ofArray(padded), MemorySegment.ofArray(padded).asSlice(4), MemorySegment.ofArray(longs)};
            long[] offsets = {8, 8, 4, 8};
            ChannelProducer p = ch.producer(0);
            for (int i = 0; i < sources.length; i++) {
                assertTrue(p.offer(sources[i], offsets[i], 40));
            }
            AtomicInteger seen = new AtomicInteger();
            assertEquals(4, ch.poll((d, o, l) -> {
                assertArrayEquals(expected, d.asSlice(o, l).toArray(ValueLayout.JAVA_BYTE));
                seen.incrementAndGet();
            }, 10));
            assertEquals(4, seen.get());
            assertThrows(IndexOutOfBoundsException.class, () -> p.offer(nat, 16, 40), "past the source's end");
            assertThrows(IllegalArgumentException.class, () -> p.offer(nat, 0, 65));
        }
    }

    @Test
    void claimedRecordIsWrittenInPlaceAndAbortedOneSkipped() {
        try (Channel ch = ChannelKind.AGRONA_ONE_TO_ONE.create(SMALL)) {
            ChannelProducer p = ch.producer(0);
            assertTrue(p.tryClaim(4));
            p.buffer().set(ValueLayout.JAVA_INT_UNALIGNED, p.offset(), 0xdead);
            p.abort();
            assertThrows(IllegalStateException.class, p::commit, "nothing claimed");
            assertTrue(p.tryClaim(4));
            p.buffer().set(ValueLayout.JAVA_INT_UNALIGNED, p.offset(), 0xbeef);
            p.commit();
            AtomicInteger value = new AtomicInteger();
            assertEquals(1, ch.poll((d, o, l) -> value.set(d.get(ValueLayout.JAVA_INT_UNALIGNED, o)), 10));
            assertEquals(0xbeef, value.get());
        }
    }

    @Test
    void awaitTimesOutWithZero() {
        try (Channel ch = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL)) {
            assertEquals(0, ch.await((d, o, l) -> { }, 16, 0));
            assertEquals(0, ch.await((d, o, l) -> { }, 16, TimeUnit.MILLISECONDS.toNanos(5)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"AGRONA_MANY_TO_ONE", "AGRONA_ONE_TO_ONE"})
    void shutdownReleasesAWaitingConsumer(ChannelKind kind) throws Exception {
        try (Channel ch = kind.create(SMALL)) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread t = awaitOnce(ch, (d, o, l) -> { }, -1, started, result); // no timeout at all
            assertTrue(started.await(10, TimeUnit.SECONDS));
            awaitParked(t); // backed off into parkNanos
            ch.shutdown();
            t.join(10_000);
            assertFalse(t.isAlive(), "shutdown did not release the consumer");
            assertEquals(-1, result.get());
            assertEquals(-1, ch.await((d, o, l) -> { }, 16, -1), "later awaits return at once");
        }
    }

    @Test
    void recordsWrittenBeforeShutdownAreStillDelivered() {
        try (Channel ch = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL)) {
            MemorySegment src = MemorySegment.ofArray(new byte[16]);
            for (int i = 0; i < 3; i++) {
                assertTrue(ch.producer(0).offer(src, 0, 16));
            }
            ch.shutdown();
            assertEquals(3, ch.await((d, o, l) -> { }, 16, -1));
            assertEquals(-1, ch.await((d, o, l) -> { }, 16, -1));
        }
    }

    // ---- shared by this package's tests: records that identify their producer and sequence ----

    /** Payload length of record {@code seq}: 8..max, varied. */
    static int lengthOf(int seq, int max) {
        return 8 + (seq * 7) % (max - 8 + 1);
    }

    static void fill(MemorySegment seg, long off, int len, int producer, int seq) {
        seg.set(ValueLayout.JAVA_INT_UNALIGNED, off, producer);
        seg.set(ValueLayout.JAVA_INT_UNALIGNED, off + 4, seq);
        for (int i = 8; i < len; i++) {
            seg.set(ValueLayout.JAVA_BYTE, off + i, (byte) (producer * 31 + seq + i));
        }
    }

    /** Aborted records in claim mode: every fifth. */
    static boolean aborted(int seq) {
        return seq % 5 == 0;
    }

    /**
     * Checks every record on the consumer thread: well formed, in order per producer, none lost
     * or duplicated (in claim mode the only gaps allowed are aborted sequences, never delivered).
     */
    static final class Checker implements RecordHandler {
        final int[] last;
        final int max;
        final boolean claim;
        long total;
        String error;

        Checker(int producers, int max, boolean claim) {
            this.last = new int[producers];
            java.util.Arrays.fill(last, -1);
            this.max = max;
            this.claim = claim;
        }

        @Override
        public void onRecord(MemorySegment data, long offset, int length) {
            total++;
            if (error != null) {
                return;
            }
            if (length < 8 || length > max) {
                error = "bad length " + length;
                return;
            }
            int p = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
            int seq = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 4);
            if (p < 0 || p >= last.length) {
                error = "bad producer " + p;
                return;
            }
            if (length != lengthOf(seq, max)) {
                error = "producer " + p + " seq " + seq + ": length " + length;
                return;
            }
            for (int i = 8; i < length; i++) {
                if (data.get(ValueLayout.JAVA_BYTE, offset + i) != (byte) (p * 31 + seq + i)) {
                    error = "producer " + p + " seq " + seq + ": corrupt byte " + i;
                    return;
                }
            }
            int prev = last[p];
            boolean ok = claim
                    ? !aborted(seq) && (seq == prev + 1 || (seq == prev + 2 && aborted(prev + 1)))
                    : seq == prev + 1;
            if (!ok) {
                error = "producer " + p + ": seq " + seq + " after " + prev;
            }
            last[p] = seq;
        }
    }

    /**
     * Runs every producer of {@code ch} on its own thread, {@code perProducer} records each (claim
     * mode: reserve, write in place, commit or abort every fifth; else offer from a native or heap
     * source), retrying on drops, against one consumer thread awaiting with {@code await}; then
     * checks the records and the counters.
     */
    static void race(Channel ch, int perProducer, boolean claim) throws InterruptedException {
        int producers = ch.producers();
        int max = ch.maxRecordLength();
        long kept = claim ? java.util.stream.IntStream.range(0, perProducer).filter(s -> !aborted(s)).count() : perProducer;
        long expected = producers * kept;
        Checker checker = new Checker(producers, max, claim);
        long[] failures = new long[producers];
        Thread consumer = new Thread(() -> {
            while (checker.total < expected) {
                if (ch.await(checker, 64, 1_000_000) < 0) {
                    return;
                }
            }
        }, "consumer");
        Thread[] threads = new Thread[producers];
        for (int id = 0; id < producers; id++) {
            int p = id;
            threads[p] = new Thread(() -> {
                ChannelProducer pr = ch.producer(p);
                MemorySegment src = p % 2 == 0 ? Arena.ofAuto().allocate(max) : MemorySegment.ofArray(new byte[max]);
                long failed = 0;
                for (int seq = 0; seq < perProducer; seq++) {
                    int len = lengthOf(seq, max);
                    if (claim) {
                        while (!pr.tryClaim(len)) {
                            failed++;
                            Thread.yield();
                        }
                        fill(pr.buffer(), pr.offset(), len, p, seq);
                        if (aborted(seq)) {
                            pr.abort();
                        } else {
                            pr.commit();
                        }
                    } else {
                        fill(src, 0, len, p, seq);
                        while (!pr.offer(src, 0, len)) {
                            failed++;
                            Thread.yield();
                        }
                    }
                }
                failures[p] = failed;
            }, "producer-" + p);
        }
        consumer.start();
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join(30_000);
            assertFalse(t.isAlive(), t.getName() + " did not finish");
        }
        consumer.join(30_000);
        if (consumer.isAlive()) {
            ch.shutdown();
            consumer.join(10_000);
            fail("consumer got " + checker.total + " of " + expected + " records; " + checker.error);
        }
        assertNull(checker.error);
        assertEquals(expected, checker.total);
        for (int p = 0; p < producers; p++) {
            int lastSent = claim && aborted(perProducer - 1) ? perProducer - 2 : perProducer - 1;
            assertEquals(lastSent, checker.last[p], "last record of producer " + p);
        }
        ChannelCounters c = ch.counters();
        assertEquals(expected, c.delivered());
        assertEquals(java.util.Arrays.stream(failures).sum(), c.drops(), "every failed claim/offer is one drop");
        assertEquals(0, c.nmiFailures());
        assertEquals(0, c.lostReported());
    }

    /** Waits until {@code t} is parked (WAITING or TIMED_WAITING), or gives up after 10 s. */
    static void awaitParked(Thread t) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                return;
            }
            Thread.sleep(1);
        }
        fail(t.getName() + " never parked");
    }

    /** Starts a consumer that awaits once with {@code timeoutNanos}; its result lands in {@code result}. */
    static Thread awaitOnce(Channel ch, RecordHandler h, long timeoutNanos, CountDownLatch started,
                            java.util.concurrent.atomic.AtomicInteger result) {
        Thread t = new Thread(() -> {
            started.countDown();
            result.set(ch.await(h, 16, timeoutNanos));
        }, "awaiting-consumer");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
