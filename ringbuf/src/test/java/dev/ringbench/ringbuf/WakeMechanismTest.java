package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import dev.ringbench.os.PollWaiter;
import dev.ringbench.os.WakeMechanism;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Both ways a sleeping consumer is woken ({@link WakeMechanism}): the commit's wake-up work reaches
 * a consumer asleep in {@code poll(-1)} (parked, or in {@code epoll_wait} on the eventfd), a commit
 * that sends none leaves it asleep, and the wake-ups received are counted alike.
 */
class WakeMechanismTest {
    private static final int SETTLE_MS = 200;

    private static CompletableFuture<Integer> pollInBackground(RingBufConsumer c) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                f.complete(c.poll(-1));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Lets the poller reach its sleep; fails if poll returned instead. */
    private static void settle(CompletableFuture<Integer> f) throws Exception {
        try {
            fail("poll returned " + f.get(SETTLE_MS, TimeUnit.MILLISECONDS) + " on an empty ring");
        } catch (TimeoutException expected) {
            // still asleep
        }
    }

    private static void submit(BpfRingBuf rb, long flags) {
        long h = rb.reserve(8);
        rb.sampleArea().set(JAVA_LONG, rb.sampleOffset(h), 7L);
        rb.submit(h, flags);
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void caughtUpSubmitWakesTheSleepingConsumerAndTheWakeupIsCounted(WakeMechanism m) throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(4096);
             RingBufConsumer c = RingBufConsumer.create(rb, (d, o, l) -> 0, Ring.Mode.LIBBPF, m)) {
            CompletableFuture<Integer> f = pollInBackground(c);
            settle(f);
            submit(rb, 0);
            assertEquals(1, f.get(5, TimeUnit.SECONDS), "woken by the adaptive rule");
            assertEquals(1, c.wakeups());
            submit(rb, 0); // ready on entry: no sleep, no wake-up received
            assertEquals(1, c.poll(-1));
            assertEquals(1, c.wakeups());
        }
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void noWakeupLeavesItAsleepUntilAForcedWakeup(WakeMechanism m) throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(4096);
             RingBufConsumer c = RingBufConsumer.create(rb, (d, o, l) -> 0, Ring.Mode.BATCHED, m)) {
            CompletableFuture<Integer> f = pollInBackground(c);
            settle(f);
            submit(rb, BpfRingBuf.BPF_RB_NO_WAKEUP);
            settle(f); // the record is there, but no wake-up came: poll never re-checks on its own
            submit(rb, BpfRingBuf.BPF_RB_FORCE_WAKEUP);
            assertEquals(2, f.get(5, TimeUnit.SECONDS));
            assertEquals(1, c.wakeups());
        }
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void closingTheConsumerReleasesASleepingPoll(WakeMechanism m) throws Exception {
        BpfRingBuf rb = BpfRingBuf.create(4096);
        try (rb) {
            RingBufConsumer c = RingBufConsumer.create(rb, (d, o, l) -> 0, Ring.Mode.LIBBPF, m);
            CompletableFuture<Integer> f = pollInBackground(c);
            settle(f);
            c.close();
            assertEquals(Errno.EBADF, f.get(5, TimeUnit.SECONDS));
            submit(rb, BpfRingBuf.BPF_RB_FORCE_WAKEUP); // a wake-up after close reaches no closed fd
        }
    }

    @ParameterizedTest
    @EnumSource(WakeMechanism.class)
    void anInterruptReachesAConsumerAsleepWithoutATimeout(WakeMechanism m) throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(4096);
             RingBufConsumer c = RingBufConsumer.create(rb, (d, o, l) -> 0, Ring.Mode.LIBBPF, m)) {
            Thread[] t = new Thread[1];
            CompletableFuture<Integer> f = new CompletableFuture<>();
            t[0] = Thread.ofPlatform().daemon().start(() -> f.complete(c.poll(-1)));
            settle(f);
            t[0].interrupt();
            assertEquals(Errno.EINTR, f.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void eventfdWaiterTimesOutWithoutAWakeupAndRejectsNull() {
        PollWaiter w = new PollWaiter(WakeMechanism.EVENTFD);
        try {
            long t0 = System.nanoTime();
            assertEquals(PollWaiter.TIMED_OUT, w.await(() -> 0, 50));
            assertFalse(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(45), "returned before its timeout");
            assertEquals(0, w.wakeups());
        } finally {
            w.close();
        }
        assertEquals(Errno.EBADF, w.await(() -> 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new PollWaiter(null));
    }
}
