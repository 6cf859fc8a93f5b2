package dev.ringbench.ringbuf;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spec section 8: the reservation lock in both kernel eras. The package-private
 * {@code whileLocked} hook runs inside the lock, so a test can hold it for as long as it needs.
 */
class LockSpecTest {
    private static final long TIMEOUT_S = 30;
    /**
     * Each holder and waiter on its own thread: the common pool may have a single worker (2 CPUs),
     * which would queue a waiter behind the blocked holder instead of running it against the lock.
     */
    private static final Executor OWN_THREAD = r -> Thread.ofPlatform().daemon().start(r);

    /** Holds the lock of {@code rb} on another thread until {@code release} opens. */
    private static CompletableFuture<Long> holdLock(BpfRingBuf rb, CountDownLatch held, CountDownLatch release) {
        rb.whileLocked = () -> {
            rb.whileLocked = null;
            held.countDown();
            awaitUninterruptibly(release);
        };
        CompletableFuture<Long> holder = CompletableFuture.supplyAsync(() -> rb.reserve(8), OWN_THREAD);
        awaitUninterruptibly(held);
        return holder;
    }

    @Test
    void spinlockEraNmiReservationFailsWhileLockIsHeldEvenWithSpace() throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(4096, 0, LockEra.SPINLOCK_5_8)) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Long> holder = holdLock(rb, held, release);
            assertEquals(0, rb.reserveNmi(8), "trylock fails");
            assertEquals(1, rb.nmiAttempts());
            assertEquals(1, rb.nmiFailures());
            release.countDown();
            assertNotEquals(0L, holder.get(TIMEOUT_S, TimeUnit.SECONDS));
            long h = rb.reserveNmi(8);
            assertNotEquals(0, h, "free lock: the NMI reservation succeeds");
            assertEquals(2, rb.nmiAttempts());
            assertEquals(1, rb.nmiFailures());
            assertEquals(1, rb.reserveFailures());
        }
    }

    @Test
    void spinlockEraNmiOnTheHoldersOwnCpuFailsInsteadOfDeadlocking() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096, 0, LockEra.SPINLOCK_5_8)) {
            long[] nested = {-1};
            rb.whileLocked = () -> {
                rb.whileLocked = null;
                nested[0] = rb.reserveNmi(8);
            };
            assertNotEquals(0, rb.reserve(8));
            assertEquals(0, nested[0]);
            assertEquals(1, rb.nmiFailures());
        }
    }

    @Test
    void spinlockEraNestedNonNmiReservationIsRejectedAndLosesNothing() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096, 0, LockEra.SPINLOCK_5_8)) {
            rb.whileLocked = () -> {
                rb.whileLocked = null;
                rb.reserve(8);
            };
            assertThrows(IllegalStateException.class, () -> rb.reserve(8));
            assertEquals(0, rb.query(BpfRingBuf.BPF_RB_PROD_POS), "neither reservation was made");
            assertNotEquals(0, rb.reserve(8), "the lock was released");
        }
    }

    @Test
    void spinlockEraTaskContextWaitsForTheLock() throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(4096, 0, LockEra.SPINLOCK_5_8)) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Long> holder = holdLock(rb, held, release);
            CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> rb.reserve(8), OWN_THREAD);
            awaitWaitingForTheLock(rb, waiter);
            release.countDown();
            assertNotEquals(0L, holder.get(TIMEOUT_S, TimeUnit.SECONDS));
            assertNotEquals(0L, waiter.get(TIMEOUT_S, TimeUnit.SECONDS));
            assertEquals(0, rb.reserveFailures());
        }
    }

    @Test
    void resilientEraNmiIsNotSpecialItWaitsForTheLock() throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(4096, 0, LockEra.RESILIENT_6_15)) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Long> holder = holdLock(rb, held, release);
            CompletableFuture<Long> nmi = CompletableFuture.supplyAsync(() -> rb.reserveNmi(8), OWN_THREAD);
            awaitWaitingForTheLock(rb, nmi);
            release.countDown();
            assertNotEquals(0L, holder.get(TIMEOUT_S, TimeUnit.SECONDS));
            assertNotEquals(0L, nmi.get(TIMEOUT_S, TimeUnit.SECONDS));
            assertEquals(1, rb.nmiAttempts());
            assertEquals(0, rb.nmiFailures());
        }
    }

    @Test
    void resilientEraDetectsSelfDeadlockAndFails() {
        try (BpfRingBuf rb = BpfRingBuf.create(4096, 0, LockEra.RESILIENT_6_15)) {
            long[] nested = {-1, -1};
            rb.whileLocked = () -> {
                rb.whileLocked = null;
                nested[0] = rb.reserve(8);
                nested[1] = rb.reserveNmi(8);
            };
            assertNotEquals(0, rb.reserve(8));
            assertEquals(0, nested[0]);
            assertEquals(0, nested[1]);
            assertEquals(2, rb.lockDeadlocks());
            assertEquals(1, rb.nmiFailures());
            assertEquals(0, rb.lockTimeouts());
        }
    }

    @Test
    void resilientEraFailsAfterTimeoutWhenTheHolderNeverReleases() throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(4096, 0, LockEra.RESILIENT_6_15)) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Long> holder = holdLock(rb, held, release);
            assertEquals(0, rb.reserve(8), "gives up after 0.25 s");
            assertEquals(1, rb.lockTimeouts());
            assertTrue(rb.lockContended() >= 1);
            assertTrue(rb.lockBackoffs() >= 1, "a waiter backs off rather than spinning for 0.25 s");
            release.countDown();
            assertNotEquals(0L, holder.get(TIMEOUT_S, TimeUnit.SECONDS));
        }
    }

    /**
     * Waits until {@code waiter} has reached the held lock and has been waiting long enough to
     * back off (past its spins: it yields or parks), then checks it is still waiting. A reservation
     * that only tried the lock would have returned 0 by then; without this wait a waiter that had
     * not started yet would pass for one that waits.
     */
    private static void awaitWaitingForTheLock(BpfRingBuf rb, CompletableFuture<Long> waiter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (rb.lockBackoffs() == 0 && !waiter.isDone()) {
            assertTrue(System.nanoTime() < deadline, "the waiter never reached the lock");
            Thread.sleep(1);
        }
        assertFalse(waiter.isDone(), "a reservation that finds the lock held must wait for it, not fail: got "
                + waiter.getNow(null));
        assertTrue(rb.lockContended() >= 1);
    }

    private static void awaitUninterruptibly(CountDownLatch l) {
        try {
            assertTrue(l.await(TIMEOUT_S, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
