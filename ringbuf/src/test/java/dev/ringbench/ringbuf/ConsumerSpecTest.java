package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import dev.ringbench.os.PollWaiter;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_FORCE_WAKEUP;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_NO_WAKEUP;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_OVERWRITE_POS;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_F_RB_OVERWRITE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The consumer rules of spec section 7 (libbpf's {@code ring_buffer}), one test per rule. Records
 * are 4-byte ints unless said otherwise, so each occupies 16 bytes of the ring.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsumerSpecTest {
    private static final long PAGE = 4096;
    private static final long REC = 16; // roundUp(4 + 8, 8)

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /** Reserves, writes {@code value}, submits with {@code flags}; returns the handle. */
    private static long put(BpfRingBuf rb, int value, long flags) {
        long h = rb.reserve(4);
        assertNotEquals(0, h, "reserve failed");
        rb.sample(h).set(JAVA_INT, 0, value);
        rb.submit(h, flags);
        return h;
    }

    private static void putAll(BpfRingBuf rb, int... values) {
        for (int v : values) {
            put(rb, v, 0);
        }
    }

    private static RawSampleCallback collect(List<Integer> got) {
        return (data, off, len) -> {
            got.add(data.get(JAVA_INT, off));
            return 0;
        };
    }

    private static RingBufConsumer consumer(BpfRingBuf rb, Ring.Mode mode, List<Integer> got) {
        return RingBufConsumer.create(rb, collect(got), mode);
    }

    private static long consPos(BpfRingBuf rb) {
        return rb.consumerPage().get(JAVA_LONG, 0);
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    /** A thread blocked in {@code poll}; closing it interrupts and joins the thread. */
    private static final class Poller implements AutoCloseable {
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        final Thread thread;

        Poller(RingBufConsumer c, int timeoutMs) {
            thread = Thread.ofPlatform().daemon().name("poller").start(() -> {
                try {
                    result.complete(c.poll(timeoutMs));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        }

        /** Waits until the thread is parked inside the consumer's epoll stand-in (not a sleep). */
        Poller awaitSleeping() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(LockSupport.getBlocker(thread) instanceof PollWaiter)) {
                if (result.isDone()) {
                    fail("poll returned " + result.join() + " before it went to sleep");
                }
                if (System.nanoTime() > deadline) {
                    fail("poll never went to sleep");
                }
                Thread.yield();
            }
            return this;
        }

        int get() throws Exception {
            return result.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Publishing consumer_pos

    @Test
    void consumerPosPublishedAfterEveryRecord() {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            putAll(rb, 0, 1, 2);
            List<Long> seen = new ArrayList<>();
            RingBufConsumer[] self = new RingBufConsumer[1];
            try (RingBufConsumer c = RingBufConsumer.create(rb, s -> {
                seen.add(consPos(rb));
                seen.add(self[0].ring(0).consumerPos());
                return 0;
            })) {
                self[0] = c;
                assertEquals(3, c.consume());
                assertEquals(List.of(0L, 0L, REC, REC, 2 * REC, 2 * REC), seen);
                assertEquals(3 * REC, c.ring(0).consumerPos());
                assertEquals(3 * REC, consPos(rb));
            }
        }
    }

    @Test
    void batchedModePublishesOncePerPass() {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            putAll(rb, 0, 1, 2);
            List<Long> seen = new ArrayList<>();
            RingBufConsumer[] self = new RingBufConsumer[1];
            RawSampleCallback cb = (d, off, len) -> {
                seen.add(consPos(rb));
                seen.add(self[0].ring(0).consumerPos());
                return 0;
            };
            try (RingBufConsumer c = RingBufConsumer.create(rb, cb, Ring.Mode.BATCHED)) {
                self[0] = c;
                assertEquals(3, c.consume());
                assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L), seen);
                assertEquals(3 * REC, c.ring(0).consumerPos());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Callback results

    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void negativeCallbackValueConsumesRecordAndIsReturned(Ring.Mode mode) {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            putAll(rb, 0, 1, 2);
            List<Integer> got = new ArrayList<>();
            RawSampleCallback cb = (d, off, len) -> {
                int v = d.get(JAVA_INT, off);
                got.add(v);
                return v == 1 ? -42 : 0;
            };
            try (RingBufConsumer c = RingBufConsumer.create(rb, cb, mode)) {
                assertEquals(-42, c.consume());
                assertEquals(List.of(0, 1), got);
                assertEquals(2 * REC, c.ring(0).consumerPos()); // past the failing record
                assertEquals(1, c.consume());
                assertEquals(List.of(0, 1, 2), got);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void positiveCallbackValueCountsAsSuccess(Ring.Mode mode) {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            putAll(rb, 0, 1, 2);
            List<Integer> got = new ArrayList<>();
            RawSampleCallback cb = (d, off, len) -> {
                got.add(d.get(JAVA_INT, off));
                return 7;
            };
            try (RingBufConsumer c = RingBufConsumer.create(rb, cb, mode)) {
                assertEquals(3, c.consume());
                assertEquals(List.of(0, 1, 2), got);
                assertEquals(3 * REC, c.ring(0).consumerPos());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Record states

    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void discardedRecordsAreSkippedButConsumed(Ring.Mode mode) {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            put(rb, 0, 0);
            long h = rb.reserve(4);
            rb.sample(h).set(JAVA_INT, 0, 1);
            rb.discard(h, 0);
            put(rb, 2, 0);
            List<Integer> got = new ArrayList<>();
            try (RingBufConsumer c = consumer(rb, mode, got)) {
                assertEquals(2, c.consume());
                assertEquals(List.of(0, 2), got);
                assertEquals(3 * REC, c.ring(0).consumerPos());
                assertEquals(0, c.ring(0).availDataSize());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void busyRecordStopsTheRing(Ring.Mode mode) {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            put(rb, 0, 0);
            long busy = rb.reserve(4);
            put(rb, 2, 0);
            List<Integer> got = new ArrayList<>();
            try (RingBufConsumer c = consumer(rb, mode, got)) {
                assertEquals(1, c.consume());
                assertEquals(REC, c.ring(0).consumerPos()); // stopped at the reserved record
                assertEquals(0, c.consume());
                assertEquals(List.of(0), got);
                rb.sample(busy).set(JAVA_INT, 0, 1);
                rb.submit(busy, 0);
                assertEquals(2, c.consume());
                assertEquals(List.of(0, 1, 2), got);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void recheckLoopFindsRecordsCommittedDuringProcessing(Ring.Mode mode) {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            put(rb, 0, 0);
            List<Integer> got = new ArrayList<>();
            RawSampleCallback cb = (d, off, len) -> {
                int v = d.get(JAVA_INT, off);
                got.add(v);
                if (v == 0) {
                    put(rb, 1, 0); // committed after this pass loaded producer_pos
                }
                return 0;
            };
            try (RingBufConsumer c = RingBufConsumer.create(rb, cb, mode)) {
                assertEquals(2, c.consume());
                assertEquals(List.of(0, 1), got);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Several rings, consume and consumeN

    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void consumeNStopsAfterNRecordsAcrossRings(Ring.Mode mode) {
        try (BpfRingBuf a = BpfRingBuf.create(PAGE); BpfRingBuf b = BpfRingBuf.create(PAGE)) {
            putAll(a, 0, 1, 2);
            putAll(b, 10, 11, 12);
            List<Integer> got = new ArrayList<>();
            try (RingBufConsumer c = consumer(a, mode, got)) {
                assertEquals(0, c.add(b, collect(got), mode));
                assertEquals(0, c.consumeN(0));
                assertEquals(4, c.consumeN(4));
                assertEquals(List.of(0, 1, 2, 10), got);
                assertEquals(REC, c.ring(1).consumerPos());
                assertEquals(2, c.consumeN(10));
                assertEquals(List.of(0, 1, 2, 10, 11, 12), got);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void consumeProcessesAllRings(Ring.Mode mode) {
        try (BpfRingBuf a = BpfRingBuf.create(PAGE);
             BpfRingBuf b = BpfRingBuf.create(PAGE);
             BpfRingBuf d = BpfRingBuf.create(PAGE)) {
            putAll(a, 0, 1);
            putAll(d, 20, 21, 22);
            List<Integer> got = new ArrayList<>();
            try (RingBufConsumer c = consumer(a, mode, got)) {
                assertEquals(0, c.add(b, collect(got), mode));
                assertEquals(0, c.add(d, collect(got), mode));
                assertEquals(5, c.consume());
                assertEquals(List.of(0, 1, 20, 21, 22), got);
                for (int i = 0; i < 3; i++) {
                    assertEquals(0, c.ring(i).availDataSize(), "ring " + i);
                }
                assertEquals(0, c.consume());
            }
        }
    }

    @Test
    void severalRingsInOneConsumer() throws Exception {
        long[] sizes = {PAGE, 2 * PAGE, 4 * PAGE};
        try (BpfRingBuf r0 = BpfRingBuf.create(sizes[0]);
             BpfRingBuf r1 = BpfRingBuf.create(sizes[1]);
             BpfRingBuf r2 = BpfRingBuf.create(sizes[2])) {
            BpfRingBuf[] rbs = {r0, r1, r2};
            List<Integer> got = new ArrayList<>();
            RingBufConsumer.SampleCallback cb = s -> got.add(s.get(JAVA_INT, 0)) ? 0 : -1;
            try (RingBufConsumer c = RingBufConsumer.create(r0, cb)) {
                assertEquals(0, c.add(r1, cb));
                assertEquals(0, c.add(r2, cb));
                for (int i = 0; i < 3; i++) {
                    assertEquals(sizes[i], c.ring(i).size(), "ring(" + i + ") in order of add");
                }
                assertNull(c.ring(3));
                for (int i : new int[] {2, 0, 1}) { // poll wakes for any of its rings
                    try (Poller p = new Poller(c, -1).awaitSleeping()) {
                        put(rbs[i], i, 0);
                        assertEquals(1, p.get(), "woken by ring " + i);
                    }
                }
                assertEquals(List.of(2, 0, 1), got);
            }
        }
    }

    @Test
    void ringAccessorsReportPositionsAndSize() {
        try (BpfRingBuf rb = BpfRingBuf.create(2 * PAGE)) {
            put(rb, 1, 0);
            long h = rb.reserve(20); // occupies 32 bytes
            rb.submit(h, 0);
            try (RingBufConsumer c = consumer(rb, Ring.Mode.LIBBPF, new ArrayList<>())) {
                Ring r = c.ring(0);
                assertEquals(2 * PAGE, r.size());
                assertEquals(0, r.consumerPos());
                assertEquals(REC + 32, r.producerPos());
                assertEquals(REC + 32, r.availDataSize());
                assertEquals(1, r.consumeN(1));
                assertEquals(REC, r.consumerPos());
                assertEquals(32, r.availDataSize());
                assertEquals(1, r.consume());
                assertEquals(REC + 32, r.consumerPos());
                assertEquals(0, r.availDataSize());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // poll

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS) // a poll(-1) that sleeps here is the failure
    void pollReturnsAtOnceWhenDataPresent() {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            List<Integer> got = new ArrayList<>();
            try (RingBufConsumer c = consumer(rb, Ring.Mode.LIBBPF, got)) {
                put(rb, 1, BPF_RB_NO_WAKEUP); // no wake-up was ever sent: readiness is a level
                assertEquals(1, c.poll(-1));
                long busy = rb.reserve(4); // unconsumed bytes, nothing committed
                assertEquals(0, c.poll(-1));
                assertEquals(0, c.poll(-1));
                rb.sample(busy).set(JAVA_INT, 0, 2);
                rb.submit(busy, BPF_RB_NO_WAKEUP);
                assertEquals(1, c.poll(-1));
                assertEquals(List.of(1, 2), got);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 10_000})
    void pollSleepsUntilWakeup(int timeoutMs) throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            List<Integer> got = new ArrayList<>();
            try (RingBufConsumer c = consumer(rb, Ring.Mode.LIBBPF, got);
                 Poller p = new Poller(c, timeoutMs)) {
                CountDownLatch go = new CountDownLatch(1);
                Thread producer = Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    put(rb, 5, 0); // consumer caught up at this record: the adaptive rule wakes it
                });
                p.awaitSleeping();
                go.countDown();
                assertEquals(1, p.get());
                producer.join();
                assertEquals(List.of(5), got);
            }
        }
    }

    @Test
    void pollDoesNotRecheckOnATimer() throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            List<Integer> got = new ArrayList<>();
            try (RingBufConsumer c = consumer(rb, Ring.Mode.LIBBPF, got);
                 Poller p = new Poller(c, 300).awaitSleeping()) {
                put(rb, 9, BPF_RB_NO_WAKEUP);
                assertEquals(0, p.get());
                assertEquals(List.of(), got);
                assertEquals(1, c.consume());
                assertEquals(List.of(9), got);
            }
        }
    }

    @Test
    void pollTimesOutWithZero() {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE);
             RingBufConsumer c = consumer(rb, Ring.Mode.LIBBPF, new ArrayList<>())) {
            assertEquals(0, c.poll(0));
            assertEquals(0, c.poll(50));
            putAll(rb, 1);
            assertEquals(1, c.consume());
            assertEquals(0, c.poll(50)); // caught up again: nothing to wait for
        }
    }

    @Test
    void forceWakeupWakesAlways() throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            List<Integer> got = new ArrayList<>();
            try (RingBufConsumer c = consumer(rb, Ring.Mode.LIBBPF, got)) {
                try (Poller p = new Poller(c, -1).awaitSleeping()) {
                    long a = rb.reserve(4);
                    long b = rb.reserve(4);
                    rb.sample(a).set(JAVA_INT, 0, 1);
                    rb.sample(b).set(JAVA_INT, 0, 2);
                    rb.submit(a, BPF_RB_NO_WAKEUP);
                    rb.submit(b, BPF_RB_FORCE_WAKEUP); // consumer waits at a, not b: adaptive would not wake
                    assertEquals(2, p.get());
                }
                try (Poller p = new Poller(c, -1).awaitSleeping()) {
                    put(rb, 3, BPF_RB_FORCE_WAKEUP | BPF_RB_NO_WAKEUP); // FORCE wins
                    assertEquals(1, p.get());
                }
                assertEquals(List.of(1, 2, 3), got);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Overwrite mode, exceptions, close, interrupt, hostile consumer_pos

    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void overwriteRingResumesFromOverwritePos(Ring.Mode mode) {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE, BPF_F_RB_OVERWRITE)) {
            int n = 1000; // 16 000 bytes into a 4096-byte ring; record i sits at position 16 * i
            for (int i = 0; i < n; i++) {
                put(rb, i, 0);
            }
            long over = rb.query(BPF_RB_OVERWRITE_POS);
            assertTrue(over > 0 && over % REC == 0, "overwrite_pos " + over);
            List<Integer> got = new ArrayList<>();
            try (RingBufConsumer c = consumer(rb, mode, got)) {
                assertEquals(n - over / REC, c.consume());
                assertEquals(range((int) (over / REC), n), got); // the newest ones, in order
                got.clear();
                for (int i = n; i < n + 10; i++) {
                    put(rb, i, 0); // fits: overwrite_pos stays behind consumer_pos
                }
                assertTrue(rb.query(BPF_RB_OVERWRITE_POS) < c.ring(0).consumerPos());
                assertEquals(10, c.consume());
                assertEquals(range(n, n + 10), got);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void callbackThatThrowsMidBatchConsumesThatRecordOnly(Ring.Mode mode) {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            putAll(rb, 0, 1, 2, 3, 4);
            List<Integer> got = new ArrayList<>();
            boolean[] thrown = {false};
            RawSampleCallback cb = (d, off, len) -> {
                int v = d.get(JAVA_INT, off);
                got.add(v);
                if (v == 2 && !thrown[0]) {
                    thrown[0] = true;
                    throw new IllegalStateException("boom");
                }
                return 0;
            };
            try (RingBufConsumer c = RingBufConsumer.create(rb, cb, mode)) {
                IllegalStateException e = assertThrows(IllegalStateException.class, c::consume);
                assertEquals("boom", e.getMessage());
                assertEquals(List.of(0, 1, 2), got);
                assertEquals(3 * REC, c.ring(0).consumerPos());
                assertEquals(2, c.consume());
                assertEquals(List.of(0, 1, 2, 3, 4), got);
                assertEquals(0, c.consume());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"consumer", "ring"})
    void closeWhileWaitingReturnsEbadf(String closed) throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE);
             RingBufConsumer c = consumer(rb, Ring.Mode.LIBBPF, new ArrayList<>());
             Poller p = new Poller(c, -1).awaitSleeping()) {
            if (closed.equals("consumer")) {
                c.close();
            } else {
                rb.close();
            }
            assertEquals(Errno.EBADF, p.get());
        }
    }

    @Test
    void interruptWhileWaitingReturnsEintr() throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE);
             RingBufConsumer c = consumer(rb, Ring.Mode.LIBBPF, new ArrayList<>());
             Poller p = new Poller(c, -1).awaitSleeping()) {
            p.thread.interrupt();
            assertEquals(Errno.EINTR, p.get());
        }
    }

    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void hostileConsumerPosGivesEinvalAndLosesNothing(Ring.Mode mode) {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            int impossibleLen = 0x3000_0000; // as a header: a payload no 4 KiB ring can hold
            putAll(rb, impossibleLen, 1, 2);
            List<Integer> got = new ArrayList<>();
            try (RingBufConsumer c = consumer(rb, mode, got)) {
                for (long hostile : new long[] {4, 8 /* record 0's payload */, 3 * REC - 1}) {
                    rb.consumerPage().set(JAVA_LONG, 0, hostile);
                    assertEquals(Errno.EINVAL, c.consume(), "consumer_pos " + hostile);
                    assertEquals(Errno.EINVAL, c.poll(0), "consumer_pos " + hostile);
                    assertEquals(hostile, consPos(rb), "consumer_pos left where it was");
                }
                assertEquals(List.of(), got);
                rb.consumerPage().set(JAVA_LONG, 0, 0L);
                assertEquals(3, c.consume());
                assertEquals(List.of(impossibleLen, 1, 2), got);
            }
        }
    }

    /** Positions are unsigned (libbpf's unsigned long): a consumer_pos "above" producer_pos means no data. */
    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void hostileConsumerPosAboveProducerPosDeliversNothing(Ring.Mode mode) {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            putAll(rb, 0, 1, 2);
            List<Integer> lens = new ArrayList<>();
            RawSampleCallback cb = (d, off, len) -> lens.add(len) ? 0 : -1;
            try (RingBufConsumer c = RingBufConsumer.create(rb, cb, mode)) {
                rb.consumerPage().set(JAVA_LONG, 0, -8L);
                int r = c.consume();
                assertTrue(r == 0 || r == Errno.EINVAL, "consume returned " + r);
                assertEquals(List.of(), lens, "samples delivered from a hostile consumer_pos");
                rb.consumerPage().set(JAVA_LONG, 0, 0L);
                assertEquals(3, c.consume());
                assertEquals(List.of(4, 4, 4), lens);
            }
        }
    }
}
