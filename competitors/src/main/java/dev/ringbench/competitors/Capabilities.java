package dev.ringbench.competitors;

/**
 * What a channel can do, declared by its adapter.
 *
 * @param variableLength   records use only the bytes they need (false: fixed-size slots)
 * @param reserveCommit    a producer can reserve space, write in place, then commit
 * @param discard          a reserved record can be given up and the consumer never sees it
 * @param globalOrder      the consumer sees records in one order across all producers (the order
 *                         space was reserved in)
 * @param blockingConsumer the consumer can sleep until woken, rather than spin or poll
 * @param multiProducer    more than one producer may share the channel
 */
public record Capabilities(boolean variableLength, boolean reserveCommit, boolean discard,
                           boolean globalOrder, boolean blockingConsumer, boolean multiProducer) {
}
