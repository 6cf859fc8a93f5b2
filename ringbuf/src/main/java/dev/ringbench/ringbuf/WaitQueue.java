package dev.ringbench.ringbuf;

import dev.ringbench.os.PollWaiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A ring's wait queue and its deferred wake-up work ({@code rb->waitq} and {@code rb->work},
 * whose function {@code bpf_ringbuf_notify} calls {@code wake_up_all}).
 *
 * <p>{@link #irqWorkQueue()} mirrors {@code irq_work_queue}: it claims the work's PENDING flag;
 * if the flag was already set, the request coalesces into the wake-up already queued and is
 * counted as coalesced. Otherwise the work runs: PENDING is cleared <em>before</em> the waiters are
 * woken, as {@code irq_work_single} clears it before calling the function, so a request that
 * arrives while waiters are being woken queues a new wake-up and none is ever lost.
 *
 * <h2>Deviation: where the work runs</h2>
 * The kernel runs the work from a self-interrupt on the committing CPU as soon as interrupts are
 * enabled again. Java has no such context, so the work runs inline on the committing thread,
 * right after the commit. Coalescing therefore happens only between commits that overlap in
 * time (in the kernel also between commits made with interrupts off). Both counts are exported.
 *
 * <p>Waiters ({@link PollWaiter}, the port's epoll instance) register once, as
 * {@code epoll_ctl(ADD)} does, and stay registered; the array is copied on the rare add or
 * remove and read without locks on every wake-up.
 */
final class WaitQueue {
    private static final PollWaiter[] NONE = new PollWaiter[0];
    private static final VarHandle PENDING;
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(WaitQueue.class, "pending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int SENT = 0;
    private static final int COALESCED = 8;

    private volatile PollWaiter[] waiters = NONE;
    @SuppressWarnings("unused")
    private volatile int pending;
    private final long[] counts = new long[16];

    /** {@code irq_work_queue(&rb->work)}. */
    void irqWorkQueue() {
        if (!PENDING.compareAndSet(this, 0, 1)) {
            COUNTS.getAndAdd(counts, COALESCED, 1L);
            return;
        }
        COUNTS.getAndAdd(counts, SENT, 1L);
        PENDING.setVolatile(this, 0);
        wakeUpAll();
    }

    /** {@code wake_up_all(&rb->waitq)}. */
    void wakeUpAll() {
        for (PollWaiter w : waiters) {
            w.wake();
        }
    }

    /** The ring is closing: wake every waiter so that it notices. */
    void closeAll() {
        wakeUpAll();
    }

    synchronized void add(PollWaiter w) {
        PollWaiter[] cur = waiters;
        for (PollWaiter x : cur) {
            if (x == w) {
                return;
            }
        }
        PollWaiter[] next = Arrays.copyOf(cur, cur.length + 1);
        next[cur.length] = w;
        waiters = next;
    }

    synchronized void remove(PollWaiter w) {
        waiters = Arrays.stream(waiters).filter(x -> x != w).toArray(PollWaiter[]::new);
    }

    /** Wake-ups sent: times the deferred work ran. */
    long sent() {
        return (long) COUNTS.getVolatile(counts, SENT);
    }

    /** Wake-up requests that found one already pending and were merged into it. */
    long coalesced() {
        return (long) COUNTS.getVolatile(counts, COALESCED);
    }
}
