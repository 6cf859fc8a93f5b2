package dev.ringbench.competitors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The test payload: producer id (int), sequence (long), checksum (int) over the pattern bytes
 * that fill the rest. Any corruption, truncation or mix-up of two records fails {@link #check}.
 */
final class Records {
    static final int HEADER = 16;

    private Records() {
    }

    /** Payload length for record {@code seq}: varies from 16 to {@code max} so records wrap at odd offsets. */
    static int length(long seq, int max) {
        return max <= HEADER ? HEADER : HEADER + (int) ((seq * 37) % (max - HEADER + 1));
    }

    static void write(MemorySegment buf, long off, int producer, long seq, int length) {
        buf.set(ValueLayout.JAVA_INT_UNALIGNED, off, producer);
        buf.set(ValueLayout.JAVA_LONG_UNALIGNED, off + 4, seq);
        int sum = 0;
        for (int i = HEADER; i < length; i++) {
            byte b = pattern(producer, seq, i);
            buf.set(ValueLayout.JAVA_BYTE, off + i, b);
            sum = sum * 31 + b;
        }
        buf.set(ValueLayout.JAVA_INT_UNALIGNED, off + 12, sum);
    }

    static int producer(MemorySegment buf, long off) {
        return buf.get(ValueLayout.JAVA_INT_UNALIGNED, off);
    }

    static long seq(MemorySegment buf, long off) {
        return buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off + 4);
    }

    /** Null when the record is intact, else what is wrong. */
    static String check(MemorySegment buf, long off, int length, int maxLength) {
        int producer = producer(buf, off);
        long seq = seq(buf, off);
        if (length != length(seq, maxLength)) {
            return "record " + producer + "/" + seq + " has length " + length;
        }
        int sum = 0;
        for (int i = HEADER; i < length; i++) {
            byte b = buf.get(ValueLayout.JAVA_BYTE, off + i);
            if (b != pattern(producer, seq, i)) {
                return "record " + producer + "/" + seq + " corrupt at byte " + i;
            }
            sum = sum * 31 + b;
        }
        return sum == buf.get(ValueLayout.JAVA_INT_UNALIGNED, off + 12) ? null : "checksum of " + producer + "/" + seq;
    }

    private static byte pattern(int producer, long seq, int i) {
        return (byte) (producer * 131 + seq * 17 + i);
    }
}
