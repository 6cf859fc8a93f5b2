package dev.ringbench.benches.support;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Per consumer thread, reported by JMH as a rate: {@code hits}, records delivered to the consumer. */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class ConsumerCounters {
    public long hits;
}
