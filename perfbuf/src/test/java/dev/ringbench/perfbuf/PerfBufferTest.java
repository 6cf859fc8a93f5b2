package dev.ringbench.perfbuf;

import dev.ringbench.os.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_HEAD_OFFSET;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer ({@code perf_buffer}): draining, wrap, LOST records, readiness and waiting,
 * several producers, shutdown, interrupt, bad input. Behaviour only, no timing: every wait is a
 * latch or a future, and "it did not wake up" is asserted through a poll's result.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PerfBufferTest {
    private static final long WAIT_S = 10;

    /** Events seen by the callbacks, in order: "s:<int at offset 0>" or "lost:<ring>:<n>". */
    private static final class Log implements PerfBuffer.SampleCallback, PerfBuffer.LostCallback {
        final List<String> events = new ArrayList<>();

        @Override
        public void onSample(MemorySegment data, long offset, int length) {
            events.add("s:" + (length >= 4 ? data.get(JAVA_INT_UNALIGNED, offset) : -length));
        }

        @Override
        public void onLost(int ring, long lost) {
            events.add("lost:" + ring + ":" + lost);
        }
    }

    private static PerfRing[] rings(int n, int pages, int wakeupEvents) {
        PerfRing[] r = new PerfRing[n];
        for (int i = 0; i < n; i++) {
            r[i] = PerfRing.create(i, pages, wakeupEvents, 0);
        }
        return r;
    }

    private static void closeAll(PerfBuffer pb, PerfRing[] rings) {
        pb.close();
        for (PerfRing r : rings) {
            r.close();
        }
    }

    private static int put(PerfRing r, MemorySegment scratch, int value) {
        scratch.set(JAVA_INT_UNALIGNED, 0, value);
        return r.output(scratch, 0, 4);
    }

    @Test
    void drainsRecordsInOrderAndStoresTheTail() {
        PerfRing[] rs = rings(1, 1, 1);
        Log log = new Log();
        PerfBuffer pb = PerfBuffer.create(rs, log, log);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            for (int i = 0; i < 5; i++) {
                assertEquals(0, put(rs[0], s, i));
            }
            assertEquals(5, pb.consume());
            assertEquals(List.of("s:0", "s:1", "s:2", "s:3", "s:4"), log.events);
            assertEquals(rs[0].dataHead(), rs[0].dataTail());
            assertEquals(0, pb.consume());
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void wrappingRecordsArriveWholeThroughTheScratchBuffer() {
        PerfRing[] rs = rings(1, 1, 1);
        long[] got = {0};
        long[] wrapped = {0};
        MemorySegment ringData = rs[0].data();
        PerfBuffer pb = PerfBuffer.create(rs, (d, off, len) -> {
            long seq = d.get(JAVA_LONG_UNALIGNED, off);
            assertEquals(got[0], seq);
            assertEquals(8 + (int) (seq * 37 % 300), len, "length of " + seq);
            for (int i = 8; i < len; i++) {
                assertEquals((byte) (seq * 7 + i), d.get(JAVA_BYTE, off + i), "record " + seq + " byte " + i);
            }
            if (d.address() != ringData.address()) {
                wrapped[0]++;
            }
            got[0]++;
        }, null);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(400);
            for (long seq = 0; seq < 3000; seq++) { // ~500 KiB through 4 KiB: ~120 laps
                int len = 8 + (int) (seq * 37 % 300);
                s.set(JAVA_LONG_UNALIGNED, 0, seq);
                for (int i = 8; i < len; i++) {
                    s.set(JAVA_BYTE, i, (byte) (seq * 7 + i));
                }
                while (rs[0].output(s, 0, len) != 0) {
                    assertTrue(pb.consume() > 0);
                }
            }
            pb.consume();
            assertEquals(3000, got[0]);
            assertTrue(wrapped[0] > 0, "some records wrapped and came from the scratch buffer");
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void lostRecordArrivesBeforeTheNextSampleWithTheRightCount() {
        PerfRing[] rs = rings(2, 1, 1);
        Log log = new Log();
        PerfBuffer pb = PerfBuffer.create(rs, log, log);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            int n = 0;
            while (put(rs[1], s, n) == 0) {
                n++;
            }
            assertEquals(Errno.ENOSPC, put(rs[1], s, -1));
            assertEquals(Errno.ENOSPC, put(rs[1], s, -1)); // three lost in all
            assertEquals(n, pb.consume());
            log.events.clear();
            assertEquals(0, put(rs[1], s, 1000));
            assertEquals(1, pb.consume());
            assertEquals(List.of("lost:1:3", "s:1000"), log.events);
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void pollReturnsTheNumberOfReadyRingsNotRecords() {
        PerfRing[] rs = rings(3, 1, 1);
        Log log = new Log();
        PerfBuffer pb = PerfBuffer.create(rs, log, log);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            for (int i = 0; i < 4; i++) {
                put(rs[0], s, i);
                put(rs[2], s, 100 + i);
            }
            assertEquals(2, pb.poll(0));
            assertEquals(8, log.events.size());
            assertEquals(0, pb.poll(0), "every wake-up was reported");
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void aWakeupSentBeforePollMakesItReturnAtOnce() {
        PerfRing[] rs = rings(1, 1, 1);
        Log log = new Log();
        PerfBuffer pb = PerfBuffer.create(rs, log, log);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            put(rs[0], s, 1);
            assertEquals(1, pb.poll(-1), "level-triggered: the pending wake-up is seen on entry");
            assertEquals(List.of("s:1"), log.events);
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void dataWithoutAWakeupDoesNotEndAPollAndNoTimerRechecks() {
        PerfRing[] rs = rings(1, 1, 2); // wake every 2nd sample
        Log log = new Log();
        PerfBuffer pb = PerfBuffer.create(rs, log, log);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            put(rs[0], s, 1);
            assertEquals(0, rs[0].wakeups());
            assertEquals(0, pb.poll(30), "no wake-up was sent: poll times out");
            assertEquals(List.of(), log.events);
            assertNotEquals(rs[0].dataHead(), rs[0].dataTail(), "the data is still there");
            put(rs[0], s, 2); // the 2nd sample wakes
            assertEquals(1, pb.poll(-1));
            assertEquals(List.of("s:1", "s:2"), log.events);
            put(rs[0], s, 3);
            assertEquals(0, pb.poll(0), "the wake-up was taken by the last poll");
            assertEquals(1, pb.consume(), "consume drains regardless");
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void aWaitingConsumerIsWokenByAWakeup() throws Exception {
        PerfRing[] rs = rings(2, 1, 1);
        Log log = new Log();
        PerfBuffer pb = PerfBuffer.create(rs, log, log);
        try (Arena a = Arena.ofShared()) {
            MemorySegment s = a.allocate(8);
            CountDownLatch entered = new CountDownLatch(1);
            CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> {
                entered.countDown();
                return pb.poll(-1);
            });
            assertTrue(entered.await(WAIT_S, TimeUnit.SECONDS));
            put(rs[1], s, 42);
            assertEquals(1, f.get(WAIT_S, TimeUnit.SECONDS));
            assertEquals(List.of("s:42"), log.events);
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void severalProducersEachOnTheirOwnRingNothingLostDuplicatedOrCorrupted() throws Exception {
        int producers = 4;
        int perProducer = 50_000;
        PerfRing[] rs = rings(producers, 1, 1); // one page each: full often, LOST records flow
        long[] next = new long[producers];
        List<String> errors = new ArrayList<>();
        AtomicLong lostSeen = new AtomicLong();
        PerfBuffer pb = PerfBuffer.create(rs, (d, off, len) -> {
            int p = d.get(JAVA_INT_UNALIGNED, off);
            long seq = d.get(JAVA_LONG_UNALIGNED, off + 4);
            if (p < 0 || p >= producers || seq != next[p] || len != 12 + (int) (seq % 40)) {
                if (errors.size() < 10) {
                    errors.add("producer " + p + " seq " + seq + " len " + len);
                }
            } else {
                for (int i = 12; i < len; i++) {
                    if (d.get(JAVA_BYTE, off + i) != (byte) (p + seq + i) && errors.size() < 10) {
                        errors.add("corrupt " + p + "/" + seq);
                    }
                }
                next[p]++;
            }
        }, (ring, lost) -> lostSeen.addAndGet(lost));
        try {
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int i = 0; i < producers; i++) {
                int p = i;
                running.add(CompletableFuture.runAsync(() -> {
                    try (Arena a = Arena.ofConfined()) {
                        MemorySegment s = a.allocate(64);
                        for (long seq = 0; seq < perProducer; seq++) {
                            int len = 12 + (int) (seq % 40);
                            s.set(JAVA_INT_UNALIGNED, 0, p);
                            s.set(JAVA_LONG_UNALIGNED, 4, seq);
                            for (int b = 12; b < len; b++) {
                                s.set(JAVA_BYTE, b, (byte) (p + seq + b));
                            }
                            while (rs[p].output(s, 0, len) != 0) {
                                Thread.onSpinWait();
                            }
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (total(next) < (long) producers * perProducer && System.nanoTime() < deadline) {
                int r = pb.poll(20);
                assertTrue(r >= 0, "poll: " + r);
            }
            for (CompletableFuture<Void> f : running) {
                f.get(WAIT_S, TimeUnit.SECONDS);
            }
            pb.consume();
            assertEquals(List.of(), errors);
            for (int i = 0; i < producers; i++) {
                assertEquals(perProducer, next[i], "producer " + i);
            }
            long lost = 0;
            long pending = 0;
            for (PerfRing r : rs) {
                lost += r.lostSamples();
                pending += r.lostPending();
            }
            assertEquals(lost, lostSeen.get() + pending, "every lost sample reported once, or still pending");
        } finally {
            closeAll(pb, rs);
        }
    }

    private static long total(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    @Test
    void shutdownReleasesAWaitingConsumer() throws Exception {
        PerfRing[] rs = rings(2, 1, 1);
        PerfBuffer pb = PerfBuffer.create(rs, (d, o, l) -> { }, null);
        try {
            CountDownLatch entered = new CountDownLatch(1);
            CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> {
                entered.countDown();
                return pb.poll(-1);
            });
            assertTrue(entered.await(WAIT_S, TimeUnit.SECONDS));
            pb.shutdown();
            assertEquals(Errno.EBADF, f.get(WAIT_S, TimeUnit.SECONDS));
            assertEquals(Errno.EBADF, pb.poll(0));
            assertTrue(pb.isShutdown());
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void consumingStillWorksAfterShutdown() {
        PerfRing[] rs = rings(1, 1, 1);
        Log log = new Log();
        PerfBuffer pb = PerfBuffer.create(rs, log, log);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            put(rs[0], s, 5);
            pb.shutdown();
            assertEquals(Errno.EBADF, pb.poll(-1));
            assertEquals(1, pb.consume());
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void interruptedWaiterGetsEintr() throws Exception {
        PerfRing[] rs = rings(1, 1, 1);
        PerfBuffer pb = PerfBuffer.create(rs, (d, o, l) -> { }, null);
        try {
            CountDownLatch entered = new CountDownLatch(1);
            Thread[] t = new Thread[1];
            CompletableFuture<int[]> f = new CompletableFuture<>();
            t[0] = new Thread(() -> {
                entered.countDown();
                int r = pb.poll(-1);
                f.complete(new int[] {r, Thread.currentThread().isInterrupted() ? 1 : 0});
            });
            t[0].start();
            assertTrue(entered.await(WAIT_S, TimeUnit.SECONDS));
            t[0].interrupt(); // before or during the wait: either way -EINTR
            int[] r = f.get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(Errno.EINTR, r[0]);
            assertEquals(1, r[1], "the interrupt status stays set");
            t[0].join();
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void callbackThatThrowsConsumesItsRecordAndNothingElseIsLostOrRepeated() {
        PerfRing[] rs = rings(1, 1, 1);
        List<Integer> got = new ArrayList<>();
        PerfBuffer pb = PerfBuffer.create(rs, (d, off, len) -> {
            int v = d.get(JAVA_INT_UNALIGNED, off);
            got.add(v);
            if (v == 2 || v == 6) {
                throw new IllegalStateException("boom " + v);
            }
        }, null);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            for (int i = 0; i < 5; i++) {
                put(rs[0], s, i);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, pb::consume);
            assertEquals("boom 2", e.getMessage());
            assertEquals(List.of(0, 1, 2), got);
            assertEquals(3 * 16, rs[0].dataTail(), "the throwing record counts as consumed");
            assertEquals(2, pb.consume());
            assertEquals(List.of(0, 1, 2, 3, 4), got);
            // the same through poll
            for (int i = 5; i < 8; i++) {
                put(rs[0], s, i);
            }
            assertThrows(IllegalStateException.class, () -> pb.poll(0));
            assertEquals(1, pb.consume());
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), got);
            assertEquals(rs[0].dataHead(), rs[0].dataTail());
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void consumeNStopsAfterNSamplesAndResumes() {
        PerfRing[] rs = rings(2, 1, 1);
        Log log = new Log();
        PerfBuffer pb = PerfBuffer.create(rs, log, log);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            for (int i = 0; i < 3; i++) {
                put(rs[0], s, i);
                put(rs[1], s, 10 + i);
            }
            assertEquals(0, pb.consumeN(0));
            assertEquals(4, pb.consumeN(4));
            assertEquals(List.of("s:0", "s:1", "s:2", "s:10"), log.events, "ring 0 first");
            assertEquals(2, pb.consume());
            assertEquals(List.of("s:0", "s:1", "s:2", "s:10", "s:11", "s:12"), log.events);
            assertEquals(0, pb.consumeRing(0));
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void corruptedHeaderStopsTheDrainWithEinval() {
        PerfRing[] rs = rings(1, 1, 1);
        Log log = new Log();
        PerfBuffer pb = PerfBuffer.create(rs, log, log);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            put(rs[0], s, 1);
            // forge a record of size 0 after it and publish it
            rs[0].dataPages().set(JAVA_LONG, 16, PerfBufDescriptor.headerWord(PerfBufDescriptor.PERF_RECORD_SAMPLE, 0, 0));
            rs[0].controlPage().set(JAVA_LONG, DATA_HEAD_OFFSET, 32);
            assertEquals(Errno.EINVAL, pb.consume());
            assertEquals(List.of("s:1"), log.events);
            assertEquals(16, rs[0].dataTail(), "stops before the bad header");
            // an unknown type is consumed, then reported
            rs[0].dataPages().set(JAVA_LONG, 16, PerfBufDescriptor.headerWord(77, 0, 16));
            assertEquals(Errno.EINVAL, pb.consume());
            assertEquals(32, rs[0].dataTail());
            // a raw_size beyond its record
            rs[0].dataPages().set(JAVA_LONG, 32, PerfBufDescriptor.headerWord(PerfBufDescriptor.PERF_RECORD_SAMPLE, 0, 16));
            rs[0].dataPages().set(JAVA_LONG, 40, 1000);
            rs[0].controlPage().set(JAVA_LONG, DATA_HEAD_OFFSET, 48);
            assertEquals(Errno.EINVAL, pb.consume());
            assertEquals(List.of("s:1"), log.events);
            assertEquals(32, rs[0].dataTail(), "a sample whose raw_size is bad is not consumed");
            assertEquals(Errno.EINVAL, pb.consume(), "and it is reported again, not skipped");
            assertEquals(32, rs[0].dataTail());
            // a LOST record too short to hold its count
            rs[0].dataPages().set(JAVA_LONG, 32, PerfBufDescriptor.headerWord(PerfBufDescriptor.PERF_RECORD_LOST, 0, 16));
            assertEquals(Errno.EINVAL, pb.consume());
            assertEquals(32, rs[0].dataTail(), "a short LOST record is not consumed");
            // repaired in place (a valid sample of raw_size 4): the drain resumes at it, nothing was skipped
            rs[0].dataPages().set(JAVA_LONG, 32, PerfBufDescriptor.headerWord(PerfBufDescriptor.PERF_RECORD_SAMPLE, 0, 16));
            rs[0].dataPages().set(JAVA_LONG, 40, 4L | (7L << 32));
            assertEquals(1, pb.consume());
            assertEquals(List.of("s:1", "s:7"), log.events);
            assertEquals(48, rs[0].dataTail());
        } finally {
            closeAll(pb, rs);
        }
    }

    @Test
    void aRingHasOneConsumer() {
        PerfRing[] rs = rings(1, 1, 1);
        PerfBuffer pb = PerfBuffer.create(rs, (d, o, l) -> { }, null);
        assertThrows(IllegalStateException.class, () -> PerfBuffer.create(rs, (d, o, l) -> { }, null));
        assertSame(rs[0], pb.ring(0));
        assertEquals(1, pb.ringCount());
        pb.close();
        PerfBuffer again = PerfBuffer.create(rs, (d, o, l) -> { }, null); // close detached the first
        closeAll(again, rs);
    }
}
