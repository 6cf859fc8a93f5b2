package dev.ringbench.ringbuf;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Rings for jcstress states, recycled. jcstress makes millions of state objects; a ring is a memfd
 * and three mappings that only {@code close()} releases, so each state takes a ring from a pool
 * in its constructor and its {@code @Arbiter} (which runs once every actor of that state has
 * finished) resets it to a freshly created ring's state and puts it back. The reset writes the
 * producer page, which only this package may, hence the package.
 */
public final class StressRings {
    /** The smallest ring: one page. */
    public static final long SIZE = 4096;

    private static final ConcurrentLinkedQueue<BpfRingBuf> PLAIN = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<BpfRingBuf> OVERWRITE = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<UserRingBuf> USER = new ConcurrentLinkedQueue<>();
    private static final AtomicLong CREATED = new AtomicLong();

    private StressRings() {
    }

    /** A 4 KiB ring, all positions 0, data zero. */
    public static BpfRingBuf take(boolean overwrite) {
        BpfRingBuf rb = (overwrite ? OVERWRITE : PLAIN).poll();
        if (rb == null) {
            CREATED.incrementAndGet();
            rb = BpfRingBuf.create(SIZE, overwrite ? BpfRingBuf.BPF_F_RB_OVERWRITE : 0);
        }
        return rb;
    }

    /** Resets {@code rb} as if new and returns it to the pool. Every consumer of it must be closed. */
    public static void release(BpfRingBuf rb) {
        rb.resetForReuse();
        (rb.overwriteMode() ? OVERWRITE : PLAIN).offer(rb);
    }

    /** A 4 KiB user ring, all positions 0, not busy, data zero. */
    public static UserRingBuf takeUser() {
        UserRingBuf r = USER.poll();
        if (r == null) {
            CREATED.incrementAndGet();
            r = UserRingBuf.create(SIZE);
        }
        return r;
    }

    /** Resets {@code r} and returns it to the pool. Its producer must be closed. */
    public static void release(UserRingBuf r) {
        MemorySegment cons = r.consumerPageRw();
        cons.set(JAVA_LONG, RingBufDescriptor.CONSUMER_POS_OFFSET, 0L);
        r.producerPage().set(JAVA_LONG, RingBufDescriptor.PRODUCER_POS_OFFSET, 0L);
        r.data().asSlice(0, SIZE).fill((byte) 0);
        USER.offer(r);
    }

    /** The user ring's one-drainer flag, as the producer can read it. */
    public static int drainBusyFlag(UserRingBuf r) {
        return r.drainBusy() ? 1 : 0;
    }

    /** {@code pending_pos}, which reserve advances over committed records. */
    public static long pendingPos(BpfRingBuf rb) {
        return rb.producerPage().get(JAVA_LONG, RingBufDescriptor.PENDING_POS_OFFSET);
    }

    /** Rings created so far (the pool's high-water mark, for the curious). */
    public static long created() {
        return CREATED.get();
    }
}
