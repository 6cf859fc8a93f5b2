/**
 * Adapters: the real kernel's BPF ring buffer and perf buffer as channels, fed by BPF programs
 * under {@code BPF_PROG_TEST_RUN} and consumed by the port's and the analogue's consumers.
 *
 * <p>May use: the JDK, {@code dev.ringbench.kernel}, {@code dev.ringbench.ringbuf},
 * {@code dev.ringbench.perfbuf}, the consumer sides of {@code competitors.bpfringbuf} and
 * {@code competitors.perfbuf}, and {@code dev.ringbench.competitors} (the channel interface, not
 * {@code ChannelKind}).
 */
package dev.ringbench.competitors.kernel;
