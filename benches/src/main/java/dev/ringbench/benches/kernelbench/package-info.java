/**
 * The kernel's own ring buffer benchmark ({@code tools/testing/selftests/bpf/benchs/bench_ringbufs.c})
 * rebuilt for the {@code kernel-bench} scenario: its rows ({@link dev.ringbench.benches.kernelbench.BenchPoint}),
 * the points each preset runs ({@link dev.ringbench.benches.kernelbench.KernelBenchPoints}), and for each
 * row a buffer (the port, the perf-buffer analogue, or the live kernel's), producer triggers and a
 * consumer as the original sets them up ({@link dev.ringbench.benches.kernelbench.BenchRig}).
 *
 * <p>May use: the JDK, {@code dev.ringbench.os}, {@code dev.ringbench.ringbuf},
 * {@code dev.ringbench.perfbuf}, {@code dev.ringbench.kernel} and {@code dev.ringbench.competitors}
 * (kinds, to name the rows). Not the suite or the charts.
 */
package dev.ringbench.benches.kernelbench;
