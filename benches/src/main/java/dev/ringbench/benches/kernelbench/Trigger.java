package dev.ringbench.benches.kernelbench;

/**
 * The producer side of one kernel-benchmark row: {@code bufs_trigger_batch()}, which in the
 * original is one {@code getpgid()} whose fentry program emits {@link BenchPoint#batch()} records.
 * Producer {@code i} is used by one thread at a time; {@link #drops()} from any thread.
 */
interface Trigger extends AutoCloseable {
    /** Emits one batch as producer {@code producer}; full-ring failures are counted as drops. */
    void triggerBatch(int producer);

    /** Records that did not fit, over all producers, so far. */
    long drops();

    /** How one batch is triggered, for the results (the kernel rows: one bpf(2) syscall). */
    String description();

    @Override
    void close();
}
