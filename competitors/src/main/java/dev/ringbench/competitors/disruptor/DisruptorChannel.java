package dev.ringbench.competitors.disruptor;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.competitors.RecordHandler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * LMAX Disruptor 4 as a {@link Channel}: one multi-producer {@link RingBuffer} of preallocated
 * {@link DisruptorEvent} slots, consumed by the caller's thread (no Disruptor thread, no
 * {@code BatchEventProcessor}) through a {@link SequenceBarrier} and the consumer's own
 * {@link Sequence}, registered as the ring's gating sequence.
 *
 * <h2>Fairness contract</h2>
 * Records of {@code 0..maxRecordLength} payload bytes, in fixed slots: each slot is a
 * {@code byte[maxRecordLength]} with one {@code MemorySegment.ofArray} view made at construction,
 * so nothing is allocated per record. {@code slotBytes = roundUp8(maxRecordLength) + 16} (16: the
 * array header and the length/flag fields, an estimate of the per-slot overhead) and the ring holds
 * {@code slots} = {@link ChannelConfig#slots(int) config.slots(slotBytes)} (a power of two, at least 2);
 * {@link #memoryBytes()} is {@code slots * slotBytes}. A full ring is a drop counted per producer
 * ({@code tryNext()} throws {@code InsufficientCapacityException}, a preallocated singleton), never a
 * blocking {@code next()}. The consumer reads each payload in place from the slot's array.
 *
 * <h2>Operations</h2>
 * {@code tryClaim} = {@code tryNext()}; {@code commit} = {@code publish(seq)}; {@code abort} sets the
 * slot's {@code discarded} flag and publishes it (sequences cannot be given back), and the consumer
 * skips it: it is not delivered, not counted and does not count against {@code limit}.
 * {@code offer} = claim + copy + publish. Records arrive in sequence (claim) order across producers.
 *
 * <h2>Waiting</h2>
 * {@link #await} calls {@code barrier.waitFor(next)}, which waits under the channel's {@link Wait}:
 * {@link Wait#BLOCKING} {@code BlockingWaitStrategy},
 * {@link Wait#LITE_BLOCKING} {@code LiteBlockingWaitStrategy},
 * {@link Wait#SLEEPING} {@code SleepingWaitStrategy} (defaults: 100 spins, 100
 * {@code Thread.yield()}s, then {@code parkNanos(100 ns)} in a loop),
 * {@link Wait#YIELDING} {@code YieldingWaitStrategy},
 * {@link Wait#BUSYSPIN} {@code BusySpinWaitStrategy}. None of these five time
 * out (only the Disruptor's {@code Timeout*} strategies do), so a {@link DeadlineAlarm} alerts the
 * barrier of a consumer whose timeout passed (about 1 ms granularity); {@code await} then clears the
 * alert and returns 0. {@code timeoutNanos < 0} waits for data or {@link #shutdown()} only;
 * {@code timeoutNanos == 0} is {@link #poll}. {@code shutdown()} sets a flag and calls {@code barrier.alert()}, which wakes a
 * blocked consumer (the alert is sticky, so later awaits return at once). In a multi-producer ring
 * the cursor moves at claim time, so {@code waitFor} can return before the next slot is published;
 * {@code await} then spins ({@code Thread.onSpinWait}) on the barrier, as the Disruptor's own
 * {@code BatchEventProcessor} does. {@link #poll} never waits: it reads {@code ringBuffer.getCursor()}
 * and walks {@code isAvailable(seq)} from the next sequence (what
 * {@code Sequencer.getHighestPublishedSequence} does).
 *
 * <h2>Wake-ups</h2>
 * The Disruptor calls {@code WaitStrategy.signalAllWhenBlocking()} once on every
 * {@code publish(seq)} (commits and aborts alike; {@code MultiProducerSequencer.publish}).
 * {@code Blocking} takes its lock and {@code notifyAll}s every time; {@code LiteBlocking} notifies
 * only when a waiter has flagged itself; for {@code Sleeping}, {@code Yielding} and {@code BusySpin}
 * it is a no-op. The two blocking kinds run a {@link SignalCountingWaitStrategy}, the library's
 * algorithm with the counts added under its own lock: {@code notifications} = the
 * {@code notifyAll}s performed for publishes (not those of the timeout alarm or shutdown),
 * {@code wakeups} = waits that slept and returned, after a notify, with the sequence published.
 * The other three never signal and never sleep on a signal: both counts are 0.
 *
 * <p>Counters: {@code delivered} (consumer thread), {@code drops}, {@code notifications} and
 * {@code wakeups} as above,
 * {@code nmiFailures} 0, {@code lostReported} 0. JVM flags: none (Disruptor 4 uses VarHandles).
 */
public final class DisruptorChannel implements Channel {
    /** The consumer's wait strategy. */
    public enum Wait {
        BLOCKING, LITE_BLOCKING, SLEEPING, YIELDING, BUSYSPIN
    }

    /** Per-slot bytes on top of the payload rounded up to 8 (array header, length, flag). */
    static final int SLOT_OVERHEAD = 16;

    private static final VarHandle DELIVERED;

    static {
        try {
            DELIVERED = MethodHandles.lookup().findVarHandle(DisruptorChannel.class, "delivered", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelConfig config;
    private final Capabilities capabilities;
    private final String waitStrategyName;
    private final int slotBytes;
    private final RingBuffer<DisruptorEvent> ring;
    private final Sequence consumed = new Sequence(RingBuffer.INITIAL_CURSOR_VALUE);
    private final SequenceBarrier barrier;
    private final DisruptorProducer[] producers;
    private final PerProducerCounter drops;
    /** The blocking kinds' strategy, which counts notifications and wake-ups; null for the others. */
    private final SignalCountingWaitStrategy counting;
    @SuppressWarnings("unused") // written through DELIVERED
    private long delivered;
    private volatile boolean shutdown;
    private final DeadlineAlarm.Waiter alarm;

    private DisruptorChannel(ChannelConfig config, Capabilities capabilities, Wait wait) {
        this.config = config;
        this.counting = switch (wait) {
            case BLOCKING -> new SignalCountingWaitStrategy(false);
            case LITE_BLOCKING -> new SignalCountingWaitStrategy(true);
            default -> null;
        };
        WaitStrategy strategy = switch (wait) {
            case BLOCKING, LITE_BLOCKING -> counting;
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSYSPIN -> new BusySpinWaitStrategy();
        };
        this.waitStrategyName = counting != null ? counting.name() : strategy.getClass().getSimpleName();
        this.capabilities = capabilities;
        this.slotBytes = slotBytes(config.maxRecordLength());
        int maxRecordLength = config.maxRecordLength();
        this.ring = RingBuffer.createMultiProducer(() -> new DisruptorEvent(maxRecordLength),
                config.slots(slotBytes), strategy);
        ring.addGatingSequences(consumed);
        this.barrier = ring.newBarrier();
        this.alarm = DeadlineAlarm.register(barrier, this::alert);
        this.drops = new PerProducerCounter(config.producers());
        this.producers = new DisruptorProducer[config.producers()];
        for (int i = 0; i < producers.length; i++) {
            producers[i] = new DisruptorProducer(ring, i, maxRecordLength, drops);
        }
    }

    /** Builds the channel, its consumer waiting with {@code wait}. */
    public static Channel create(ChannelConfig config, Capabilities capabilities, Wait wait) {
        return new DisruptorChannel(config, capabilities, wait);
    }

    /** {@code maxRecordLength} rounded up to 8, plus {@link #SLOT_OVERHEAD}. */
    static int slotBytes(int maxRecordLength) {
        return ((maxRecordLength + 7) & ~7) + SLOT_OVERHEAD;
    }

    /** {@link ChannelConfig#slots(int)} of a config with {@code capacityBytes}. */
    static int slots(int capacityBytes, int slotBytes) {
        return ChannelConfig.slots(capacityBytes, slotBytes);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public String waitStrategy() {
        return waitStrategyName;
    }

    @Override
    public int producers() {
        return producers.length;
    }

    @Override
    public int maxRecordLength() {
        return config.maxRecordLength();
    }

    @Override
    public ChannelProducer producer(int index) {
        return producers[index];
    }

    /** Number of slots in the ring. */
    public int slots() {
        return ring.getBufferSize();
    }

    @Override
    public int poll(RecordHandler handler, int limit) {
        long next = consumed.get() + 1;
        long cursor = ring.getCursor();
        if (cursor < next || limit <= 0) {
            return 0;
        }
        return deliver(handler, next, cursor, limit);
    }

    /**
     * Delivers the published records from {@code next} up to {@code upTo} while fewer than
     * {@code limit} were delivered, skipping discarded slots, then releases the slots read.
     */
    private int deliver(RecordHandler handler, long next, long upTo, int limit) {
        RingBuffer<DisruptorEvent> r = ring;
        long seq = next;
        int n = 0;
        while (seq <= upTo && n < limit && r.isAvailable(seq)) {
            DisruptorEvent e = r.get(seq);
            if (!e.discarded) {
                handler.onRecord(e.view, 0, e.length);
                n++;
            }
            seq++;
        }
        if (seq != next) {
            consumed.set(seq - 1); // release: the slots may be claimed again
        }
        if (n > 0) {
            DELIVERED.setOpaque(this, (long) DELIVERED.getOpaque(this) + n); // single writer
        }
        return n;
    }

    @Override
    public int await(RecordHandler handler, int limit, long timeoutNanos) {
        if (shutdown) {
            return afterShutdown(handler, limit);
        }
        if (timeoutNanos == 0 || limit <= 0) {
            return poll(handler, limit);
        }
        if (timeoutNanos > 0) {
            alarm.deadline = System.nanoTime() + timeoutNanos;
        }
        try {
            return awaitUntilAlerted(handler, limit);
        } finally {
            alarm.deadline = 0;
        }
    }

    private int awaitUntilAlerted(RecordHandler handler, int limit) {
        while (true) {
            long next = consumed.get() + 1;
            long available;
            try {
                available = barrier.waitFor(next);
            } catch (AlertException alerted) {
                if (shutdown) {
                    return afterShutdown(handler, limit);
                }
                barrier.clearAlert(); // the deadline alarm: a timeout, not a shutdown
                alarm.fired = false;
                return poll(handler, limit);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return 0;
            } catch (TimeoutException timedOut) { // not thrown by the five strategies used here
                return 0;
            }
            if (available >= next) {
                int n = deliver(handler, next, available, limit);
                if (n > 0) {
                    return n;
                } // only discarded slots: keep waiting
            } else {
                Thread.onSpinWait(); // claimed but not yet published
            }
        }
    }

    private int afterShutdown(RecordHandler handler, int limit) {
        int n = poll(handler, limit);
        return n > 0 ? n : -1;
    }

    @Override
    public void shutdown() {
        shutdown = true;
        alert();
    }

    /** Alerts the barrier (timeout or shutdown); its signal is not a notification. */
    private void alert() {
        if (counting != null) {
            counting.alert(barrier);
        } else {
            barrier.alert();
        }
    }

    @Override
    public ChannelCounters counters() {
        long notifications = counting != null ? counting.notifications() : 0;
        long wakeups = counting != null ? counting.wakeups() : 0;
        return new ChannelCounters((long) DELIVERED.getOpaque(this), drops.sum(), notifications, wakeups, 0, 0);
    }

    @Override
    public long memoryBytes() {
        return (long) ring.getBufferSize() * slotBytes;
    }

    @Override
    public void close() {
        shutdown(); // the slots are heap memory, freed by the GC
        DeadlineAlarm.unregister(alarm);
    }
}
