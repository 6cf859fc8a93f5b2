/**
 * How the suite summarises samples ({@link dev.ringbench.benches.stats.Stats}): median of every
 * iteration of every fork with the interquartile range as spread, in one place for the charts, the
 * parity report and the spread report.
 *
 * <p>May use: the JDK only. Used by {@code charts} and {@code parity}.
 */
package dev.ringbench.benches.stats;
