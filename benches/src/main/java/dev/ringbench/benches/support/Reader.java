package dev.ringbench.benches.support;

import dev.ringbench.competitors.RecordHandler;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The consumer's work, the same for every competitor: read the record's first 8 bytes in place
 * (fewer for shorter records) and fold them into a checksum, so the read cannot be optimised away.
 */
public final class Reader implements RecordHandler {
    private long checksum;

    @Override
    public void onRecord(MemorySegment data, long offset, int length) {
        checksum += length >= 8 ? data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) : length;
    }

    /** For a Blackhole at the end of the trial. */
    public long checksum() {
        return checksum;
    }
}
