package dev.ringbench.ringbuf;

import dev.ringbench.os.Atomics;
import dev.ringbench.os.PollWaiter;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

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
 * <p>Placement: the PENDING word is in the ring's private metadata page, on cache lines of its
 * own, as {@code rb->work} is in the kernel's {@code struct bpf_ringbuf}. The holder of PENDING
 * counts the wake-up with a plain increment; coalesced requests are counted in a striped counter.
 *
 * <p>Waiters ({@link PollWaiter}, the port's epoll instance) register once, as
 * {@code epoll_ctl(ADD)} does, and stay registered; the array is copied on the rare add or
 * remove and read without locks on every wake-up.
 */
final class WaitQueue {
    private static final PollWaiter[] NONE = new PollWaiter[0];
    private static final VarHandle SENT;

    static {
        try {
            SENT = MethodHandles.lookup().findVarHandle(WaitQueue.class, "sent", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code IRQ_WORK_PENDING}. */
    private static final int PENDING = 1;

    /**
     * The ring's private metadata page, holding {@code rb->work}'s flags word at
     * {@link RingBufDescriptor#META_WORK_OFFSET}, alone on its cache lines: no field producers
     * read on their fast path shares them.
     */
    private final MemorySegment work;
    private volatile PollWaiter[] waiters = NONE;
    /**
     * Wake-ups sent. Written only by the thread that holds PENDING (so a plain increment, published
     * opaque), ordered between holders by the claim's cmpxchg and the release that clears PENDING.
     */
    @SuppressWarnings("unused") // written through SENT
    private long sent;
    /** Requests merged into a pending one: several committers may coalesce at once, so striped. */
    private final LongAdder coalesced = new LongAdder();

    /**
     * @param metaPage a segment that starts at the ring's private metadata page (the page, or the
     *                 ring's whole mapping), whose work word this queue uses
     */
    WaitQueue(MemorySegment metaPage) {
        this.work = metaPage;
    }

    /** {@code irq_work_queue(&rb->work)}. */
    void irqWorkQueue() {
        // irq_work_claim: atomic_fetch_or of PENDING, a full barrier (kept: irqWorkQueue's callers
        // do not all issue one before it, and without it a request could see a stale PENDING and
        // coalesce into a wake-up that has already looked). Pairs with the smp_mb below.
        if (Atomics.cmpxchgInt(work, RingBufDescriptor.META_WORK_OFFSET, 0, PENDING) != 0) {
            coalesced.increment();
            return;
        }
        // we own PENDING: nobody else writes `sent` until we release it
        SENT.setOpaque(this, (long) SENT.getOpaque(this) + 1);
        // irq_work_single: clear PENDING (atomic_set; pairs with the next claim's cmpxchg), then
        // smp_mb before the function runs, pairing with the claim's barrier: a request that still
        // saw PENDING is covered by the wake-up below
        Atomics.smpStoreReleaseInt(work, RingBufDescriptor.META_WORK_OFFSET, 0);
        Atomics.smpMb();
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
        return (long) SENT.getOpaque(this);
    }

    /** Wake-up requests that found one already pending and were merged into it. */
    long coalesced() {
        return coalesced.sum();
    }
}
