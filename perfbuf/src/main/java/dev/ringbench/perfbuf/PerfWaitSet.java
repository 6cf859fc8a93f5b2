package dev.ringbench.perfbuf;

/**
 * A {@link PerfBuffer}'s {@code epoll} instance: the analogue's {@link dev.ringbench.os.PollWaiter} over the
 * rings' poll flags, or a real epoll fd over perf event fds. As in the kernel, a ring is ready
 * when a wake-up was sent since it was last reported ({@code perf_poll} takes the flag), not when
 * it holds data.
 */
public interface PerfWaitSet {
    /**
     * {@code epoll_ctl(ADD)}: watch {@code ring} as ring {@code index}.
     *
     * @return 0, or a negative errno (-EINVAL for a ring of another kind than the set's)
     * @throws IllegalStateException if the ring already has a consumer (the analogue's rule)
     */
    int add(int index, PerfRingSource ring);

    /**
     * {@code epoll_wait}: waits up to {@code timeoutMs} (-1: forever, 0: no wait) until a ring was
     * woken, and sets {@code ready[i]} for every ring that was.
     *
     * @return the number of ready rings; 0 on timeout; -EINTR if interrupted; -EBADF once shut down
     */
    int await(boolean[] ready, int timeoutMs);

    /**
     * Wake-ups received: waits that found no ring ready on entry, slept, and returned because a
     * wake-up made a ring ready (a timeout, or a wait that found a ring ready on entry, is not
     * one). The one event the suite counts as a wake-up for every consumer, as
     * {@code RingWaitSet.wakeups()} does for ring buffer consumers.
     */
    long wakeups();

    /** Releases a waiting thread; it and every later {@link #await} return -EBADF. */
    void shutdown();

    /** Whether {@link #shutdown()} was called. */
    boolean isShutdown();

    /** Shuts down and stops watching every ring ({@code epoll_ctl(DEL)}, close). */
    void close();
}
