/**
 * The suite: the {@link dev.ringbench.benches.suite.Scenario} definition type and the registry
 * that finds every scenario through JMH's generated benchmark list, presets, parameter overrides,
 * the run plan (which JMH runs, which competitors are left out and why) and the runner that
 * executes it and writes the run directory ({@code env.json}, {@code run.json}, one JMH JSON per
 * scenario).
 *
 * <p>May use: {@code competitors} (kinds and capabilities), {@code support} (the side-metrics
 * profiler, the HdrHistogram log location), {@code parity} (the report after a kernel-bench run),
 * JMH and Jackson. Names no scenario class: scenarios are discovered, never listed.
 */
package dev.ringbench.benches.suite;
