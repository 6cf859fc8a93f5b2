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
 * Fuzzes the user-ring producer ({@link UserRingBufProducer}, libbpf's {@code user_ring_buffer})
 * against a hostile consumer page: consumer_pos, which the kernel side owns, can hold anything at
 * any moment. The input is a program of operations: reserve (any size, including negative and
 * flag-carrying ones), reserve_blocking with no wait, submit or discard an outstanding
 * reservation, write an arbitrary consumer_pos, and drain (the kernel side, which trusts its own
 * page as the kernel does, so it runs only while consumer_pos is aligned). The producer must
 * stay safe whatever it reads:
 * <ul>
 *   <li>a reservation never overlaps a record it still has outstanding: after every operation each
 *       outstanding record's header is still BUSY with its length and its payload still holds the
 *       bytes written into it;</li>
 *   <li>a handle lies inside the data area and can be committed; reserve returns a handle or
 *       -E2BIG / -ENOSPC / -EINVAL; drain a count or its errno; nothing throws.</li>
 * </ul>
 *
 * <p>Input layout: operations, one opcode byte and its operands each, until the input ends (at
 * most 200).
 */
class UserRingProducerFuzzTest {
    static final long SIZE = 4096;
    private static final UserRingBuf RING = UserRingBuf.create(SIZE);
    /** The producer's bytes (see HostileConsumerFuzzTest): one bulk copy and one mismatch per check. */
    private static final MemorySegment PATTERN = Arena.global().allocate(2 * SIZE);

    static {
        for (int i = 0; i < 2 * SIZE; i++) {
            PATTERN.set(JAVA_BYTE, i, (byte) (i * 11 + (i >>> 8) * 5 + 3));
        }
    }

    record Outstanding(long handle, long size) {
        long start() {
            return handle - RingBufDescriptor.HDR_SZ;
        }
    }

    @FuzzTest(maxDuration = "30s")
    void producerSurvivesHostileConsumerPage(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        reset();
        List<Outstanding> out = new ArrayList<>();
        UserRingBuf.RawDrainCallback check = (d, off, len) -> {
            if (off < 0 || len < 0 || off + len > 2 * SIZE) {
                throw new AssertionError("sample [" + off + ", +" + len + ") outside the data area");
            }
            return 0;
        };
        try (UserRingBufProducer p = UserRingBufProducer.create(RING)) {
            int at = 0;
            for (int ops = 0; at < input.length && ops < 200; ops++) {
                int op = u8(in, at++);
                switch (op % 6) {
                    case 0, 1 -> { // reserve, or reserve_blocking without waiting
                        long size = switch (op >>> 3 & 3) {
                            case 0 -> u8(in, at);
                            case 1 -> u32(in, at) & 0xFFF;
                            case 2 -> u64(in, at);          // anything: negative, flag bits, huge
                            default -> 8 * (u8(in, at) & 0x3F);
                        };
                        at += (op >>> 3 & 3) == 2 ? 8 : (op >>> 3 & 3) == 1 ? 4 : 1;
                        long h = op % 6 == 0 ? p.reserve(size) : p.reserveBlocking(size, 0);
                        if (h > 0) {
                            checkNoOverlap(h, size, out);
                            MemorySegment.copy(PATTERN, patternStart(h), p.sampleArea(), p.sampleOffset(h), size);
                            out.add(new Outstanding(h, size));
                        } else if (h != Errno.E2BIG && h != Errno.ENOSPC && h != Errno.EINVAL) {
                            throw new AssertionError("reserve returned " + h);
                        }
                    }
                    case 2, 3 -> { // submit or discard one outstanding reservation
                        if (!out.isEmpty()) {
                            Outstanding o = out.remove(u8(in, at) % out.size());
                            if (op % 6 == 2) {
                                p.submit(o.handle());
                            } else {
                                p.discard(o.handle());
                            }
                        }
                        at += 1;
                    }
                    case 4 -> { // the hostile kernel side writes its consumer page
                        long prod = RING.producerPage().get(JAVA_LONG, RingBufDescriptor.PRODUCER_POS_OFFSET);
                        long m = u64(in, at);
                        at += 8;
                        long cons = switch ((int) (m & 3)) {
                            case 0 -> m;                              // anything
                            case 1 -> prod + (m >> 2) % 1024 * 8;     // ahead of the producer
                            case 2 -> prod - (m >>> 2) % 1024 * 8;    // some laps behind
                            default -> prod - (m >>> 2) % (2 * SIZE); // near, any alignment
                        };
                        RING.consumerPageRw().set(JAVA_LONG, RingBufDescriptor.CONSUMER_POS_OFFSET, cons);
                    }
                    default -> { // the kernel side drains what it can
                        // The drain trusts its own page, as the kernel does (user space maps it
                        // read-only): it only ever stores aligned positions, so it runs only then.
                        if ((RING.consumerPage().get(JAVA_LONG, RingBufDescriptor.CONSUMER_POS_OFFSET) & 7) != 0) {
                            break;
                        }
                        long r = RING.drainRaw(check, 0);
                        if (r < 0 && r != Errno.EINVAL && r != Errno.E2BIG) {
                            throw new AssertionError("drain returned " + r);
                        }
                    }
                }
                checkOutstandingIntact(out);
            }
            for (Outstanding o : out) {
                p.discard(o.handle()); // every handle it returned can still be committed
            }
        }
    }

    private static long patternStart(long handle) {
        return (handle * 29) & (SIZE - 1);
    }

    /** The new record must not reach into any outstanding record, in this lap or the next. */
    private static void checkNoOverlap(long h, long size, List<Outstanding> out) {
        long start = h - RingBufDescriptor.HDR_SZ;
        long end = start + RingBufDescriptor.recordSize(size);
        if ((h & (SIZE - 1)) + size > 2 * SIZE) {
            throw new AssertionError("handle " + h + " of " + size + " bytes runs past the data area");
        }
        for (Outstanding o : out) {
            if (end - o.start() > SIZE || start < o.start() + RingBufDescriptor.recordSize(o.size())) {
                throw new AssertionError("reservation [" + start + ", " + end + ") overlaps the outstanding record at "
                        + o.start() + " (" + o.size() + " bytes); consumer_pos="
                        + RING.consumerPage().get(JAVA_LONG, RingBufDescriptor.CONSUMER_POS_OFFSET));
            }
        }
    }

    private static void checkOutstandingIntact(List<Outstanding> out) {
        MemorySegment a = RING.data();
        for (Outstanding o : out) {
            int len = a.get(JAVA_INT, o.start() & (SIZE - 1));
            if (len != (int) (o.size() | RingBufDescriptor.BUSY_BIT)) {
                throw new AssertionError("header of the outstanding record at " + o.start() + " was overwritten: 0x"
                        + Integer.toHexString(len));
            }
            long off = o.handle() & (SIZE - 1);
            long ps = patternStart(o.handle());
            long at = MemorySegment.mismatch(a, off, off + o.size(), PATTERN, ps, ps + o.size());
            if (at != -1) {
                throw new AssertionError("payload of the outstanding record at " + o.start() + " was overwritten at byte " + at);
            }
        }
    }

    private static void reset() {
        RING.consumerPageRw().set(JAVA_LONG, RingBufDescriptor.CONSUMER_POS_OFFSET, 0L);
        RING.producerPage().set(JAVA_LONG, RingBufDescriptor.PRODUCER_POS_OFFSET, 0L);
        RING.data().asSlice(0, SIZE).fill((byte) 0);
    }
}
