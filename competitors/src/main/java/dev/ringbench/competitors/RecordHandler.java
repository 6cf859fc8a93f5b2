package dev.ringbench.competitors;

import java.lang.foreign.MemorySegment;

/**
 * Receives one record: {@code length} payload bytes at {@code offset} in {@code data}. The memory
 * is valid only during the call.
 */
@FunctionalInterface
public interface RecordHandler {
    void onRecord(MemorySegment data, long offset, int length);
}
