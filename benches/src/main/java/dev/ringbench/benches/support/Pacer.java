package dev.ringbench.benches.support;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The open-loop producer of the latency scenarios: record {@code i} is due at
 * {@code start + i * 1e9 / rate} ({@link System#nanoTime()}); the pacer spins until then (or sends
 * at once when it is behind, never skipping a slot), writes that <em>intended</em> time into the
 * record's first 8 bytes and sends through its {@link Sender} (one copy). A full channel is a drop:
 * counted, not retried. Used by one thread at a time; its counts are read after that thread has
 * been joined.
 *
 * <p><b>Accounting.</b> Besides {@link #sent} and {@link #drops} the pacer counts {@link #sentLate}:
 * records sent although the producer reached them more than {@value #LATE_NS} ns after their
 * intended time (descheduled, or behind because sends took longer than the period). A schedule
 * run by {@link #loop(long, BooleanSupplier)} ends when the producer stops: {@link #end()} is the
 * time it did, {@link #due()} the slots whose intended time had come by then, {@link #unsent()} the
 * due slots it never reached. Every slot it reached was due (it waited for it), so
 * {@code due = sent + drops + unsent}.
 */
public final class Pacer {
    /** A record is <em>late</em> when the producer reaches it more than this after its intended time: 10 µs. */
    public static final long LATE_NS = 10_000;

    private final MemorySegment stamp;
    private final BooleanSupplier send;
    private final LongSupplier clock;
    private final long ratePerSecond;
    private long start;
    private long next;
    private long end;
    /** Records sent since the last restart. */
    public long sent;
    /** Sends that found the channel full since the last restart. */
    public long drops;
    /** Of {@link #sent}, those the producer reached more than {@link #LATE_NS} after their intended time. */
    public long sentLate;
    /** The largest delay, ns, between a slot's intended time and the producer reaching it, since the last restart. */
    public long maxLagNs;
    /**
     * Time spent inside the send, ns, over every attempt since the last restart (from the moment
     * the slot is reached to the send's return: the stamp, the copy, the commit and whatever
     * notification the channel makes), without the wait for the slot: the producer's cost.
     */
    public long sendNanos;

    public Pacer(Sender sender, long ratePerSecond) {
        this(sender.source(), sender::send, ratePerSecond, System::nanoTime);
    }

    /** A pacer over any send and clock (tests): {@code send} answers whether the record was taken. */
    Pacer(MemorySegment stamp, BooleanSupplier send, long ratePerSecond, LongSupplier clock) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("ratePerSecond must be positive: " + ratePerSecond);
        }
        if (ratePerSecond > 1_000_000_000L) {
            throw new IllegalArgumentException("ratePerSecond above one record per ns: " + ratePerSecond);
        }
        this.stamp = stamp;
        this.send = send;
        this.clock = clock;
        this.ratePerSecond = ratePerSecond;
    }

    /** Starts the schedule anew at the next send (a pause between iterations is not latency) and zeroes the counts. */
    public void restart() {
        restart(0);
    }

    /** Starts the schedule at {@code startNs} (slot 0 due then; 0: at the next send) and zeroes the counts. */
    public void restart(long startNs) {
        start = startNs;
        next = 0;
        end = 0;
        sent = 0;
        drops = 0;
        sentLate = 0;
        maxLagNs = 0;
        sendNanos = 0;
    }

    /** The intended time of slot {@code i} of the current schedule. */
    long intended(long i) {
        return start + i * 1_000_000_000L / ratePerSecond;
    }

    /** Waits for the next record's intended time, stamps it and sends; whether it was sent. */
    public boolean sendNext() {
        if (start == 0) {
            start = clock.getAsLong();
            next = 0;
        }
        long intended = intended(next);
        long now;
        while ((now = clock.getAsLong()) - intended < 0) {
            Thread.onSpinWait();
        }
        long lag = now - intended;
        if (lag > maxLagNs) {
            maxLagNs = lag;
        }
        stamp.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, intended);
        next++;
        boolean taken = send.getAsBoolean();
        sendNanos += clock.getAsLong() - now;
        if (taken) {
            sent++;
            if (lag > LATE_NS) {
                sentLate++;
            }
            return true;
        }
        drops++;
        return false;
    }

    /** Ends the schedule now: {@link #due()} and {@link #unsent()} count up to this moment. */
    public void finish() {
        end = clock.getAsLong();
    }

    /** When the schedule ended ({@link #finish()}), or 0 while it runs. */
    public long end() {
        return end;
    }

    /** Slots whose intended time had come when the schedule ended (0 before {@link #finish()} or any send). */
    public long due() {
        if (end == 0 || start == 0 || end - start < 0) {
            return 0;
        }
        // slot i is due when floor(i * 1e9 / rate) <= end - start, i.e. i < (end - start + 1) * rate / 1e9
        return Math.ceilDiv((end - start + 1) * ratePerSecond, 1_000_000_000L);
    }

    /** Due slots the producer never reached by the schedule's end. */
    public long unsent() {
        return due() - next;
    }

    /** A task that restarts the schedule and sends while {@code running} says so (a background producer). */
    public Runnable loop(BooleanSupplier running) {
        return loop(0, running);
    }

    /**
     * A task that starts the schedule at {@code startNs} (0: at its first send), sends while
     * {@code running} says so, then {@link #finish() ends} it.
     */
    public Runnable loop(long startNs, BooleanSupplier running) {
        return () -> {
            restart(startNs);
            try {
                while (running.getAsBoolean()) {
                    sendNext();
                }
            } finally {
                finish();
            }
        };
    }
}
