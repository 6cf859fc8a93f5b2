package dev.ringbench.ringbuf;

/**
 * The reservation lock's word ({@code rb->spinlock}) alone on its cache lines: 128 bytes of padding
 * either side (the kernel's {@code ____cacheline_aligned_in_smp}, doubled against adjacent-line
 * prefetch). Superclass fields are laid out before subclass fields, so the chain keeps the order.
 * {@link ReservationLock} extends it and accesses {@link LockWordValue#word} through a VarHandle.
 */
abstract class LockWordPadBefore {
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}

/** The word itself: 0 when free ({@link ReservationLock#UNLOCKED}), else the holder's thread id. */
abstract class LockWordValue extends LockWordPadBefore {
    long word;
}

/** Padding after the word; {@link ReservationLock}'s own fields (read-only on the fast path) follow it. */
abstract class LockWord extends LockWordValue {
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;
}
