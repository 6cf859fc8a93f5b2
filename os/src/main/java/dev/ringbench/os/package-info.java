/**
 * What the port ({@code ringbuf}), the perf-buffer analogue ({@code perfbuf}) and the kernel
 * bindings ({@code kernel}) share, each piece once: the memory-ordering vocabulary in the
 * kernel's words ({@link dev.ringbench.os.Atomics}; unchecked for the producers' hot paths:
 * {@link dev.ringbench.os.MappedAtomics}, on {@link dev.ringbench.os.MappedMemory}), the negative errno values
 * ({@link dev.ringbench.os.Errno}), the libc calls bound with FFM
 * ({@link dev.ringbench.os.Libc}), and a consumer's epoll instance as the port implements it
 * ({@link dev.ringbench.os.PollWaiter}, woken by {@link dev.ringbench.os.WakeMechanism}).
 *
 * <p>May use: the JDK only. Used by: {@code ringbuf}, {@code perfbuf}, {@code kernel}, and the
 * modules above them.
 */
package dev.ringbench.os;
