/**
 * What scenarios share: the producer's {@link dev.ringbench.benches.support.Sender}, background
 * producer threads ({@link dev.ringbench.benches.support.Producers}: the JMH thread consumes, so a
 * primary score counts records delivered; free-running producers back off after a drop with the one
 * {@link dev.ringbench.benches.support.ProducerBackoff} every channel gets), the open-loop {@link dev.ringbench.benches.support.Pacer}, the
 * {@link dev.ringbench.benches.support.LatencyRecorder} and the
 * {@link dev.ringbench.benches.support.LatencyAccount} (what became of the records due, and whether
 * an iteration was saturated), JMH aux counters (records sent, dropped,
 * delivered, wake-ups), and the side metrics: per-iteration numbers a scenario reports to
 * {@link dev.ringbench.benches.support.SideMetrics}, which
 * {@link dev.ringbench.benches.support.SideMetricsProfiler} puts into the JMH JSON's secondary
 * metrics; {@link dev.ringbench.benches.support.HdrLogs} says where HdrHistogram logs go.
 *
 * <p>May use: {@code competitors} (channels), JMH, HdrHistogram. Not the suite, the charts or the
 * scenarios.
 */
package dev.ringbench.benches.support;
