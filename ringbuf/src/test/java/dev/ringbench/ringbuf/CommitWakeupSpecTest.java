package dev.ringbench.ringbuf;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;

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

    @Test
    void concurrentWakeupRequestsAreEitherSentOrCoalescedNeverLost() throws InterruptedException {
        try (BpfRingBuf rb = BpfRingBuf.create(1 << 20)) {
            int threads = 4;
            int perThread = 2000;
            CountDownLatch go = new CountDownLatch(1);
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                ts[t] = new Thread(() -> {
                    await(go);
                    for (int i = 0; i < perThread; i++) {
                        rb.submit(rb.reserve(0), BPF_RB_FORCE_WAKEUP);
                    }
                });
                ts[t].start();
            }
            go.countDown();
            for (Thread t : ts) {
                t.join();
            }
            assertEquals((long) threads * perThread, rb.notificationsSent() + rb.notificationsCoalesced());
            assertTrue(rb.notificationsSent() > 0);
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

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
