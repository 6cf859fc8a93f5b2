package dev.ringbench.competitors;

/**
 * The parts of a channel that do not depend on its buffer: its kind's capabilities, its producers,
 * the largest record it takes, and its consumer side. An adapter that holds one implements
 * {@link Channel} through {@link Channel.Assembled}, which answers those calls from the parts, and
 * writes only what is its own (wait strategy, counters, memory, close). Composition, not a base
 * class: the parts are final and the adapter's fields stay private.
 */
public record ChannelParts(Capabilities capabilities, ChannelProducer[] producers, int maxRecordLength,
                           ConsumerSide consumer) {
}
