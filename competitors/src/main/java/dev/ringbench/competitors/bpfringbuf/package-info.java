/**
 * Adapter: the BPF ring buffer port as a channel, and the consumer side that every BPF ring
 * buffer channel holds ({@link dev.ringbench.competitors.bpfringbuf.RingConsumerSide}, also used
 * by the kernel ring buffer channel).
 *
 * <p>May use: the JDK, {@code dev.ringbench.os}, {@code dev.ringbench.ringbuf} and
 * {@code dev.ringbench.competitors} (the channel interface, not {@code ChannelKind}).
 */
package dev.ringbench.competitors.bpfringbuf;
