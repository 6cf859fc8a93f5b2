/**
 * The channel every competitor is put behind ({@link dev.ringbench.competitors.Channel},
 * {@link dev.ringbench.competitors.ChannelProducer}, its config, counters and
 * {@link dev.ringbench.competitors.Capability capabilities}), and the registry of competitors
 * ({@link dev.ringbench.competitors.ChannelKind}): each kind states its capabilities once and
 * builds its channel with an adapter's factory.
 *
 * <p>May use: the JDK, the adapter packages below it (only {@code ChannelKind} does), and
 * {@code dev.ringbench.ringbuf} / {@code dev.ringbench.kernel} for the lock era, the consumer
 * loop and whether the kernel can be driven. The adapters use this package; nothing in it but
 * {@code ChannelKind} uses them, and no adapter uses {@code ChannelKind}.
 */
package dev.ringbench.competitors;
