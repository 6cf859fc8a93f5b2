/**
 * The real kernel from Java, through FFM: {@code bpf(2)} ({@link dev.ringbench.kernel.Bpf}), BPF
 * programs assembled here ({@link dev.ringbench.kernel.BpfAsm}) and run with
 * {@code BPF_PROG_TEST_RUN}, the BPF ring buffer and user ring buffer maps
 * ({@link dev.ringbench.kernel.KernelRingBuf}, {@link dev.ringbench.kernel.KernelUserRingBuf}) and
 * the perf event array ({@link dev.ringbench.kernel.PerfEventArray}, its rings as
 * {@link dev.ringbench.kernel.KernelPerfRing}), waited on with a real {@code epoll}: the kernel as
 * a peer of the port and as its oracle.
 *
 * <p>May use: the JDK, {@code dev.ringbench.os} (libc, errno, wake mechanisms),
 * {@code dev.ringbench.ringbuf} (the kernel's ring buffer is read through the port's
 * {@code RingSource}) and {@code dev.ringbench.perfbuf} (the kernel's perf rings through the
 * analogue's {@code PerfRingSource}). Used by: {@code competitors}, {@code benches}.
 */
package dev.ringbench.kernel;
