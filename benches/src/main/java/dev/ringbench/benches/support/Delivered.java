package dev.ringbench.benches.support;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The consumer's {@code hits}: records delivered, one per JMH operation, reported by JMH per second
 * beside the primary score, which must equal it ({@code suite/PrimaryScoreCheck}). For consumer
 * benchmarks that report their other counts through {@link SideMetrics}; where the producers are
 * {@link Producers} threads, {@link FreeRunCounters} carries {@code hits} with their counts.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class Delivered {
    public long hits;
}
