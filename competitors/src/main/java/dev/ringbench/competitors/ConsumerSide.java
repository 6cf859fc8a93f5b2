package dev.ringbench.competitors;

/**
 * The consumer half of a channel, as {@link Channel} exposes it: what a shared consumer-side
 * helper (the BPF ring buffers' {@code RingConsumerSide}, the perf buffers' {@code PerfConsumerSide})
 * provides, so that {@link ChannelParts} can hand it the channel's consumer calls.
 */
public interface ConsumerSide {
    /** {@link Channel#poll}. */
    int poll(RecordHandler handler, int limit);

    /** {@link Channel#await}. */
    int await(RecordHandler handler, int limit, long timeoutNanos);

    /** {@link Channel#shutdown}. */
    void shutdown();
}
