package dev.ringbench.ringbuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The producers' own copies of {@code producer_pos} and {@code pending_pos}, in Java fields, so that
 * the reservation reads them and the handle check loads {@code producer_pos} without a checked
 * memory-segment access (bounds, alignment, arena liveness). The producer page stays the kernel's:
 * every reservation still stores both positions there, in the kernel's order and with its
 * ordering; only the loads come from here.
 *
 * <p>Exact, because only reservation lock holders write either position (the kernel's rule: user
 * space maps the producer page read-only), and every holder writes the copy where it writes the
 * page. The one other writer is {@link BpfRingBuf#resetForReuse()}, which resets both. Plain
 * accesses under the lock, as the kernel's; {@link #publishProducerPos}/{@link #loadProducerPos}
 * are the release/acquire pair for the handle check, which runs outside the lock.
 */
final class ProducerPositions extends ProducerPositionsValues {
    private static final VarHandle PRODUCER_POS;

    static {
        try {
            PRODUCER_POS = MethodHandles.lookup().findVarHandle(ProducerPositionsValues.class, "producerPos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

    /** {@code producer_pos} for the handle check: pairs with {@link #publishProducerPos}. */
    long loadProducerPos() {
        return (long) PRODUCER_POS.getAcquire(this);
    }

    /** Under the lock, after the page's {@code smp_store_release} of the same value. */
    void publishProducerPos(long v) {
        PRODUCER_POS.setRelease(this, v);
    }
}

/** 128 bytes before the positions: BpfRingBuf's read-only fields never share their lines. */
abstract class ProducerPositionsPad {
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}

/** The two positions, written only by reservation lock holders. */
abstract class ProducerPositionsValues extends ProducerPositionsPad {
    long producerPos;
    long pendingPos;
}
