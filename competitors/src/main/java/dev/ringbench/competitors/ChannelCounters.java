package dev.ringbench.competitors;

/**
 * Counters every adapter keeps, as a snapshot.
 *
 * @param delivered    records handed to the consumer
 * @param drops        records a producer could not place (reservation or offer failed)
 * @param wakeups      wake-ups sent to the consumer (0 for spinning and polling strategies)
 * @param nmiFailures  NMI-context reservations that failed to take the ring's lock (BPF ring buffer)
 * @param lostReported lost records the consumer was told about (perf buffer LOST records)
 */
public record ChannelCounters(long delivered, long drops, long wakeups, long nmiFailures, long lostReported) {
}
