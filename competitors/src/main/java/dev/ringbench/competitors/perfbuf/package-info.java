/**
 * Adapter: the perf-buffer analogue ({@code dev.ringbench.perfbuf}, module {@code perfbuf}) as a
 * channel, and the consumer side that every perf-buffer channel holds
 * ({@link dev.ringbench.competitors.perfbuf.PerfConsumerSide}, also used by the kernel perf buffer
 * channel).
 *
 * <p>May use: the JDK, {@code dev.ringbench.os}, {@code dev.ringbench.perfbuf} and
 * {@code dev.ringbench.competitors} (the channel interface, not {@code ChannelKind}).
 */
package dev.ringbench.competitors.perfbuf;
