package dev.ringbench.ringbuf;

import dev.ringbench.os.MappedAtomics;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The ring's reservation lock ({@code rb->spinlock}), in either {@link LockEra}.
 *
 * <h2>The lock word</h2>
 * As in the kernel's {@code struct bpf_ringbuf}, the lock lives in the ring's private metadata
 * page, on cache lines of its own ({@code ____cacheline_aligned_in_smp}; the port leaves 128 bytes
 * either side, against adjacent-line prefetch): a {@code long} at
 * {@link RingBufDescriptor#META_SPINLOCK_OFFSET}, 0 when free, else the holder's
 * {@link Thread#threadId()}, accessed unchecked ({@link MappedAtomics}, a constant offset; the
 * mapping outlives any access racing close). Taken with {@code cmpxchg_acquire} (the queued spinlock's fast path is
 * {@code atomic_try_cmpxchg_acquire}), released with a release store. Deviation: the kernel's word
 * holds no owner; the port stores the holder's id so that the 6.15 lock can recognise an AA
 * deadlock (the kernel looks the lock up in the CPU's table of held locks) and the 5.8 lock a
 * nested reservation. The counters are in a Java array, each on its own 128 bytes, and only slow
 * paths write them.
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

    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    static final int NMI_ATTEMPTS = 0;
    static final int NMI_FAILURES = 1;
    static final int TIMEOUTS = 2;
    static final int DEADLOCKS = 3;
    static final int CONTENDED = 4;
    static final int YIELDED = 5;
    static final int PARKED = 6;
    /** 128 bytes between counters (two cache lines, against adjacent-line prefetch). */
    private static final int PAD = 16;

    /** Value of the lock word when nobody holds the lock; a holder stores its thread id (never 0). */
    static final long UNLOCKED = 0;

    /**
     * A segment starting at the ring's private metadata page ({@code struct bpf_ringbuf}; the
     * ring's whole mapping, which begins with it), which holds the lock word at
     * {@link RingBufDescriptor#META_SPINLOCK_OFFSET}, alone on its cache lines
     * ({@code ____cacheline_aligned_in_smp}).
     */
    private final MemorySegment meta;
    /**
     * Counters, each on its own 128 bytes and none on the array header's line; only slow paths
     * (contention, NMI-context calls, failures) write them, never the uncontended reserve.
     */
    private final long[] counts = new long[(PARKED + 2) * PAD];

    ReservationLock(MemorySegment meta) {
        this.meta = meta;
    }

    static ReservationLock of(LockEra era, MemorySegment meta) {
        return switch (era) {
            case SPINLOCK_5_8 -> new SpinLockIrqSave(meta);
            case RESILIENT_6_15 -> new ResilientSpinLock(meta);
        };
    }

    abstract LockEra era();

    /**
     * Takes the lock for a reservation; {@code false} means the reservation fails. The uncontended
     * acquisition outside NMI context is inlined here, the same for both eras; everything else is
     * the era's {@link #lockSlow}.
     *
     * @param inNmi whether the reservation is made in NMI-like context
     */
    final boolean lock(boolean inNmi) {
        if (!inNmi && tryAcquire()) {
            return true;
        }
        return lockSlow(inNmi);
    }

    /** {@link #lock} when not taken by the inlined fast path (NMI context, or the lock was held). */
    abstract boolean lockSlow(boolean inNmi);

    /**
     * Releases the lock ({@code spin_unlock}): a release store of 0. Pairs with the
     * {@code cmpxchg_acquire} in {@link #tryAcquire()} of the next holder.
     */
    final void unlock() {
        MappedAtomics.smpStoreReleaseLong(meta, RingBufDescriptor.META_SPINLOCK_OFFSET, UNLOCKED);
    }

    /**
     * One attempt ({@code spin_trylock}): a {@code cmpxchg_acquire} of the lock word from 0 to the
     * caller's thread id, a long CAS on native memory (no reference CAS, no GC barrier). Pairs with
     * the release store in {@link #unlock()}.
     */
    final boolean tryAcquire() {
        long me = Thread.currentThread().threadId();
        return MappedAtomics.cmpxchgAcquireLong(meta, RingBufDescriptor.META_SPINLOCK_OFFSET, UNLOCKED, me) == UNLOCKED;
    }

    final boolean heldByCurrentThread() {
        // READ_ONCE: only the current thread can have stored its own id, so no ordering is needed
        return MappedAtomics.readOnceLong(meta, RingBufDescriptor.META_SPINLOCK_OFFSET) == Thread.currentThread().threadId();
    }

    final boolean isLocked() {
        return MappedAtomics.readOnceLong(meta, RingBufDescriptor.META_SPINLOCK_OFFSET) != UNLOCKED;
    }

    final void count(int which) {
        COUNTS.getAndAdd(counts, (which + 1) * PAD, 1L);
    }

    final long counter(int which) {
        return (long) COUNTS.getVolatile(counts, (which + 1) * PAD);
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
        SpinLockIrqSave(MemorySegment meta) {
            super(meta);
        }

        @Override
        LockEra era() {
            return LockEra.SPINLOCK_5_8;
        }

        @Override
        boolean lockSlow(boolean inNmi) {
            if (inNmi) {
                count(NMI_ATTEMPTS);
                if (tryAcquire()) {
                    return true;
                }
                count(NMI_FAILURES);
                return false;
            }
            // the inlined tryAcquire in lock() failed: the lock was held a moment ago
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

        ResilientSpinLock(MemorySegment meta) {
            super(meta);
        }

        @Override
        LockEra era() {
            return LockEra.RESILIENT_6_15;
        }

        @Override
        boolean lockSlow(boolean inNmi) {
            boolean taken;
            if (inNmi) {
                count(NMI_ATTEMPTS);
                taken = tryAcquire() || acquireResilient();
            } else {
                taken = acquireResilient(); // the inlined tryAcquire in lock() failed
            }
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
