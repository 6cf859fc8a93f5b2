/**
 * Adapter: JCTools' MPSC queues of pooled events as a channel.
 *
 * <p>May use: the JDK, JCTools and {@code dev.ringbench.competitors} (the channel interface, not
 * {@code ChannelKind}).
 */
package dev.ringbench.competitors.jctools;
