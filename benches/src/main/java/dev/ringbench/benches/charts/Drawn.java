package dev.ringbench.benches.charts;

import org.knowm.xchart.internal.chartpart.Chart;

import java.util.List;

/**
 * A drawn chart, not yet written: the file name stem ({@code <name>.png}, {@code <name>.svg}), the
 * title, the XChart chart, the series labels in legend order and the notes the chart adds to its
 * caption. {@link ChartWriter} writes it.
 */
record Drawn(String name, String title, Chart<?, ?> chart, List<String> series, List<String> notes) {
}
