package dev.ringbench.benches.support;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Per producer thread, reported by JMH as rates (ops/s) beside the primary score: {@code sent} records
 * placed in the channel, {@code drops} attempts that found it full (or failed to reserve).
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class ProducerCounters {
    public long sent;
    public long drops;
}
