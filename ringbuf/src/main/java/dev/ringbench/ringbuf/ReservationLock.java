package dev.ringbench.ringbuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The ring's reservation lock ({@code rb->spinlock}), in either {@link LockEra}.
 *
 * <h2>Deviation: preemption</h2>
 * The kernel holds this lock with interrupts off, so its holder is never descheduled and waiters
 * spin for at most the few hundred nanoseconds of a reservation. A Java thread can be preempted
 * while holding it; with more runnable threads than cores, a pure spin would burn whole
 * scheduler quanta waiting for a holder that is not running. Waiters therefore back off:
 * {@value #SPINS} busy spins ({@link Thread#onSpinWait()}), then {@link Thread#yield()} up to
 * {@value #YIELDS} times, then {@link LockSupport#parkNanos(long)} of {@value #PARK_NANOS} ns per
 * round. Nothing unparks a waiter: it re-tries on its own, as a spinning CPU would. The number of
 * contended acquisitions, yields and parks is counted so benchmarks can show the effect.
 *
 * <h2>Deviation: fairness</h2>
 * The 6.15 lock is a queued (FIFO) spinlock; this one is test-and-set, so a waiter that parks can
 * keep losing the lock to threads that are spinning. With many more threads than cores the
 * resilient era's 0.25 s timeout can then fire for a waiter whose holder was never stuck (seen: 1
 * timeout with 8 threads, 178 with 32 threads, on 2 cores). {@link BpfRingBuf#lockTimeouts()}
 * therefore counts starvation as well as stalls when threads outnumber cores.
 *
 * <h2>Deviation: contexts</h2>
 * Java has no NMI. "NMI context" is a property of the call ({@link BpfRingBuf#reserveNmi(long)}),
 * not of the CPU. An NMI that interrupts the lock holder on its own CPU is reproduced by a
 * reservation made by the holding thread itself, which is what the resilient lock detects as an
 * AA deadlock.
 */
abstract sealed class ReservationLock permits ReservationLock.SpinLockIrqSave, ReservationLock.ResilientSpinLock {
    static final int SPINS = 128;
    static final int YIELDS = 16;
    static final long PARK_NANOS = 20_000;

    private static final VarHandle OWNER;
    private static final VarHandle COUNTS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            OWNER = l.findVarHandle(ReservationLock.class, "owner", Thread.class);
            COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final int NMI_ATTEMPTS = 0;
    static final int NMI_FAILURES = 1;
    static final int TIMEOUTS = 2;
    static final int DEADLOCKS = 3;
    static final int CONTENDED = 4;
    static final int YIELDED = 5;
    static final int PARKED = 6;
    private static final int PAD = 8;

    /** The holder, or null. Written by CAS to acquire and by a release store to release. */
    @SuppressWarnings("unused")
    private volatile Thread owner;
    /** Counters, each on its own cache line; only slow paths write them. */
    private final long[] counts = new long[(PARKED + 1) * PAD];

    static ReservationLock of(LockEra era) {
        return switch (era) {
            case SPINLOCK_5_8 -> new SpinLockIrqSave();
            case RESILIENT_6_15 -> new ResilientSpinLock();
        };
    }

    abstract LockEra era();

    /**
     * Takes the lock for a reservation; {@code false} means the reservation fails.
     *
     * @param inNmi whether the reservation is made in NMI-like context
     */
    abstract boolean lock(boolean inNmi);

    /** Releases the lock: a release store, pairs with the CAS in {@link #tryAcquire()}. */
    final void unlock() {
        OWNER.setRelease(this, (Thread) null);
    }

    final boolean tryAcquire() {
        return OWNER.compareAndSet(this, (Thread) null, Thread.currentThread());
    }

    final boolean heldByCurrentThread() {
        return OWNER.getOpaque(this) == Thread.currentThread();
    }

    final boolean isLocked() {
        return OWNER.getOpaque(this) != null;
    }

    final void count(int which) {
        COUNTS.getAndAdd(counts, which * PAD, 1L);
    }

    final long counter(int which) {
        return (long) COUNTS.getVolatile(counts, which * PAD);
    }

    /**
     * Waits for the lock with the back-off described in the class comment.
     *
     * @param deadlineNanos {@link System#nanoTime()} at which to give up, or {@code Long.MAX_VALUE}
     * @return whether the lock was taken
     */
    final boolean acquireSlow(long deadlineNanos) {
        count(CONTENDED);
        for (int round = 0; ; round++) {
            if (!isLocked() && tryAcquire()) {
                return true;
            }
            if (round < SPINS) {
                Thread.onSpinWait();
                continue;
            }
            if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            if (round < SPINS + YIELDS) {
                count(YIELDED);
                Thread.yield();
            } else {
                count(PARKED);
                LockSupport.parkNanos(PARK_NANOS);
            }
        }
    }

    /** 5.8 to 6.14: {@code spin_lock_irqsave}, or {@code spin_trylock_irqsave} in NMI. */
    static final class SpinLockIrqSave extends ReservationLock {
        @Override
        LockEra era() {
            return LockEra.SPINLOCK_5_8;
        }

        @Override
        boolean lock(boolean inNmi) {
            if (inNmi) {
                count(NMI_ATTEMPTS);
                if (tryAcquire()) {
                    return true;
                }
                count(NMI_FAILURES);
                return false;
            }
            if (tryAcquire()) {
                return true;
            }
            if (heldByCurrentThread()) {
                // The kernel cannot get here (interrupts are off while the lock is held); in Java it
                // means a reservation nested inside a reservation on the same thread.
                throw new IllegalStateException("reservation nested inside a reservation on the same thread "
                        + "would deadlock the 5.8-6.14 spinlock; only reserveNmi may nest");
            }
            return acquireSlow(Long.MAX_VALUE);
        }
    }

    /** 6.15 on: {@code raw_res_spin_lock_irqsave}; AA detection and a 0.25 s timeout. */
    static final class ResilientSpinLock extends ReservationLock {
        /** {@code RES_DEF_TIMEOUT} in kernel/bpf/rqspinlock.c: NSEC_PER_SEC / 4. */
        static final long TIMEOUT_NANOS = 250_000_000L;

        @Override
        LockEra era() {
            return LockEra.RESILIENT_6_15;
        }

        @Override
        boolean lock(boolean inNmi) {
            if (inNmi) {
                count(NMI_ATTEMPTS);
            }
            boolean taken = tryAcquire() || acquireResilient();
            if (!taken && inNmi) {
                count(NMI_FAILURES);
            }
            return taken;
        }

        private boolean acquireResilient() {
            if (heldByCurrentThread()) {
                count(DEADLOCKS); // AA: this context already holds the lock
                return false;
            }
            if (acquireSlow(System.nanoTime() + TIMEOUT_NANOS)) {
                return true;
            }
            count(TIMEOUTS);
            return false;
        }
    }
}
