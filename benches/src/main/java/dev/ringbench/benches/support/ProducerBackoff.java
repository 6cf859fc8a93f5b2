package dev.ringbench.benches.support;

/**
 * What every free-running producer does after an attempt that found the channel full (or failed to
 * reserve), the same for every channel: it spins {@link Thread#onSpinWait()} for a bounded number
 * of iterations, then tries again. The first back-off after a success spins {@value #FIRST_SPINS}
 * time; each further consecutive failure doubles the spins up to {@value #MAX_SPINS} (a few tens of
 * microseconds); a success resets them. It never sleeps, parks or yields, so a channel whose failure
 * path is slow does not throttle its own producer more than a fast one, and a full channel costs
 * every competitor the same waiting.
 *
 * <p>Counts: every failed attempt is one drop (counted by the caller) and one back-off
 * ({@link #backoffs()}). Used by one thread at a time.
 */
public final class ProducerBackoff {
    /** Spins of the first back-off after a success. */
    public static final int FIRST_SPINS = 1;
    /** The cap of the spins of one back-off. */
    public static final int MAX_SPINS = 1 << 10;

    private int spins = FIRST_SPINS;
    private long backoffs;

    /** After a failed attempt: spins for the current bound, counts one back-off and doubles the bound (to the cap). */
    public void failed() {
        for (int i = 0; i < spins; i++) {
            Thread.onSpinWait();
        }
        backoffs++;
        if (spins < MAX_SPINS) {
            spins <<= 1;
        }
    }

    /** After a successful attempt: the next back-off starts again at {@value #FIRST_SPINS}. */
    public void succeeded() {
        spins = FIRST_SPINS;
    }

    /** The spins the next {@link #failed()} will make. */
    public int nextSpins() {
        return spins;
    }

    /** Back-offs made since construction or the last {@link #reset()}. */
    public long backoffs() {
        return backoffs;
    }

    /** Zeroes the count and the bound. */
    public void reset() {
        spins = FIRST_SPINS;
        backoffs = 0;
    }
}
