package dev.ringbench.ringbuf;

import java.util.function.IntSupplier;

/**
 * A consumer's "epoll instance": the rings it sleeps on. Level-triggered, as libbpf registers its
 * rings: {@link #await} returns at once if {@code ready} reports a ring ready on entry; otherwise it
 * sleeps until a wake-up arrives (and a ring is then ready) or the timeout passes, never re-checking
 * the rings on a timer. Used by one thread at a time; {@link #close()} from any thread.
 */
public interface RingWaitSet extends AutoCloseable {
    /** Result of {@link #await}: a ring is ready. */
    int READY = 1;
    /** Result of {@link #await}: the timeout passed. */
    int TIMED_OUT = 0;

    /** {@code epoll_ctl(ADD)}: 0, or -EINVAL when this set cannot wait on that kind of ring. */
    int add(RingSource ring);

    /** {@code epoll_ctl(DEL)}; no-op for a ring not added. */
    void remove(RingSource ring);

    /**
     * {@code epoll_wait}.
     *
     * @param ready     checks every watched ring: positive when one is ready, 0 when none is, or a
     *                  negative errno that is returned at once
     * @param timeoutMs -1 waits forever, 0 checks once, otherwise milliseconds
     * @return {@link #READY}, {@link #TIMED_OUT}, -EINTR if interrupted, -EBADF once closed, or
     *         the errno {@code ready} reported
     */
    int await(IntSupplier ready, int timeoutMs);

    /**
     * Wake-ups received: waits that found no ring ready on entry, slept, and returned with a ring
     * ready. The one event the suite counts as a wake-up for every consumer, port or kernel.
     */
    long wakeups();

    /** Closes the set; a thread in {@link #await} returns -EBADF. Idempotent. */
    @Override
    void close();
}
