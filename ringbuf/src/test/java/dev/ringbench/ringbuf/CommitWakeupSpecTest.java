package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import dev.ringbench.os.PollWaiter;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_FORCE_WAKEUP;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_NO_WAKEUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec section 6: submit, discard, the wake-up rule, output, query. */
class CommitWakeupSpecTest {

    @Test
    void submitClearsBusyAndDiscardSetsDiscardBit() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long a = rb.reserve(4);
            long b = rb.reserve(4);
            rb.submit(a, 0);
            rb.discard(b, 0);
            assertEquals(4, rb.data().get(ValueLayout.JAVA_INT, 0));
            assertEquals(4 | RingBufDescriptor.DISCARD_BIT, rb.data().get(ValueLayout.JAVA_INT, 16));
        }
    }

    @Test
    void adaptiveSubmitWakesOnlyWhenConsumerWaitsForThisRecord() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long a = rb.reserve(8);
            long b = rb.reserve(8);
            rb.submit(b, 0);
            assertEquals(0, rb.notificationsSent(), "consumer_pos points at a, not at b");
            rb.submit(a, 0);
            assertEquals(1, rb.notificationsSent(), "consumer_pos & mask == a's header offset");
        }
    }

    @Test
    void adaptiveRuleComparesConsumerPosModuloTheRing() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            RingBufConsumer c = RingBufConsumer.create(rb, s -> 0);
            for (int i = 0; i < 300; i++) { // 300 * 16 bytes: wraps the 4096-byte ring
                rb.submit(rb.reserve(8), 0);
                assertEquals(1, c.consume());
            }
            assertEquals(300, rb.notificationsSent(), "each record found the consumer caught up");
        }
    }

    @Test
    void noWakeupSuppressesEvenACaughtUpConsumer() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            rb.submit(rb.reserve(8), BPF_RB_NO_WAKEUP);
            rb.discard(rb.reserve(8), BPF_RB_NO_WAKEUP);
            assertEquals(0, rb.notificationsSent());
        }
    }

    @Test
    void forceWakeupAlwaysWakes() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long a = rb.reserve(8);
            long b = rb.reserve(8);
            rb.submit(b, BPF_RB_FORCE_WAKEUP);
            rb.discard(a, BPF_RB_FORCE_WAKEUP | BPF_RB_NO_WAKEUP);
            assertEquals(2, rb.notificationsSent(), "FORCE wins over NO_WAKEUP");
        }
    }

    @Test
    void discardAlsoFollowsTheWakeupRule() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            rb.discard(rb.reserve(8), 0);
            assertEquals(1, rb.notificationsSent());
        }
    }

    @Test
    void knownTrapDiscardWithNoWakeupHidesTheNextAdaptiveSubmit() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096)) {
            long dropped = rb.reserve(8);
            long kept = rb.reserve(8);
            rb.discard(dropped, BPF_RB_NO_WAKEUP);
            rb.submit(kept, 0);
            assertEquals(0, rb.notificationsSent(), "consumer_pos still points at the discarded record");
            assertEquals(32, rb.query(BpfRingBuf.BPF_RB_AVAIL_DATA), "yet data is waiting");
        }
    }

    /**
     * Wake-ups are never lost, under concurrent commits: in every round a consumer is first seen
     * asleep inside {@code poll} (parked on its epoll stand-in, with a 60 s timeout), then four
     * threads commit one record each at the same moment (FORCE in even rounds, the adaptive rule
     * in odd ones, where only the commit that finds the consumer caught up wakes it, and requests
     * coalesce). The consumer must wake and have all four within 10 s every round; a wake path
     * that never unparks, or a coalesced request that swallows the last wake-up, leaves it asleep.
     */
    @Test
    void concurrentCommitsAlwaysWakeASleepingConsumer() throws Exception {
        int threads = 4;
        int rounds = 100;
        try (BpfRingBuf rb = BpfRingBuf.create(1 << 20)) {
            AtomicLong delivered = new AtomicLong();
            AtomicInteger pollError = new AtomicInteger();
            RingBufConsumer c = RingBufConsumer.create(rb, s -> {
                delivered.incrementAndGet();
                return 0;
            });
            Thread consumer = Thread.ofPlatform().daemon().name("sleeping-consumer").start(() -> {
                while (delivered.get() < (long) threads * rounds) {
                    int r = c.poll(60_000);
                    if (r < 0) {
                        pollError.set(r);
                        return;
                    }
                }
            });
            CyclicBarrier go = new CyclicBarrier(threads + 1);
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                ts[t] = Thread.ofPlatform().daemon().name("committer-" + t).start(() -> {
                    for (int round = 0; round < rounds; round++) {
                        awaitBarrier(go);
                        rb.submit(rb.reserve(8), round % 2 == 0 ? BPF_RB_FORCE_WAKEUP : 0);
                    }
                });
            }
            try {
                for (int round = 0; round < rounds; round++) {
                    long want = (long) threads * round;
                    awaitAsleepInPoll(consumer, delivered, want);
                    go.await(10, TimeUnit.SECONDS);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (delivered.get() < want + threads) {
                        assertTrue(System.nanoTime() < deadline, "round " + round + " (" + (round % 2 == 0 ? "FORCE" : "adaptive")
                                + "): the consumer slept through the commits; it has " + delivered.get() + " of " + (want + threads));
                        Thread.sleep(1);
                    }
                }
                consumer.join(10_000);
                assertEquals(0, pollError.get());
                assertEquals((long) threads * rounds, delivered.get());
            } finally {
                c.close(); // releases the consumer if the test failed
                consumer.join(10_000);
            }
        }
    }

    /** Waits until {@code consumer} has {@code want} records and is parked inside poll (its PollWaiter). */
    private static void awaitAsleepInPoll(Thread consumer, AtomicLong delivered, long want) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (delivered.get() != want || !(LockSupport.getBlocker(consumer) instanceof PollWaiter)) {
            assertTrue(consumer.isAlive(), "the consumer ended early");
            assertTrue(System.nanoTime() < deadline, "the consumer never went to sleep with " + want + " records; it has "
                    + delivered.get());
            Thread.sleep(0, 100_000);
        }
    }

    private static void awaitBarrier(CyclicBarrier b) {
        try {
            b.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void outputCopiesAndSubmits() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096); Arena a = Arena.ofConfined()) {
            MemorySegment payload = a.allocateFrom("hello");
            assertEquals(0, rb.output(payload, 0));
            assertEquals(1, rb.notificationsSent(), "adaptive: the consumer was caught up");
            String[] got = new String[1];
            RingBufConsumer.create(rb, s -> {
                got[0] = s.getString(0);
                return 0;
            }).consume();
            assertEquals("hello", got[0]);
        }
    }

    @Test
    void outputReturnsEagainWhenItDoesNotFitAndEinvalForBadFlags() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096); Arena a = Arena.ofConfined()) {
            assertEquals(Errno.EINVAL, rb.output(a.allocate(8), 4));
            assertEquals(Errno.EINVAL, rb.output(a.allocate(8), -1));
            assertEquals(Errno.EAGAIN, rb.output(a.allocate(4096), 0));
            assertEquals(0, rb.output(a.allocate(4000), BPF_RB_NO_WAKEUP));
            assertEquals(Errno.EAGAIN, rb.output(a.allocate(100), 0));
            assertEquals(4008, rb.query(BpfRingBuf.BPF_RB_PROD_POS), "failed outputs reserved nothing");
        }
    }

    @Test
    void queryReturnsSnapshotsAndZeroForUnknownSelectors() {
        try (BpfRingBuf rb = BpfRingBuf.create(8192)) {
            rb.submit(rb.reserve(24), 0);
            rb.reserve(8);
            assertEquals(48, rb.query(BpfRingBuf.BPF_RB_AVAIL_DATA));
            assertEquals(8192, rb.query(BpfRingBuf.BPF_RB_RING_SIZE));
            assertEquals(0, rb.query(BpfRingBuf.BPF_RB_CONS_POS));
            assertEquals(48, rb.query(BpfRingBuf.BPF_RB_PROD_POS));
            assertEquals(0, rb.query(BpfRingBuf.BPF_RB_OVERWRITE_POS));
            assertEquals(0, rb.query(5));
            assertEquals(0, rb.query(-1));
            RingBufConsumer.create(rb, s -> 0).consume();
            assertEquals(32, rb.query(BpfRingBuf.BPF_RB_CONS_POS), "stopped at the busy record");
            assertEquals(16, rb.query(BpfRingBuf.BPF_RB_AVAIL_DATA));
        }
    }

    @Test
    void queryAvailDataInOverwriteModeCountsFromTheLaterOfConsumerAndOverwritePos() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096, BpfRingBuf.BPF_F_RB_OVERWRITE)) {
            for (int i = 0; i < 200; i++) {
                rb.submit(rb.reserve(56), BPF_RB_NO_WAKEUP);
            }
            long prod = rb.query(BpfRingBuf.BPF_RB_PROD_POS);
            long over = rb.query(BpfRingBuf.BPF_RB_OVERWRITE_POS);
            assertTrue(over > 0);
            assertEquals(prod - over, rb.query(BpfRingBuf.BPF_RB_AVAIL_DATA));
        }
    }
}
