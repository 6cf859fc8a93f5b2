/**
 * Adapter: the LMAX Disruptor (multi-producer ring of slots) as a channel, with each of its wait
 * strategies.
 *
 * <p>May use: the JDK, the Disruptor and {@code dev.ringbench.competitors} (the channel
 * interface, not {@code ChannelKind}).
 */
package dev.ringbench.competitors.disruptor;
