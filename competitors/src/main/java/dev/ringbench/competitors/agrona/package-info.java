/**
 * Adapter: Agrona's many-to-one and one-to-one byte ring buffers as a channel.
 *
 * <p>May use: the JDK, Agrona and {@code dev.ringbench.competitors} (the channel interface, not
 * {@code ChannelKind}).
 */
package dev.ringbench.competitors.agrona;
