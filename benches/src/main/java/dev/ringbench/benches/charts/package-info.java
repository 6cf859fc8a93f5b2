/**
 * The charts of a run: {@code java -jar benches.jar charts [dir]} draws every chart that a run
 * directory's saved results allow, as PNG and SVG with a caption, and the parity report draws its
 * two charts with the same look. It reads only saved files: the JMH JSON of each scenario with its
 * secondary metrics, the HdrHistogram logs, {@code env.json}, {@code run.json}, and the extra JSON
 * files of runs written before the side metrics went into the JMH JSON.
 *
 * <p>Flow: {@link dev.ringbench.benches.charts.Charts} (the command) → {@code RunDrawing} (one run:
 * scenarios, messages, summary) → {@code ChartRenderer} (one spec) → {@code PointReader} (values
 * from {@code RunData}) → {@code LineChart}, {@code BarChart} or {@code PercentilePlot} (one
 * builder per chart type, with {@code SeriesOrder}, {@code Split}, {@code Axes}, {@code Style},
 * {@code Palette}) → {@code ChartWriter} (PNG, and SVG compacted by {@code SvgCompactor}, with
 * {@code Captions}). Which charts exist is declared by each scenario beside its code
 * ({@link dev.ringbench.benches.charts.ChartSpec}), collected by {@code ChartSpecs}.
 *
 * <p>May use: the JDK (AWT and ImageIO, headless), XChart, VectorGraphics2D, HdrHistogram and
 * Jackson; in this project only the suite's scenario definitions
 * ({@code dev.ringbench.benches.suite.Scenario}: ids, order, declared charts). It names competitor
 * kinds by the strings in the result files ({@code Kinds}): it must not use the competitors' classes
 * ({@code dev.ringbench.competitors}) nor run anything. Used by {@code dev.ringbench.benches.Main}
 * (the command) and {@code dev.ringbench.benches.parity} ({@link dev.ringbench.benches.charts.ParityChart},
 * {@link dev.ringbench.benches.charts.Charts#machineLine}, {@link dev.ringbench.benches.charts.RunData#parseResults}).
 */
package dev.ringbench.benches.charts;
