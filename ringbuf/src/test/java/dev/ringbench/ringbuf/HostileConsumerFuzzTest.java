package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import static dev.ringbench.ringbuf.UserRingDrainFuzzTest.u32;
import static dev.ringbench.ringbuf.UserRingDrainFuzzTest.u64;
import static dev.ringbench.ringbuf.UserRingDrainFuzzTest.u8;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the kernel-side producer ({@link BpfRingBuf}) against a hostile consumer: the consumer
 * page is writable by user space, so consumer_pos can hold anything at any moment (CVE-2024-41009).
 * The input is a program of operations: reserve (any size), submit or discard an outstanding
 * reservation, output, write an arbitrary consumer_pos, consume (either loop). The producer must
 * stay safe whatever it reads:
 * <ul>
 *   <li>a reservation never overlaps a record still being written: the new record ends at most one
 *       ring size after the start of every outstanding (BUSY) record, and after every operation
 *       each outstanding record's header is still BUSY with its length and its payload still holds
 *       the bytes its producer wrote;</li>
 *   <li>no operation throws; output returns 0 or -EAGAIN; a consuming call returns a count or
 *       -EINVAL, and hands its callback only samples inside the data area.</li>
 * </ul>
 * Both map flavours (plain and overwrite) and both consumer loops are drawn from the input.
 *
 * <p>Input layout: [0] bit 0 overwrite mode, bit 1 batched consumer; then operations, one opcode
 * byte and its operands each, until the input ends (at most 200).
 */
class HostileConsumerFuzzTest {
    static final long SIZE = 4096;
    private static final BpfRingBuf PLAIN = BpfRingBuf.create(SIZE);
    private static final BpfRingBuf OVERWRITE = BpfRingBuf.create(SIZE, BpfRingBuf.BPF_F_RB_OVERWRITE);
    private static final MemorySegment PAYLOAD = Arena.global().allocate(256);

    record Outstanding(long handle, long size) {
        long start() {
            return handle - RingBufDescriptor.HDR_SZ;
        }
    }

    @FuzzTest(maxDuration = "30s")
    void producerSurvivesHostileConsumerPositions(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        int mode = u8(in, 0);
        BpfRingBuf rb = (mode & 1) != 0 ? OVERWRITE : PLAIN;
        reset(rb);
        List<Outstanding> out = new ArrayList<>();
        RawSampleCallback check = (d, off, len) -> {
            if (off < 0 || len < 0 || off + len > 2 * SIZE) {
                throw new AssertionError("sample [" + off + ", +" + len + ") outside the data area");
            }
            if (len > 0) {
                d.get(JAVA_BYTE, off + len - 1);
            }
            return 0;
        };
        try (RingBufConsumer c = RingBufConsumer.create(rb, check, (mode & 2) != 0 ? Ring.Mode.BATCHED : Ring.Mode.LIBBPF)) {
            int at = 1;
            for (int ops = 0; at < input.length && ops < 200; ops++) {
                int op = u8(in, at++);
                switch (op % 7) {
                    case 0, 1 -> { // reserve
                        long size = switch (op >>> 3 & 3) {
                            case 0 -> u8(in, at);
                            case 1 -> (u32(in, at) & 0xFFF);
                            case 2 -> u64(in, at);          // anything, negative included
                            default -> 8 * (u8(in, at) & 0x3F);
                        };
                        at += (op >>> 3 & 3) == 2 ? 8 : (op >>> 3 & 3) == 1 ? 4 : 1;
                        long h = rb.reserve(size);
                        if (h != 0) {
                            checkNoOverlap(rb, h, size, out);
                            fill(rb, h, size);
                            out.add(new Outstanding(h, size));
                        }
                    }
                    case 2, 3 -> { // submit or discard one outstanding reservation
                        if (!out.isEmpty()) {
                            Outstanding o = out.remove(u8(in, at) % out.size());
                            long flags = u8(in, at + 1) & 3;
                            if (op % 7 == 2) {
                                rb.submit(o.handle(), flags);
                            } else {
                                rb.discard(o.handle(), flags);
                            }
                        }
                        at += 2;
                    }
                    case 4 -> { // the hostile consumer writes its page
                        long prod = rb.query(BpfRingBuf.BPF_RB_PROD_POS);
                        long m = u64(in, at);
                        at += 8;
                        long cons = switch ((int) (m & 3)) {
                            case 0 -> m;                            // anything
                            case 1 -> prod + (m >> 2) % 64 * 8;     // ahead of the producer
                            case 2 -> prod - (m >>> 2) % 1024 * 8;  // some laps behind
                            default -> prod - (m >>> 2) % (2 * SIZE); // near, any alignment
                        };
                        rb.consumerPage().set(JAVA_LONG, RingBufDescriptor.CONSUMER_POS_OFFSET, cons);
                    }
                    case 5 -> { // consume
                        int r = (op & 8) != 0 ? c.consumeN(1 + u8(in, at)) : c.consume();
                        at++;
                        if (r < 0 && r != Errno.EINVAL) {
                            throw new AssertionError("consume returned " + r);
                        }
                    }
                    default -> { // output
                        long size = u8(in, at++);
                        long r = rb.output(PAYLOAD.asSlice(0, size), 0);
                        if (r != 0 && r != Errno.EAGAIN) {
                            throw new AssertionError("output returned " + r);
                        }
                    }
                }
                checkOutstandingIntact(rb, out);
            }
        } finally {
            for (Outstanding o : out) {
                rb.discard(o.handle(), BpfRingBuf.BPF_RB_NO_WAKEUP);
            }
        }
    }

    /** The new record [start, start + len) must not reach the start of any BUSY record's next lap. */
    private static void checkNoOverlap(BpfRingBuf rb, long h, long size, List<Outstanding> out) {
        long start = h - RingBufDescriptor.HDR_SZ;
        long end = start + RingBufDescriptor.recordSize(size);
        for (Outstanding o : out) {
            if (end - o.start() > SIZE || start < o.start() + RingBufDescriptor.recordSize(o.size())) {
                throw new AssertionError("reservation [" + start + ", " + end + ") overlaps the record at "
                        + o.start() + " (" + o.size() + " bytes) still being written; consumer_pos="
                        + rb.query(BpfRingBuf.BPF_RB_CONS_POS));
            }
        }
    }

    /**
     * The bytes a producer writes into its record: {@code PATTERN} from an offset fixed by the
     * handle. Written and checked with one bulk copy and one {@code mismatch} each (JDK code, not
     * instrumented): checking byte by byte in this class, with Jazzer's compare hooks on every
     * byte, took 96 % of the time of an input (JFR, scripts/fuzz.sh profile).
     */
    private static final MemorySegment PATTERN = Arena.global().allocate(2 * SIZE);

    static {
        for (int i = 0; i < 2 * SIZE; i++) {
            PATTERN.set(JAVA_BYTE, i, (byte) (i * 7 + (i >>> 8) * 13 + 1));
        }
    }

    private static long patternStart(long handle) {
        return (handle * 31) & (SIZE - 1);
    }

    private static void fill(BpfRingBuf rb, long h, long size) {
        MemorySegment.copy(PATTERN, patternStart(h), rb.sampleArea(), rb.sampleOffset(h), size);
    }

    private static void checkOutstandingIntact(BpfRingBuf rb, List<Outstanding> out) {
        MemorySegment a = rb.sampleArea();
        for (Outstanding o : out) {
            long hdrOff = o.start() & (SIZE - 1);
            int len = a.get(JAVA_INT, hdrOff);
            if (len != (int) (o.size() | RingBufDescriptor.BUSY_BIT)) {
                throw new AssertionError("header of the BUSY record at " + o.start() + " was overwritten: 0x"
                        + Integer.toHexString(len));
            }
            long off = rb.sampleOffset(o.handle());
            long p = patternStart(o.handle());
            long at = MemorySegment.mismatch(a, off, off + o.size(), PATTERN, p, p + o.size());
            if (at != -1) {
                throw new AssertionError("payload of the BUSY record at " + o.start() + " was overwritten at byte " + at);
            }
        }
    }

    private static void reset(BpfRingBuf rb) {
        rb.resetForReuse();
    }
}
