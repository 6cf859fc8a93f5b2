/**
 * The command line of {@code benches.jar} ({@code Main}: run, list, charts, parity, wakeup, jmh,
 * demo), the JMH pass-through that adds the forks' JVM flags and the side-metrics profiler, the
 * wake-up table and the port demo.
 *
 * <p>May use every package of the module; nothing in the module uses this one.
 */
package dev.ringbench.benches;
