package dev.ringbench.benches.support;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.BooleanSupplier;

/**
 * The open-loop producer of the latency scenarios: record {@code i} is due at
 * {@code start + i * 1e9 / rate} ({@link System#nanoTime()}); the pacer spins until then (or sends
 * at once when it is behind, never skipping a slot), writes that <em>intended</em> time into the
 * record's first 8 bytes and sends through its {@link Sender} (one copy). A full channel is a drop:
 * counted, not retried. Used by one thread at a time.
 */
public final class Pacer {
    private final Sender sender;
    private final MemorySegment stamp;
    private final long ratePerSecond;
    private long start;
    private long next;
    /** Records sent since the last {@link #restart()}. */
    public long sent;
    /** Sends that found the channel full since the last {@link #restart()}. */
    public long drops;

    public Pacer(Sender sender, long ratePerSecond) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("ratePerSecond must be positive: " + ratePerSecond);
        }
        this.sender = sender;
        this.stamp = sender.source();
        this.ratePerSecond = ratePerSecond;
    }

    /** Starts the schedule anew at the next send (a pause between iterations is not latency) and zeroes the counts. */
    public void restart() {
        start = 0;
        next = 0;
        sent = 0;
        drops = 0;
    }

    /** Waits for the next record's intended time, stamps it and sends; whether it was sent. */
    public boolean sendNext() {
        if (start == 0) {
            start = System.nanoTime();
            next = 0;
        }
        long intended = start + next * 1_000_000_000L / ratePerSecond;
        while (System.nanoTime() - intended < 0) {
            Thread.onSpinWait();
        }
        stamp.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, intended);
        next++;
        if (sender.send()) {
            sent++;
            return true;
        }
        drops++;
        return false;
    }

    /** A task that restarts the schedule and sends while {@code running} says so (a background producer). */
    public Runnable loop(BooleanSupplier running) {
        return () -> {
            restart();
            while (running.getAsBoolean()) {
                sendNext();
            }
        };
    }
}
