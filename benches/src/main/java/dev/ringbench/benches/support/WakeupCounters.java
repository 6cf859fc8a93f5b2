package dev.ringbench.benches.support;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Per thread, reported by JMH as a rate beside the primary score: {@code wakeups}, wake-ups the
 * channel sent to its consumer ({@link dev.ringbench.competitors.ChannelCounters#wakeups()}: 0 for
 * spinning and polling strategies). The scenario decides which thread adds them (once per batch or
 * once per iteration), so that they are not counted twice.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class WakeupCounters {
    public long wakeups;
}
