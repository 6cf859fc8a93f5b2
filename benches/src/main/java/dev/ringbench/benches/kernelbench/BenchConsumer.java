package dev.ringbench.benches.kernelbench;

/** The consumer side of one kernel-benchmark row: one {@code poll(-1)} (or epoll + custom loop) and its records. Used by one thread. */
interface BenchConsumer extends AutoCloseable {
    /**
     * Waits up to {@code timeoutMs} for a notification (returning at once if records are there, as
     * the consumer's level-triggered epoll does), then consumes what is available.
     *
     * @return records consumed (hits); 0 on timeout
     * @throws IllegalStateException on an error from the consumer (a negative errno)
     */
    int poll(int timeoutMs);

    /** Wake-ups received ({@code RingWaitSet#wakeups}, {@code PerfWaitSet#wakeups}). */
    long wakeups();

    @Override
    void close();
}
