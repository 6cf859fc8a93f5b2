/**
 * The parity report ({@code java -jar benches.jar parity <run>}, and after a suite run that held
 * {@code kernel-bench}): each row of the kernel benchmark set beside the kernel's published 2020
 * numbers ({@link dev.ringbench.benches.parity.Published}), the medians and spreads of a run's
 * per-iteration samples ({@link dev.ringbench.benches.stats.Stats}), and the original authors' six
 * conclusions evaluated on them for the live kernel and the port
 * ({@link dev.ringbench.benches.parity.Conclusions}); writes {@code parity.json}, {@code parity.txt}
 * and two charts.
 *
 * <p>May use: the JDK, Jackson, and {@code dev.ringbench.benches.charts} (to read results and draw
 * its charts with the same look). Reads only saved files; runs nothing. Used by the command line,
 * which also hands it to the suite runner as the report to write after a run.
 */
package dev.ringbench.benches.parity;
