/**
 * The scenarios: one JMH class per question, each declaring beside its benchmark code its
 * {@code public static final Scenario SCENARIO} (id, question, competitors, parameters per preset,
 * per-competitor narrowing) and its {@code public static final List<ChartSpec> CHARTS}. The suite
 * finds them through JMH's benchmark list: adding a scenario is adding a class here.
 *
 * <p>May use: {@code support}, {@code competitors}, {@code ringbuf} (the scenarios that use the
 * port directly), {@code kernelbench}, {@code suite.Scenario} (the definition type, and its
 * helpers), {@code charts.ChartSpec} (the chart declarations), JMH and HdrHistogram. Numbers a
 * scenario reports go through JMH (aux counters, {@code SideMetrics}); HdrHistogram logs are the
 * only files it writes.
 */
package dev.ringbench.benches.scenarios;
