package dev.ringbench.competitors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One counter per producer, each written only by its producer and each on its own cache line, so
 * counting a drop never contends; {@link #sum()} reads them all (a momentary snapshot).
 */
public final class PerProducerCounter {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int PAD = 16; // 128 bytes: two cache lines, against adjacent-line prefetch

    private final long[] slots;

    public PerProducerCounter(int producers) {
        slots = new long[(producers + 1) * PAD];
    }

    /** Adds one for {@code producer}; only that producer's thread may call this. */
    public void increment(int producer) {
        int i = (producer + 1) * PAD;
        SLOT.setOpaque(slots, i, (long) SLOT.getOpaque(slots, i) + 1);
    }

    /** The sum over all producers. */
    public long sum() {
        long s = 0;
        for (int i = PAD; i < slots.length; i += PAD) {
            s += (long) SLOT.getOpaque(slots, i);
        }
        return s;
    }
}
