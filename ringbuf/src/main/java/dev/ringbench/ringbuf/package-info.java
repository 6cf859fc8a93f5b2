/**
 * The port of {@code kernel/bpf/ringbuf.c} and libbpf's ring consumer and user-ring producer:
 * {@link dev.ringbench.ringbuf.BpfRingBuf} (the kernel side: reserve, commit, discard, output,
 * wake-ups), {@link dev.ringbench.ringbuf.RingBufConsumer} (libbpf's {@code ring_buffer}),
 * {@link dev.ringbench.ringbuf.UserRingBuf} and {@link dev.ringbench.ringbuf.UserRingBufProducer}
 * (the user ring buffer), their layout ({@link dev.ringbench.ringbuf.RingBufDescriptor}) and
 * memory ({@code RingMemory}: the data pages mapped twice).
 *
 * <p>May use: the JDK and {@code dev.ringbench.os} (memory ordering, errno, libc, the poll
 * waiter). Used by: {@code kernel} (its maps are consumed through
 * {@link dev.ringbench.ringbuf.RingSource}), {@code ringbuf-stress}, {@code competitors},
 * {@code benches}.
 */
package dev.ringbench.ringbuf;
