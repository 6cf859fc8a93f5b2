package dev.ringbench.competitors.perfbuf;

import dev.ringbench.ringbuf.Errno;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * The consumer's {@code epoll} instance: one per {@link PerfBuffer}, attached to every ring it
 * watches ({@code epoll_ctl(ADD)} on each ring's perf event fd). {@link #await} returns at once if a
 * ring is ready on entry; otherwise it sleeps until a wake-up arrives and a ring is then ready, or
 * the timeout passes. It never re-checks on a timer. A spurious return from
 * {@link LockSupport#park} (Java allows them) does not count as a wake-up.
 *
 * <p>Lost-wake-up freedom: the sleeper publishes itself ({@link #sleeper}, volatile) and issues a
 * full barrier before it checks the rings (the kernel's {@code set_current_state}); a producer sets
 * its ring's poll flag (volatile) before it reads the sleeper in {@link #wake()}. One of the two
 * must see the other.
 */
final class PerfPollWaiter {
    private volatile Thread sleeper;
    private volatile boolean woken;
    private volatile boolean closed;

    /** The ring's wake-up work ({@code wake_up_all(&event->waitq)}): marks the waiter woken, unparks it. */
    void wake() {
        woken = true; // pairs with the sleeper's read of woken after park
        Thread t = sleeper; // pairs with the sleeper's store of itself before its smp_mb
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Closes the waiter; a thread in {@link #await} returns -EBADF, and so does every later call. */
    void close() {
        closed = true;
        wake();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * {@code epoll_wait}.
     *
     * @param ready     collects the ready rings: their number (positive), 0 when none is ready, or a
     *                  negative errno returned at once
     * @param timeoutMs -1 (any negative) waits forever, 0 checks once, otherwise milliseconds
     * @return what {@code ready} returned when positive, 0 on timeout, -EINTR if interrupted (the
     *         interrupt status stays set), -EBADF if closed
     */
    int await(IntSupplier ready, int timeoutMs) {
        if (closed) {
            return Errno.EBADF;
        }
        int r = ready.getAsInt();
        if (r != 0 || timeoutMs == 0) {
            return r;
        }
        long deadline = timeoutMs < 0 ? 0 : System.nanoTime() + timeoutMs * 1_000_000L;
        woken = false;
        sleeper = Thread.currentThread();
        Atomics.smpMb(); // set_current_state(): publish the sleeper, pairs with wake()'s read of it
        try {
            boolean check = true; // once after registering, then only after a wake-up
            while (true) {
                if (closed) {
                    return Errno.EBADF;
                }
                if (check && (r = ready.getAsInt()) != 0) {
                    return r;
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
                        return 0;
                    }
                    LockSupport.parkNanos(this, left);
                }
                check = woken;
                if (check) {
                    woken = false;
                    Atomics.smpMb(); // clear woken before re-checking, so a wake-up after the check is seen
                }
            }
        } finally {
            sleeper = null;
        }
    }
}
