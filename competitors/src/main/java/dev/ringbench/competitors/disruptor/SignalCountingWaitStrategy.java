package dev.ringbench.competitors.disruptor;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Disruptor 4.0.0's {@link BlockingWaitStrategy} ({@code lite} false) or
 * {@link LiteBlockingWaitStrategy} ({@code lite} true), the same algorithm statement for statement
 * (one {@code mutex}, {@code wait}/{@code notifyAll}; Lite's {@code signalNeeded} flag set by a
 * waiter before it sleeps and taken by the next publish, which notifies only if it took it), plus
 * the channel's two wake-up counts, kept where the library cannot show them:
 * <ul>
 *   <li>{@link #notifications()}: {@code notifyAll}s performed for a producer's publish, counted
 *       inside the {@code synchronized} block that performs them, so a plain field under the lock
 *       the notify takes anyway (no atomic added to any publish). Signals sent by
 *       {@link #alert} (the channel's timeout alarm and shutdown) are not counted: the alerting
 *       thread marks itself, so a producer's publish that notifies while an alert is in flight on
 *       another thread is still counted.</li>
 *   <li>{@link #wakeups()}: waits that slept ({@code mutex.wait()}) and returned with the awaited
 *       sequence published after a notify since they slept. A notify is told from a spurious
 *       return by a generation number that every notify bumps under the lock; a return with
 *       nothing published, or on an alert, is not counted. Written by the consumer under the lock.</li>
 * </ul>
 * A copy rather than a wrapper: a delegating strategy cannot see whether Lite notified, nor whether
 * a waiter slept.
 */
final class SignalCountingWaitStrategy implements WaitStrategy {
    private final Object mutex = new Object();
    private final boolean lite;
    private final AtomicBoolean signalNeeded = new AtomicBoolean(false);
    /** Guarded by mutex. */
    private long generation;
    /** Guarded by mutex. */
    private long notifications;
    /** Guarded by mutex. */
    private long wakeups;
    /** Alerts in flight: their signals are not notifications. */
    private volatile int alerting;
    /** Marks the thread inside {@link #alert}; read only while {@link #alerting} is non-zero (rare). */
    private static final ThreadLocal<boolean[]> IN_ALERT = ThreadLocal.withInitial(() -> new boolean[1]);

    SignalCountingWaitStrategy(boolean lite) {
        this.lite = lite;
    }

    /** The library strategy this one copies, for {@code Channel.waitStrategy()}. */
    String name() {
        return lite ? LiteBlockingWaitStrategy.class.getSimpleName() : BlockingWaitStrategy.class.getSimpleName();
    }

    @Override
    public long waitFor(long sequence, Sequence cursorSequence, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        long availableSequence;
        if (cursorSequence.get() < sequence) {
            synchronized (mutex) {
                boolean signalled = false;
                do {
                    if (lite) {
                        signalNeeded.getAndSet(true);
                    }
                    if (cursorSequence.get() >= sequence) {
                        break;
                    }
                    barrier.checkAlert();
                    long g = generation;
                    mutex.wait();
                    signalled |= generation != g;
                } while (cursorSequence.get() < sequence);
                if (signalled && cursorSequence.get() >= sequence) {
                    wakeups++;
                }
            }
        }
        while ((availableSequence = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            Thread.onSpinWait();
        }
        return availableSequence;
    }

    @Override
    public void signalAllWhenBlocking() {
        if (!lite || signalNeeded.getAndSet(false)) {
            synchronized (mutex) {
                generation++;
                if (alerting == 0 || !IN_ALERT.get()[0]) {
                    notifications++;
                }
                mutex.notifyAll();
            }
        }
    }

    /** {@code barrier.alert()}, whose signal is not counted as a notification. */
    void alert(SequenceBarrier barrier) {
        boolean[] mark = IN_ALERT.get();
        mark[0] = true;
        synchronized (this) { // alerts from the alarm thread and a shutdown may overlap
            alerting++;
        }
        try {
            barrier.alert();
        } finally {
            synchronized (this) {
                alerting--;
            }
            mark[0] = false;
        }
    }

    /** Notifications performed for publishes. */
    long notifications() {
        synchronized (mutex) {
            return notifications;
        }
    }

    /** Sleeps that a notify ended with the awaited sequence published. */
    long wakeups() {
        synchronized (mutex) {
            return wakeups;
        }
    }
}
