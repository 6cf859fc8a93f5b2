package dev.ringbench.ringbuf;

/**
 * Which kernel's reservation lock a {@link BpfRingBuf} reproduces, chosen when the ring is created.
 */
public enum LockEra {
    /**
     * Linux 5.8 to 6.14: {@code spin_lock_irqsave}. A reservation in NMI context only
     * {@code spin_trylock}s and fails (returns NULL) whenever the lock is held, even when the ring has
     * space. Outside NMI it waits as long as it takes.
     */
    SPINLOCK_5_8,
    /**
     * Linux 6.15 on: {@code raw_res_spin_lock_irqsave}, the resilient queued spinlock. Taking it
     * fails after a timeout of 0.25 s or at once when it detects a deadlock (the same context
     * already holds it); NMI context is no longer special.
     */
    RESILIENT_6_15
}
