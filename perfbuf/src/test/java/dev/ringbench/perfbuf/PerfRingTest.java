package dev.ringbench.perfbuf;

import dev.ringbench.os.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_HEAD_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_OFFSET_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_SIZE_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_TAIL_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.PERF_RECORD_LOST;
import static dev.ringbench.perfbuf.PerfBufDescriptor.PERF_RECORD_SAMPLE;
import static dev.ringbench.perfbuf.PerfBufDescriptor.USERPG_SIZE_OFFSET;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The producer side ({@code bpf_perf_event_output} into one ring), checked against the raw
 * memory: layout, padding, wrap, -ENOSPC and the LOST record, the wake-up rules.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PerfRingTest {
    private static final int PAGE = 4096;
    /** An 8-byte payload occupies roundUp(8 + 12, 8) = 24 bytes. */
    private static final int REC8 = 24;

    private static MemorySegment payload(Arena a, int len, int seed) {
        MemorySegment s = a.allocate(Math.max(len, 1));
        for (int i = 0; i < len; i++) {
            s.set(JAVA_BYTE, i, (byte) (seed + i));
        }
        return s;
    }

    /** The consumer side, by hand: everything written so far is consumed. */
    private static void consumeAll(PerfRing r) {
        r.controlPage().set(JAVA_LONG, DATA_TAIL_OFFSET, r.dataHead());
    }

    private static void advanceTail(PerfRing r, long bytes) {
        r.controlPage().set(JAVA_LONG, DATA_TAIL_OFFSET, r.dataTail() + bytes);
    }

    private static int type(PerfRing r, long pos) {
        return r.data().get(JAVA_INT, pos & (r.dataSize() - 1));
    }

    private static int size(PerfRing r, long pos) {
        return Short.toUnsignedInt(r.data().get(JAVA_SHORT, (pos & (r.dataSize() - 1)) + 6));
    }

    @Test
    void descriptorSizes() {
        assertEquals(16, PerfBufDescriptor.sampleRecordSize(0));
        assertEquals(16, PerfBufDescriptor.sampleRecordSize(4));
        assertEquals(24, PerfBufDescriptor.sampleRecordSize(5));
        assertEquals(24, PerfBufDescriptor.sampleRecordSize(12));
        assertEquals(32, PerfBufDescriptor.sampleRecordSize(13));
        assertEquals(4095, PerfBufDescriptor.circSpace(0, 0, PAGE), "CIRC_SPACE leaves one byte");
        assertEquals(0, PerfBufDescriptor.circSpace(4095, 0, PAGE));
        assertEquals(65516, PerfBufDescriptor.MAX_RAW_SIZE);
        assertEquals(4052, PerfBufDescriptor.maxSampleLength(PAGE));
        assertEquals(0x0018_0000_0000_0009L, PerfBufDescriptor.headerWord(PERF_RECORD_SAMPLE, 0, 24));
    }

    @Test
    void controlPageAsTheKernelInitialisesIt() {
        try (PerfRing r = PerfRing.create(0, 4, 1, 0)) {
            MemorySegment c = r.control();
            assertEquals(PAGE, c.byteSize());
            assertEquals(96, c.get(JAVA_INT, USERPG_SIZE_OFFSET));
            assertEquals(PAGE, c.get(JAVA_LONG, DATA_OFFSET_OFFSET));
            assertEquals(4 * PAGE, c.get(JAVA_LONG, DATA_SIZE_OFFSET));
            assertEquals(0, c.get(JAVA_LONG, DATA_HEAD_OFFSET));
            assertEquals(0, c.get(JAVA_LONG, DATA_TAIL_OFFSET));
            assertEquals(5 * PAGE, r.memoryBytes());
            assertEquals(0, r.control().address() % PAGE, "page-aligned");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 4, 5, 11, 12, 13, 20, 100})
    void sampleRecordLayoutAndZeroPadding(int len) {
        try (PerfRing r = PerfRing.create(0, 1, 1, 0); Arena a = Arena.ofConfined()) {
            r.dataPages().fill((byte) 0xFF); // padding must be written, not left over
            assertEquals(0, r.output(payload(a, len, 7), 0, len));
            long rec = PerfBufDescriptor.sampleRecordSize(len);
            MemorySegment d = r.data();
            assertEquals(rec, r.dataHead());
            assertEquals(PERF_RECORD_SAMPLE, d.get(JAVA_INT, 0));
            assertEquals(0, d.get(JAVA_SHORT, 4), "misc");
            assertEquals(rec, Short.toUnsignedInt(d.get(JAVA_SHORT, 6)));
            assertEquals(len, d.get(JAVA_INT, 8), "raw_size: the exact payload length");
            for (int i = 0; i < len; i++) {
                assertEquals((byte) (7 + i), d.get(JAVA_BYTE, 12 + i));
            }
            for (long i = 12 + len; i < rec; i++) {
                assertEquals(0, d.get(JAVA_BYTE, i), "pad byte " + i);
            }
            assertEquals((byte) 0xFF, d.get(JAVA_BYTE, rec), "nothing written past the record");
            assertEquals(1, r.samples());
        }
    }

    @Test
    void wrappingRecordIsWrittenInTwoPieces() {
        try (PerfRing r = PerfRing.create(0, 1, 1, 0); Arena a = Arena.ofConfined()) {
            MemorySegment p = payload(a, 100, 0); // 112-byte records
            for (int i = 0; i < 36; i++) {
                assertEquals(0, r.output(p, 0, 100));
            }
            assertEquals(4032, r.dataHead());
            consumeAll(r);
            MemorySegment q = payload(a, 100, 50);
            assertEquals(0, r.output(q, 0, 100)); // 4032 .. 4144: 64 bytes at the end, 48 at the start
            assertEquals(4144, r.dataHead());
            assertEquals(PERF_RECORD_SAMPLE, type(r, 4032));
            assertEquals(112, size(r, 4032));
            assertEquals(100, r.data().get(JAVA_INT, 4040));
            for (int i = 0; i < 100; i++) {
                assertEquals((byte) (50 + i), r.data().get(JAVA_BYTE, (4032 + 12 + i) & (PAGE - 1)), "byte " + i);
            }
        }
    }

    @Test
    void fullRingReturnsEnospcAndCountsLost() {
        try (PerfRing r = PerfRing.create(3, 1, 1, 0); Arena a = Arena.ofConfined()) {
            MemorySegment p = payload(a, 8, 0);
            int ok = 0;
            while (r.output(p, 0, 8) == 0) {
                ok++;
            }
            assertEquals(170, ok, "4080 of 4096 bytes: CIRC_SPACE keeps one byte free");
            assertEquals(170 * REC8, r.dataHead());
            assertEquals(1, r.lostSamples());
            assertEquals(1, r.lostPending());
            assertEquals(Errno.ENOSPC, r.output(p, 0, 8));
            assertEquals(2, r.lostSamples());
            assertEquals(170 * REC8, r.dataHead(), "a dropped sample publishes nothing");
            assertEquals(170, r.samples());
        }
    }

    @Test
    void lostRecordIsWrittenBeforeTheNextSample() {
        try (PerfRing r = PerfRing.create(3, 1, 1, 0); Arena a = Arena.ofConfined()) {
            MemorySegment p = payload(a, 8, 0);
            while (r.output(p, 0, 8) == 0) {
                // fill
            }
            assertEquals(Errno.ENOSPC, r.output(p, 0, 8));
            long head = r.dataHead();
            consumeAll(r);
            assertEquals(0, r.output(payload(a, 8, 90), 0, 8));
            assertEquals(PERF_RECORD_LOST, type(r, head));
            assertEquals(24, size(r, head));
            long off = head & (PAGE - 1);
            assertEquals(3, r.data().get(JAVA_LONG, (off + 8) & (PAGE - 1)), "id: the ring");
            assertEquals(2, r.data().get(JAVA_LONG, (off + 16) & (PAGE - 1)), "lost");
            assertEquals(PERF_RECORD_SAMPLE, type(r, head + 24));
            assertEquals(head + 24 + REC8, r.dataHead());
            assertEquals(0, r.lostPending());
            assertEquals(2, r.lostSamples(), "all-time count stays");
            // the next one needs no LOST record
            assertEquals(0, r.output(p, 0, 8));
            assertEquals(PERF_RECORD_SAMPLE, type(r, head + 24 + REC8));
        }
    }

    @Test
    void lostRecordThatDoesNotFitTakesTheSampleWithIt() {
        try (PerfRing r = PerfRing.create(0, 1, 1, 0); Arena a = Arena.ofConfined()) {
            MemorySegment p = payload(a, 8, 0);
            while (r.output(p, 0, 8) == 0) {
                // fill: 4080 used, 15 free
            }
            advanceTail(r, REC8); // 39 free: the sample (24) would fit, sample + LOST (48) does not
            assertEquals(Errno.ENOSPC, r.output(p, 0, 8));
            assertEquals(2, r.lostPending());
            advanceTail(r, REC8); // 63 free
            long head = r.dataHead();
            assertEquals(0, r.output(p, 0, 8));
            assertEquals(PERF_RECORD_LOST, type(r, head));
            assertEquals(2, r.data().get(JAVA_LONG, ((head & (PAGE - 1)) + 16) & (PAGE - 1)));
        }
    }

    @Test
    void wakeupEveryWakeupEventsSamples() {
        try (PerfRing r = PerfRing.create(0, 1, 3, 0); Arena a = Arena.ofConfined()) {
            MemorySegment p = payload(a, 8, 0);
            long[] expected = {0, 0, 1, 1, 1, 2, 2, 2, 3};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(0, r.output(p, 0, 8));
                assertEquals(expected[i], r.wakeups(), "after sample " + (i + 1));
            }
            assertEquals(PerfRing.EPOLLIN, r.takePoll(), "the wake-up set the poll flag");
            assertEquals(0, r.takePoll(), "taken once");
        }
    }

    @Test
    void noCaughtUpRule() {
        try (PerfRing r = PerfRing.create(0, 1, 2, 0); Arena a = Arena.ofConfined()) {
            MemorySegment p = payload(a, 8, 0);
            assertEquals(0, r.output(p, 0, 8));
            assertEquals(0, r.wakeups(), "a sample into an empty, caught-up ring sends no wake-up by itself");
            assertEquals(0, r.takePoll());
        }
    }

    @Test
    void watermarkModeWakesWhenMoreThanWatermarkBytesWereWritten() {
        try (PerfRing r = PerfRing.create(0, 1, 1, 256); Arena a = Arena.ofConfined()) {
            assertEquals(256, r.watermark());
            MemorySegment p = payload(a, 8, 0);
            for (int i = 1; i <= 33; i++) {
                assertEquals(0, r.output(p, 0, 8));
                // mark advances by 256 each time head - mark > 256: at 264, 528, 792 bytes
                long expected = i < 11 ? 0 : i < 22 ? 1 : i < 33 ? 2 : 3;
                assertEquals(expected, r.wakeups(), "after " + i * REC8 + " bytes");
            }
        }
    }

    @Test
    void watermarkIsCappedAtTheRingSize() {
        try (PerfRing r = PerfRing.create(0, 1, 1, 1 << 20)) {
            assertEquals(PAGE, r.watermark());
        }
    }

    @Test
    void eventsModeAlsoWakesEveryHalfRing() {
        try (PerfRing r = PerfRing.create(0, 1, 1000, 0); Arena a = Arena.ofConfined()) {
            assertEquals(PAGE / 2, r.watermark(), "ring_buffer_init: no watermark given, half the ring");
            MemorySegment p = payload(a, 8, 0);
            for (int i = 1; i <= 85; i++) {
                assertEquals(0, r.output(p, 0, 8));
            }
            assertEquals(0, r.wakeups(), "2040 bytes");
            assertEquals(0, r.output(p, 0, 8));
            assertEquals(1, r.wakeups(), "2064 bytes > 2048");
            while (r.output(p, 0, 8) == 0) {
                // to full (4080 bytes), below the next mark (4096)
            }
            assertEquals(1, r.wakeups());
        }
    }

    @Test
    void badInputChangesNothing() {
        try (PerfRing r = PerfRing.create(0, 32, 1, 0); Arena a = Arena.ofConfined()) {
            MemorySegment big = a.allocate(70_000);
            assertEquals(Errno.EINVAL, r.output(big, 0, -1));
            assertEquals(Errno.E2BIG, r.output(big, 0, PerfBufDescriptor.MAX_RAW_SIZE + 1), "u16 size cannot describe it");
            assertThrows(IndexOutOfBoundsException.class, () -> r.output(big, 69_990, 16));
            assertThrows(IndexOutOfBoundsException.class, () -> r.output(big, -1, 16));
            assertEquals(0, r.dataHead());
            assertEquals(0, r.lostSamples());
            assertEquals(0, r.samples());
            assertEquals(0, r.output(big, 0, PerfBufDescriptor.MAX_RAW_SIZE), "the largest record fits a 128 KiB ring");
            assertEquals(PerfBufDescriptor.MAX_RECORD_SIZE, r.dataHead());
        }
    }

    @Test
    void recordLargerThanTheRingIsLostAsInTheKernel() {
        try (PerfRing r = PerfRing.create(0, 1, 1, 0); Arena a = Arena.ofConfined()) {
            MemorySegment big = a.allocate(5000);
            assertEquals(Errno.ENOSPC, r.output(big, 0, 5000));
            assertEquals(1, r.lostSamples());
            assertEquals(0, r.dataHead());
            assertEquals(0, r.output(big, 0, r.maxSampleLength()), "the largest sample fits with its LOST record");
            assertEquals(PERF_RECORD_LOST, type(r, 0));
            assertEquals(PAGE - 8, r.dataHead());
        }
    }

    @Test
    void createRejectsBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> PerfRing.create(0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> PerfRing.create(0, 3, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> PerfRing.create(0, 1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> PerfRing.create(0, 1, 1, -1));
    }

    @Test
    void closedRingThrowsRatherThanCrashes() {
        PerfRing r = PerfRing.create(0, 1, 1, 0);
        r.close();
        r.close();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(8);
            assertThrows(IllegalStateException.class, () -> r.output(p, 0, 8));
        }
    }
}
