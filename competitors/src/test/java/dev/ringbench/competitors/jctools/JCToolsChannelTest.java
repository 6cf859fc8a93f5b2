package dev.ringbench.competitors.jctools;

import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.RecordHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Behaviour of the JCTools adapter: both queues, several producers, one consumer, pooled events. */
class JCToolsChannelTest {
    /** 4 KiB, 64-byte records: 80-byte slots, a queue of 32. */
    private static final ChannelConfig SMALL = ChannelConfig.defaults().withCapacityBytes(4096).withMaxRecordLength(64);

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"JCTOOLS_MPSC", "JCTOOLS_MPSC_BLOCKING"})
    void offersFromSeveralProducersArriveWholeAndInOrder(ChannelKind kind) throws Exception {
        try (Channel ch = kind.create(SMALL.withProducers(3))) {
            race(ch, 20_000, false);
            if (kind == ChannelKind.JCTOOLS_MPSC) {
                assertEquals(0, ch.counters().wakeups(), "the spinning consumer is never woken");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"JCTOOLS_MPSC", "JCTOOLS_MPSC_BLOCKING"})
    void shapeCapabilitiesAndUnsupportedOperations(ChannelKind kind) {
        try (Channel ch = kind.create(SMALL.withProducers(2))) {
            var c = ch.capabilities();
            assertFalse(c.variableLength() || c.reserveCommit() || c.discard());
            assertTrue(c.globalOrder() && c.multiProducer());
            assertEquals(kind == ChannelKind.JCTOOLS_MPSC_BLOCKING, c.blockingConsumer());
            assertEquals(32, ((JCToolsChannel) ch).slots());
            assertEquals(2L * 33 * 80, ch.memoryBytes(), "two pools of slots + 1 events of 80 bytes");
            ChannelProducer p = ch.producer(0);
            assertThrows(UnsupportedOperationException.class, () -> p.tryClaim(8));
            assertThrows(UnsupportedOperationException.class, p::buffer);
            assertThrows(UnsupportedOperationException.class, p::offset);
            assertThrows(UnsupportedOperationException.class, p::commit);
            assertThrows(UnsupportedOperationException.class, p::abort);
            assertThrows(IllegalArgumentException.class, () -> p.offer(MemorySegment.ofArray(new byte[65]), 0, 65));
        }
        assertThrows(IllegalArgumentException.class, () -> JCToolsChannel.create(ChannelKind.AGRONA_MANY_TO_ONE, SMALL));
    }

    /** One producer fills the whole queue before its pool runs dry; the others still have theirs. */
    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"JCTOOLS_MPSC", "JCTOOLS_MPSC_BLOCKING"})
    void fullQueueCountsDropsAndRecovers(ChannelKind kind) {
        try (Channel ch = kind.create(SMALL.withProducers(2))) {
            int slots = ((JCToolsChannel) ch).slots();
            MemorySegment src = Arena.ofAuto().allocate(64);
            ChannelProducer a = ch.producer(0);
            ChannelProducer b = ch.producer(1);
            for (int round = 0; round < 3; round++) { // events go back to the pool and come round again
                int accepted = 0;
                while (a.offer(src, 0, round)) {
                    accepted++;
                }
                assertEquals(slots, accepted, "the pool outlasts the queue");
                assertFalse(b.offer(src, 0, 1), "full for everyone");
                AtomicInteger lengths = new AtomicInteger();
                assertEquals(slots, ch.poll((d, o, l) -> lengths.addAndGet(l), Integer.MAX_VALUE));
                assertEquals(slots * round, lengths.get());
                assertTrue(b.offer(src, 0, 1), "room again");
                assertEquals(1, ch.poll((d, o, l) -> { }, 10));
            }
            ChannelCounters c = ch.counters();
            assertEquals(6, c.drops());
            assertEquals(3L * (slots + 1), c.delivered());
        }
    }

    @Test
    void blockingConsumerIsWokenByAnOfferAndCountsIt() throws Exception {
        try (Channel ch = ChannelKind.JCTOOLS_MPSC_BLOCKING.create(SMALL)) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread t = awaitOnce(ch, (d, o, l) -> { }, TimeUnit.SECONDS.toNanos(60), started, result);
            assertTrue(started.await(10, TimeUnit.SECONDS));
            awaitParked(t); // parked in poll(timeout, NANOSECONDS)
            assertTrue(ch.producer(0).offer(MemorySegment.ofArray(new byte[4]), 0, 4));
            t.join(10_000);
            if (t.isAlive()) {
                ch.shutdown();
                fail("the offer did not wake the consumer");
            }
            assertEquals(1, result.get());
            assertEquals(1, ch.counters().wakeups());
            assertEquals(1, ch.counters().delivered());
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"JCTOOLS_MPSC", "JCTOOLS_MPSC_BLOCKING"})
    void awaitTimesOutWithZero(ChannelKind kind) {
        try (Channel ch = kind.create(SMALL)) {
            assertEquals(0, ch.await((d, o, l) -> { }, 16, 0));
            assertEquals(0, ch.await((d, o, l) -> { }, 16, TimeUnit.MILLISECONDS.toNanos(5)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"JCTOOLS_MPSC", "JCTOOLS_MPSC_BLOCKING"})
    void shutdownReleasesAWaitingConsumer(ChannelKind kind) throws Exception {
        try (Channel ch = kind.create(SMALL)) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread t = awaitOnce(ch, (d, o, l) -> { }, -1, started, result); // no timeout at all
            assertTrue(started.await(10, TimeUnit.SECONDS));
            awaitParked(t);
            ch.shutdown();
            t.join(10_000);
            assertFalse(t.isAlive(), "shutdown did not release the consumer");
            assertEquals(-1, result.get());
            assertEquals(-1, ch.await((d, o, l) -> { }, 16, -1), "later awaits return at once");
            assertEquals(0, ch.counters().delivered(), "the shutdown sentinel is never delivered");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"JCTOOLS_MPSC", "JCTOOLS_MPSC_BLOCKING"})
    void recordsOfferedBeforeShutdownAreStillDelivered(ChannelKind kind) {
        try (Channel ch = kind.create(SMALL)) {
            MemorySegment src = MemorySegment.ofArray(new byte[16]);
            for (int i = 0; i < 3; i++) {
                assertTrue(ch.producer(0).offer(src, 0, 16));
            }
            ch.shutdown();
            assertEquals(3, ch.await((d, o, l) -> { }, 16, -1));
            assertEquals(-1, ch.await((d, o, l) -> { }, 16, -1));
            assertEquals(3, ch.counters().delivered());
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
