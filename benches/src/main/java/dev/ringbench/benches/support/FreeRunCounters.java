package dev.ringbench.benches.support;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The consumer thread's counters when the producers are {@link Producers} threads, reported by JMH
 * per second of the consumer's measured time beside the primary score (records delivered):
 * {@code hits} (records delivered, one per JMH operation: equal to the primary score), and the
 * producers' {@code sent}, {@code drops} (failed attempts) and {@code backoffs}, counted from the
 * producers' start to their stop around the iteration ({@link #producers}, from
 * {@code @TearDown(Level.Iteration)}: JMH zeroes these fields after each iteration's set-up).
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class FreeRunCounters {
    public long hits;
    public long sent;
    public long drops;
    public long backoffs;

    /** Sets the producer-side counts from the producers just stopped. */
    public void producers(Producers p) {
        sent = p.sent();
        drops = p.drops();
        backoffs = p.backoffs();
    }
}
