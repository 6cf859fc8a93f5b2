package dev.ringbench.ringbuf.stress;

import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.RawSampleCallback;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.RingBufDescriptor;
import dev.ringbench.ringbuf.StressRings;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Records the stress tests write, and the consumer-side check of each one delivered.
 *
 * <p>A record's payload (at least 24 bytes) holds its id in its first and last 8 bytes and its
 * handle in bytes 8..16, all written between reserve and commit. A consumer that sees the id at
 * both ends and its own position saw the whole payload, so the record was committed before it
 * was read; {@link Checker} also reads the header itself and flags BUSY or DISCARD.
 */
final class Records {
    /** Payload of the small records: id, handle, id. */
    static final int SMALL = 24;
    /** The record a {@link #SMALL} payload occupies. */
    static final int SMALL_REC = 32;
    /** Payload that lets a 4 KiB ring hold exactly one record at a time (record 2048 bytes). */
    static final int HALF = 2040;

    private Records() {
    }

    /** Writes {@code id} into a reserved record's payload. */
    static void fill(BpfRingBuf rb, long handle, int size, long id) {
        MemorySegment a = rb.sampleArea();
        long off = rb.sampleOffset(handle);
        a.set(JAVA_LONG, off, id);
        a.set(JAVA_LONG, off + 8, handle);
        a.set(JAVA_LONG, off + size - 8, id);
    }

    /** Reserve, fill, submit. False when the reservation failed (no space). */
    static boolean put(BpfRingBuf rb, int size, long id) {
        long h = rb.reserve(size);
        if (h == 0) {
            return false;
        }
        fill(rb, h, size, id);
        rb.submit(h, 0);
        return true;
    }

    /**
     * The consumer callback: remembers the ids delivered, in order, and whether any delivered
     * record was BUSY, DISCARDed, torn or at the wrong position.
     */
    static final class Checker implements RawSampleCallback {
        final long[] ids = new long[8];
        int count;
        boolean bad;
        private long lastHandle = -1;

        @Override
        public int onSample(MemorySegment data, long offset, int length) {
            long mask = StressRings.SIZE - 1;
            int hdr = data.get(JAVA_INT, (offset - RingBufDescriptor.HDR_SZ) & mask);
            long id = data.get(JAVA_LONG, offset);
            long handle = data.get(JAVA_LONG, offset + 8);
            long idEnd = data.get(JAVA_LONG, offset + length - 8);
            if ((hdr & (RingBufDescriptor.BUSY_BIT | RingBufDescriptor.DISCARD_BIT)) != 0
                    || length < SMALL || id != idEnd || id == 0
                    || (handle & mask) != offset || handle <= lastHandle) {
                bad = true;
            }
            lastHandle = handle;
            if (count < ids.length) {
                ids[count] = id;
            } else {
                bad = true;
            }
            count++;
            return 0;
        }

        /** Ids seen as a bit set (bit {@code id}), or -1 if a record was bad or seen twice. */
        int seenMask() {
            int m = 0;
            for (int i = 0; i < Math.min(count, ids.length); i++) {
                int bit = 1 << ids[i];
                if ((m & bit) != 0) {
                    return -1;
                }
                m |= bit;
            }
            return bad ? -1 : m;
        }
    }

    /**
     * The arbiter's check, run once every actor is done: drains what the actors left, then
     * requires exactly the ids in {@code expectedMask}, each once, intact and in position order,
     * and consumer_pos == producer_pos. Closes the consumer and recycles the ring.
     *
     * @return 1 when all holds, 0 otherwise
     */
    static int finish(BpfRingBuf rb, RingBufConsumer c, Checker chk, int expectedMask) {
        try {
            int r = c.consume();
            return r >= 0 && chk.seenMask() == expectedMask && positionsConsistent(rb) ? 1 : 0;
        } finally {
            c.close();
            StressRings.release(rb);
        }
    }

    /** Whether every byte produced was consumed: consumer_pos == producer_pos, nothing available. */
    static boolean positionsConsistent(BpfRingBuf rb) {
        long cons = rb.query(BpfRingBuf.BPF_RB_CONS_POS);
        long prod = rb.query(BpfRingBuf.BPF_RB_PROD_POS);
        return cons == prod && rb.query(BpfRingBuf.BPF_RB_AVAIL_DATA) == 0 && (cons & 7) == 0;
    }
}
