package dev.ringbench.ringbuf;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * The port's {@code epoll} instance: one per consumer (or user-ring producer), registered on the
 * wait queue of every ring it watches. Level-triggered, as libbpf registers its rings:
 * {@link #await} returns at once if a ring is ready on entry; otherwise it sleeps until a wake-up
 * arrives and a ring is then ready, or the timeout passes. It never re-checks on a timer: a commit
 * that sends no wake-up leaves it asleep until the timeout. A spurious return from
 * {@link LockSupport#park} (Java allows them) does not count as a wake-up.
 *
 * <p>Lost-wake-up freedom: the sleeper publishes itself ({@link #sleeper}, volatile) and issues a
 * full barrier before it checks the rings (the kernel's {@code set_current_state}); a producer
 * publishes its record with a full barrier ({@code xchg} of the header) before it reads the
 * sleeper in {@link #wake()}. One of the two must see the other.
 */
final class PollWaiter {
    /** Result of {@link #await}: a ring is ready. */
    static final int READY = 1;
    /** Result of {@link #await}: the timeout passed. */
    static final int TIMED_OUT = 0;

    private volatile Thread sleeper;
    private volatile boolean woken;
    private volatile boolean closed;

    /** Called by the wake-up work: marks the waiter woken and unparks it if it sleeps. */
    void wake() {
        woken = true;
        Thread t = sleeper;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Closes the waiter; a thread in {@link #await} returns {@link Errno#EBADF}. */
    void close() {
        closed = true;
        wake();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * {@code epoll_wait} on a level-triggered set.
     *
     * @param ready     checks every watched ring: positive when one is ready, 0 when none is, or a
     *                  negative errno (a ring was closed) that is returned at once
     * @param timeoutMs -1 waits forever, 0 checks once, otherwise milliseconds
     * @return {@link #READY}, {@link #TIMED_OUT}, {@link Errno#EINTR} if interrupted (the
     *         interrupt status stays set), {@link Errno#EBADF} if closed, or the errno {@code ready}
     *         reported
     */
    int await(IntSupplier ready, int timeoutMs) {
        if (closed) {
            return Errno.EBADF;
        }
        int r = ready.getAsInt();
        if (r != 0) {
            return r > 0 ? READY : r;
        }
        if (timeoutMs == 0) {
            return TIMED_OUT;
        }
        long deadline = timeoutMs < 0 ? 0 : System.nanoTime() + timeoutMs * 1_000_000L;
        woken = false;
        sleeper = Thread.currentThread();
        Atomics.smpMb(); // set_current_state(): publish the sleeper before checking the rings
        try {
            boolean check = true; // check once after registering, then only after a wake-up
            while (true) {
                if (closed) {
                    return Errno.EBADF;
                }
                if (check && (r = ready.getAsInt()) != 0) {
                    return r > 0 ? READY : r;
                }
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    return Errno.EINTR;
                }
                if (timeoutMs < 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return TIMED_OUT;
                    }
                    LockSupport.parkNanos(this, left);
                }
                check = woken;
                if (check) {
                    woken = false;
                    Atomics.smpMb();
                }
            }
        } finally {
            sleeper = null;
        }
    }
}
