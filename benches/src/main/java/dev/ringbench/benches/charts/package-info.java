/**
 * The charts of a run directory ({@code java -jar benches.jar charts}): reads only saved files
 * (the JMH JSON of each scenario with its secondary metrics, the HdrHistogram logs,
 * {@code env.json}, {@code run.json}, and the extra JSON files of runs written before the side
 * metrics went into the JMH JSON) and draws the charts each scenario declares
 * ({@link dev.ringbench.benches.charts.ChartSpec}, collected by {@code ChartSpecs}).
 *
 * <p>May use: {@code suite.Scenario} (the scenarios and their order), competitors' kind names,
 * Jackson, HdrHistogram, XChart. Not the scenario classes directly: their chart declarations are
 * read through the registry. ({@code parity} uses this package to draw its chart.)
 */
package dev.ringbench.benches.charts;
