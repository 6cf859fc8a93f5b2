package dev.ringbench.kernel;

import dev.ringbench.perfbuf.PerfBufDescriptor;
import dev.ringbench.perfbuf.PerfBuffer;
import dev.ringbench.perfbuf.PerfRing;
import dev.ringbench.perfbuf.PerfRingSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The perf-buffer analogue against the real perf ring of CPU 0: the same samples (a u32 length
 * prefix and payload, as the kernel programs write them) go to a one-page {@link PerfRing} and to
 * the kernel's one-page ring; after each, the outcome (0 or -ENOSPC) and {@code data_head} are
 * compared, and the record streams are compared record by record: type, size, payload bytes, LOST
 * counts. Documented deviations are checked as such, not ignored: the kernel's {@code raw_size} is
 * the padded size minus 4 (the analogue's is exact), and a LOST record's {@code id} is the
 * kernel's event id (the analogue's is the ring index). Both rings are drained by the same
 * {@link PerfBuffer} code.
 */
class PerfRingOracleTest {
    @BeforeEach
    void kernel() {
        String why = Kernel.unavailableReason();
        assumeTrue(why == null, () -> "real kernel unavailable: " + why);
    }

    @Test
    void samplesDropsLostRecordsAndWrapMatchTheKernel() {
        Random rnd = new Random(7);
        try (PerfEventArray arr = PerfEventArray.create(1, 1, 0);
             PerfRing port = PerfRing.create(0, 1, 1, 0);
             IoMap io = IoMap.create(RingPrograms.ioSize(512));
             BpfProgram prog = BpfProgram.load(Bpf.BPF_PROG_TYPE_RAW_TRACEPOINT, PerfPrograms.output(arr.fd(), io, 512), "pb_oracle");
             TestRun run = new TestRun();
             Arena a = Arena.ofConfined()) {
            PerfEventArray.CpuRing kring = arr.rings().get(0);
            KernelPerfRing kern = new KernelPerfRing(kring, arr.dataSize(), new java.util.concurrent.atomic.LongAdder());
            MemorySegment src = a.allocate(600);
            List<String> kernRecords = new ArrayList<>();
            List<String> portRecords = new ArrayList<>();
            long kTail = 0;
            long pTail = 0;
            int ok = 0;
            int lost = 0;
            for (int step = 0; step < 1500; step++) {
                int len = rnd.nextInt(4) == 0 ? rnd.nextInt(500) : rnd.nextInt(40);
                src.set(JAVA_INT, 0, len);
                for (int i = 0; i < len; i++) {
                    src.set(JAVA_BYTE, 4 + i, (byte) (step * 7 + i));
                }
                MemorySegment.copy(src, 0, io.value(), PerfPrograms.LEN_PREFIX, len + 4);
                io.value().set(JAVA_LONG, RingPrograms.LEN, len);
                long kr = run.runOnCpu(prog, kring.cpu());
                long kResult = io.value().get(JAVA_LONG, RingPrograms.RESULT);
                int pr = port.output(src, 0, len + 4);
                assertTrue(kr >= 0, "test run failed: " + kr);
                assertEquals(kResult, (long) pr, "step " + step + ": output(" + len + ") result");
                long kHead = kern.controlPage().get(JAVA_LONG, PerfBufDescriptor.DATA_HEAD_OFFSET);
                assertEquals(kHead, port.dataHead(), "step " + step + ": data_head");
                if (pr == 0) {
                    ok++;
                } else {
                    lost++;
                }
                if (rnd.nextInt(60) == 0) { // the consumer catches up: compare what both rings hold
                    kTail = records(kern, kTail, kHead, kernRecords, true);
                    pTail = records(port, pTail, port.dataHead(), portRecords, false);
                    drain(kern);
                    drain(port);
                }
            }
            records(kern, kTail, kern.controlPage().get(JAVA_LONG, PerfBufDescriptor.DATA_HEAD_OFFSET), kernRecords, true);
            records(port, pTail, port.dataHead(), portRecords, false);
            assertTrue(ok > 100 && lost > 10, "ok " + ok + ", lost " + lost);
            assertTrue(kern.controlPage().get(JAVA_LONG, PerfBufDescriptor.DATA_HEAD_OFFSET) > 3 * arr.dataSize(), "wrapped");
            for (int i = 0; i < Math.max(kernRecords.size(), portRecords.size()); i++) {
                String k = i < kernRecords.size() ? kernRecords.get(i) : "(none)";
                String p = i < portRecords.size() ? portRecords.get(i) : "(none)";
                if (!k.equals(p)) {
                    fail("record " + i + " differs: kernel " + k + ", port " + p);
                }
            }
        }
    }

    /** Drains with the one consumer implementation (data_tail catches up with data_head). */
    private static void drain(PerfRingSource ring) {
        PerfBuffer pb = PerfBuffer.create(new PerfRingSource[] {ring}, (d, o, l) -> { }, (r, n) -> { });
        try {
            pb.consume();
        } finally {
            pb.close();
        }
    }

    /**
     * Describes the records in [tail, head): "S len bytes-hash" for samples (the kernel's raw_size
     * checked to be the padded size minus 4, the analogue's the exact one), "L count" for LOST.
     */
    private static long records(PerfRingSource ring, long tail, long head, List<String> out, boolean kernel) {
        MemorySegment d = ring.dataPages();
        long size = ring.dataSize();
        while (tail < head) {
            long off = tail & (size - 1);
            int type = get(d, size, off, 4);
            int recSize = Short.toUnsignedInt((short) get(d, size, off + 6, 2));
            if (type == PerfBufDescriptor.PERF_RECORD_SAMPLE) {
                int raw = get(d, size, off + 8, 4);
                int len = get(d, size, off + 12, 4);
                int expectRaw = kernel ? recSize - 12 : len + 4;
                if (raw != expectRaw) {
                    out.add("bad raw_size " + raw + " for prefix length " + len + " in a " + recSize + "-byte record");
                }
                long h = 17;
                for (int i = 0; i < len; i++) {
                    h = h * 31 + (byte) get(d, size, off + 16 + i, 1);
                }
                out.add("S " + recSize + " " + len + " " + h);
            } else if (type == PerfBufDescriptor.PERF_RECORD_LOST) {
                long count = (get(d, size, off + 16, 4) & 0xFFFF_FFFFL) | ((long) get(d, size, off + 20, 4) << 32);
                out.add("L " + recSize + " " + count);
            } else {
                out.add("type " + type);
            }
            if (recSize == 0) {
                break;
            }
            tail += recSize;
        }
        return tail;
    }

    /** Little-endian read of 1, 2 or 4 bytes at a ring offset, across the end (the ring is mapped once). */
    private static int get(MemorySegment d, long size, long off, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v |= (d.get(JAVA_BYTE, (off + i) & (size - 1)) & 0xFF) << (8 * i);
        }
        return v;
    }
}
