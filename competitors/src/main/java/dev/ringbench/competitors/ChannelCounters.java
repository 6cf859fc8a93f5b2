package dev.ringbench.competitors;

/**
 * Counters every adapter keeps, as a snapshot. The two wake-up counts mean the same event for
 * every kind ({@link Channel#counters()} defines them):
 *
 * @param delivered     records handed to the consumer
 * @param drops         records a producer could not place (reservation or offer failed)
 * @param notifications producer side: times a producer actually signalled a possibly sleeping
 *                      consumer (0 for kinds whose consumer is never signalled); -1 where the
 *                      channel cannot observe it ({@link #NOT_OBSERVABLE}: the kernel's rings)
 * @param wakeups       consumer side: waits that slept and returned because they were signalled,
 *                      with a record to read (0 for spinning and polling consumers)
 * @param nmiFailures   NMI-context reservations that failed to take the ring's lock (BPF ring buffer)
 * @param lostReported  lost records the consumer was told about (perf buffer LOST records)
 */
public record ChannelCounters(long delivered, long drops, long notifications, long wakeups, long nmiFailures,
                              long lostReported) {
    /**
     * {@link #notifications()} of a channel that cannot see them: the kernel counts neither the
     * {@code irq_work} it queues for a ring buffer nor the wake-ups a perf event sends.
     */
    public static final long NOT_OBSERVABLE = -1;
}
