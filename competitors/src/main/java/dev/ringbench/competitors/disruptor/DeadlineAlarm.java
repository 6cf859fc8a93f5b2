package dev.ringbench.competitors.disruptor;

import com.lmax.disruptor.SequenceBarrier;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Gives {@link DisruptorChannel#await} a timeout. The Disruptor's five wait strategies used here
 * never time out ({@code SequenceBarrier.waitFor} returns on data or an alert only), yet a
 * benchmark consumer must return when its iteration ends even if no record comes. One daemon
 * thread per JVM wakes every {@value #TICK_MICROS} µs and alerts the barrier of any consumer whose
 * deadline has passed; the consumer then clears the alert and reports a timeout. The cost is one
 * short wake-up per millisecond while a Disruptor channel exists, the same for every Disruptor
 * kind, and timeouts are accurate to about a millisecond.
 */
final class DeadlineAlarm {
    static final long TICK_MICROS = 1000;

    /** One waiting consumer: its barrier and its deadline (0 when not waiting). */
    static final class Waiter {
        final SequenceBarrier barrier;
        /** Alerts the barrier (through the channel, which may count its signal apart). */
        final Runnable alert;
        volatile long deadline;
        volatile boolean fired;

        Waiter(SequenceBarrier barrier, Runnable alert) {
            this.barrier = barrier;
            this.alert = alert;
        }
    }

    private static final CopyOnWriteArrayList<Waiter> WAITERS = new CopyOnWriteArrayList<>();
    private static Thread thread;

    private DeadlineAlarm() {
    }

    /** Registers a consumer of {@code barrier}; {@code alert} is how its deadline alerts it. */
    static synchronized Waiter register(SequenceBarrier barrier, Runnable alert) {
        Waiter w = new Waiter(barrier, alert);
        WAITERS.add(w);
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("disruptor-await-deadlines").start(DeadlineAlarm::loop);
        }
        return w;
    }

    static void unregister(Waiter w) {
        WAITERS.remove(w);
    }

    private static void loop() {
        while (true) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(TICK_MICROS));
            long now = System.nanoTime();
            for (Waiter w : WAITERS) {
                long d = w.deadline;
                if (d != 0 && now - d >= 0 && !w.fired) {
                    w.fired = true;
                    w.alert.run();
                }
            }
        }
    }
}
