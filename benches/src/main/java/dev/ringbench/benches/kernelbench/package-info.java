/**
 * The kernel's own ring buffer benchmark ({@code bench_ringbufs.c}) rebuilt for the
 * {@code kernel-bench} scenario: its rows ({@link dev.ringbench.benches.kernelbench.BenchPoint}),
 * the points each preset runs ({@link dev.ringbench.benches.kernelbench.KernelBenchPoints}), the
 * batch triggers, its four consumers and the rig that combines them.
 *
 * <p>May use: {@code competitors}, {@code ringbuf}, {@code kernel}. Not the suite or the charts.
 */
package dev.ringbench.benches.kernelbench;
