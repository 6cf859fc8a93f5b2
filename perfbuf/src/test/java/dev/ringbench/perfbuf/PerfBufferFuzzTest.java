package dev.ringbench.perfbuf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ringbench.os.Errno;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_HEAD_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_TAIL_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.HEADER_SIZE;
import static dev.ringbench.perfbuf.PerfBufDescriptor.LOST_COUNT_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.LOST_RECORD_SIZE;
import static dev.ringbench.perfbuf.PerfBufDescriptor.PERF_RECORD_LOST;
import static dev.ringbench.perfbuf.PerfBufDescriptor.PERF_RECORD_SAMPLE;
import static dev.ringbench.perfbuf.PerfBufDescriptor.RAW_DATA_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.RAW_SIZE_OFFSET;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Fuzzes the perf analogue's consumer ({@link PerfBuffer}, libbpf's {@code perf_event_read_simple})
 * against a hostile ring: {@code data_head}, {@code data_tail} and every byte of the data pages
 * come from the input. Each input is compared with a model of the consumer's documented rules
 * written over a plain array: the same return value (samples, or -EINVAL for a misaligned tail, a
 * head more than a ring ahead, a header whose size is below 8, not a multiple of 8 or beyond the
 * head, a raw_size beyond its record, a LOST record too short, an unknown type), the same samples
 * (bytes compared, wrapped records included), the same LOST counts, the same {@code data_tail}
 * afterwards (a bad header is not consumed). Every sample must be a read-only segment holding its
 * bytes; any exception is a finding.
 *
 * <p>Input layout (little-endian, missing bytes read as 0): [0] bits 0-1 which call
 * ({@code consume}, {@code consumeN}, {@code consumeRing}), bits 2-4 how {@code data_head} is
 * derived, bit 5 a raw (possibly misaligned) {@code data_tail}; [1..9) tail material; [9..17)
 * head material; [17] consumeN's limit; [18..) the data bytes from the tail's offset on,
 * wrapping; the rest of the 4096-byte ring holds 0xFF (a size no record has).
 */
class PerfBufferFuzzTest {
    static final int SIZE = 4096;
    static final int MASK = SIZE - 1;
    private static final PerfRing RING = PerfRing.create(0, 1, 1, 0);
    private static final Events GOT = new Events();
    private static final Events WANT = new Events();
    private static final PerfBuffer PB = PerfBuffer.create(new PerfRing[] {RING}, PerfBufferFuzzTest::onSample,
            (ring, lost) -> GOT.add(-1, lost));
    /** The ring's bytes, twice back to back, so a wrapped record reads contiguously. */
    private static final byte[] SNAPSHOT = new byte[2 * SIZE];
    private static final MemorySegment SNAPSHOT_SEG = MemorySegment.ofArray(SNAPSHOT);
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Ring offset of the record being delivered, per the model, for the byte comparison. */
    private static int expectAt;

    /** Samples (ring offset of the payload, or -1 for a LOST record) and lengths or LOST counts. */
    static final class Events {
        long[] at = new long[64];
        long[] val = new long[64];
        int n;

        void add(long a, long v) {
            if (n == at.length) {
                at = Arrays.copyOf(at, 2 * n);
                val = Arrays.copyOf(val, 2 * n);
            }
            at[n] = a;
            val[n] = v;
            n++;
        }

        boolean sameAs(Events o) {
            return n == o.n && Arrays.equals(at, 0, n, o.at, 0, n) && Arrays.equals(val, 0, n, o.val, 0, n);
        }
    }

    private static void onSample(MemorySegment data, long offset, int length) {
        if (!data.isReadOnly()) {
            throw new AssertionError("sample is writable");
        }
        if (offset < 0 || length < 0 || offset + length > data.byteSize()) {
            throw new AssertionError("sample [" + offset + ", +" + length + ") outside its segment of " + data.byteSize());
        }
        // which record the model says comes next; its bytes must be these
        int i = GOT.n;
        long at = i < WANT.n ? WANT.at[i] : -2;
        if (at >= 0 && MemorySegment.mismatch(data, offset, offset + length, SNAPSHOT_SEG, at, at + length) != -1) {
            throw new AssertionError("sample " + i + " does not hold the bytes at ring offset " + at);
        }
        GOT.add(at, length);
    }

    @FuzzTest(maxDuration = "30s")
    void consumerSurvivesHostileRing(byte[] input) {
        Objects.requireNonNull(input);
        int mode = u8(input, 0);
        long tailMaterial = u64(input, 1);
        long m = u64(input, 9);
        long tail = (mode & 32) != 0 ? tailMaterial : 8 * (tailMaterial & 0xFFFF_FFFFL);
        long head = switch ((mode >>> 2) & 7) {
            case 0 -> tail + 8 * (m & 0x3FF);    // aligned, up to two rings ahead
            case 1 -> tail + (m & 0xFFF);        // any alignment, near
            case 2 -> m;                         // anything
            case 3 -> tail - 8 * (m & 0xFF);     // behind the tail
            default -> tail + 8 * (m & 0x1FF);   // aligned, within the ring
        };
        long limit = 1 + u8(input, 17);

        Arrays.fill(SNAPSHOT, 0, SIZE, (byte) 0xFF);
        for (int i = 18; i < input.length && i - 18 < SIZE; i++) {
            SNAPSHOT[(int) ((tail + i - 18) & MASK)] = input[i];
        }
        System.arraycopy(SNAPSHOT, 0, SNAPSHOT, SIZE, SIZE);
        MemorySegment.copy(SNAPSHOT_SEG, 0, RING.dataPages(), 0, SIZE);
        RING.controlPage().set(JAVA_LONG, DATA_TAIL_OFFSET, tail);
        RING.controlPage().set(JAVA_LONG, DATA_HEAD_OFFSET, head);

        int call = mode & 3;
        long n = call == 1 ? limit : Long.MAX_VALUE;
        WANT.n = 0;
        long[] wantTail = {tail};
        long want = model(tail, head, n, wantTail);
        GOT.n = 0;
        long got = switch (call) {
            case 1 -> PB.consumeN(limit);
            case 2 -> PB.consumeRing(0);
            default -> PB.consume();
        };
        long tailAfter = RING.dataTail();
        if (got != want || tailAfter != wantTail[0] || !GOT.sameAs(WANT)) {
            throw new AssertionError("drain differs from the model: tail=" + tail + " head=" + head + " call=" + call
                    + ": returned " + got + " (model " + want + "), data_tail " + tailAfter + " (model " + wantTail[0]
                    + "), " + GOT.n + " events (model " + WANT.n + ")");
        }
    }

    /** The analogue's drain rules (PerfBuffer's class comment) over the snapshot. */
    static long model(long tail, long head, long limit, long[] tailOut) {
        if ((tail & 7) != 0 || Long.compareUnsigned(head - tail, SIZE) > 0) {
            return Errno.EINVAL;
        }
        long samples = 0;
        while (tail != head && samples < limit) {
            int off = (int) (tail & MASK);
            int type = (int) U32.get(SNAPSHOT, off);
            int size = Short.toUnsignedInt((short) U16.get(SNAPSHOT, off + 6));
            if (size < HEADER_SIZE || (size & 7) != 0 || size > head - tail) {
                tailOut[0] = tail;
                return Errno.EINVAL;
            }
            if (type == PERF_RECORD_SAMPLE) {
                int raw = size < RAW_DATA_OFFSET ? -1 : (int) U32.get(SNAPSHOT, off + RAW_SIZE_OFFSET);
                if (raw < 0 || raw > size - RAW_DATA_OFFSET) {
                    tailOut[0] = tail;
                    return Errno.EINVAL;
                }
                tail += size;
                WANT.add(off + RAW_DATA_OFFSET, raw);
                samples++;
            } else if (type == PERF_RECORD_LOST) {
                if (size < LOST_RECORD_SIZE) {
                    tailOut[0] = tail;
                    return Errno.EINVAL;
                }
                tail += size;
                WANT.add(-1, (long) U64.get(SNAPSHOT, off + LOST_COUNT_OFFSET));
            } else {
                tailOut[0] = tail + size; // consumed, then reported
                return Errno.EINVAL;
            }
        }
        tailOut[0] = tail;
        return samples;
    }

    static int u8(byte[] in, int at) {
        return at < in.length ? in[at] & 0xFF : 0;
    }

    static long u64(byte[] in, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | u8(in, at + i);
        }
        return v;
    }
}
