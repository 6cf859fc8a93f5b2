package dev.ringbench.benches.support;

import dev.ringbench.competitors.RecordHandler;
import org.HdrHistogram.Histogram;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The latency scenarios' consumer work: reads the intended send time a {@link Pacer} stamped into
 * the record's first 8 bytes, in place, and while {@link #recording} records
 * {@code receive time - intended send time} (ns, {@link System#nanoTime()}) in its histogram:
 * negative values as 0, values above the highest trackable clamped to it. Open loop against the
 * intended time, so a stalled producer or consumer shows up as latency (no coordinated omission).
 */
public final class LatencyRecorder implements RecordHandler {
    private final Histogram histogram;
    private final long highestTrackableNs;
    /** Whether records are recorded (they are always counted); set by the consumer thread. */
    public boolean recording = true;
    /** Records seen, recorded or not. */
    public long records;
    /** Sum of the intended times seen (keeps the read from being optimised away). */
    public long checksum;

    /** A histogram of 3 significant digits up to {@code highestTrackableNs}. */
    public LatencyRecorder(long highestTrackableNs) {
        this.highestTrackableNs = highestTrackableNs;
        this.histogram = new Histogram(highestTrackableNs, 3);
    }

    /** The histogram being recorded into (reset it between intervals). */
    public Histogram histogram() {
        return histogram;
    }

    /** Starts a new interval: an empty histogram and {@link #records} 0 (the consumer thread, between iterations). */
    public void reset() {
        histogram.reset();
        records = 0;
    }

    @Override
    public void onRecord(MemorySegment data, long offset, int length) {
        long now = System.nanoTime();
        long intended = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
        records++;
        checksum += intended;
        if (recording) {
            long latency = now - intended;
            histogram.recordValue(Math.min(Math.max(latency, 0), highestTrackableNs));
        }
    }
}
