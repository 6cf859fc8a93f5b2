package dev.ringbench.benches.support;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Per thread, reported by JMH as rates beside the primary score, the channel's two wake-up events
 * as {@link dev.ringbench.competitors.Channel#counters()} defines them: {@code notifications}, a
 * producer signalled a possibly sleeping consumer
 * ({@link ChannelCounters#notifications()}: 0 for spinning and polling strategies; not counted
 * where the channel cannot observe them), and {@code wakeups}, a sleeping consumer returned because
 * it was signalled ({@link ChannelCounters#wakeups()}: 0 for a consumer that never sleeps). The
 * scenario decides which thread adds them (once per batch or once per iteration), so that they are
 * not counted twice. {@link WakeupMetrics} takes both out of two counter snapshots.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class WakeupCounters {
    public long notifications;
    public long wakeups;
}
