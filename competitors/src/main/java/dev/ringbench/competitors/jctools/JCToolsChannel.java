package dev.ringbench.competitors.jctools;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.competitors.RecordHandler;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.MpscBlockingConsumerArrayQueue;
import org.jctools.queues.SpscArrayQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * JCTools as a {@link Channel}: a bounded MPSC queue of references to pooled events,
 * {@link Queue#MPSC} an {@link MpscArrayQueue}, {@link Queue#MPSC_BLOCKING}
 * an {@link MpscBlockingConsumerArrayQueue}.
 *
 * <h2>Fairness contract</h2>
 * Records of {@code 0..maxRecordLength} payload bytes, in fixed slots. The queue holds
 * {@code slots} = {@link ChannelConfig#slots(int) config.slots(slotBytes)} (a power of two, at least 2)
 * references, with {@code slotBytes = roundUp8(maxRecordLength) + 16} as for the Disruptor. Events
 * (a {@code byte[maxRecordLength]} and one {@code MemorySegment.ofArray} view each, made at
 * construction) are pooled, nothing is allocated per record: each producer owns a free-list
 * ({@link SpscArrayQueue}: the consumer thread returns an event to its owner after the handler, the
 * owner takes it) of {@code slots + 1} events, enough for the queue to fill with one producer's
 * events while the consumer holds one, so the pool never runs dry before the queue is full. This is
 * the price of contention-free pools: {@link #memoryBytes()} = {@code producers * (slots + 1) *
 * slotBytes}, more than the queue alone. A full queue (or, equivalently, an empty pool) is a drop
 * counted per producer, never a wait. The consumer reads each payload in place from the event's
 * array. Records arrive in queue order: the order the producers' offers succeeded.
 *
 * <h2>Operations</h2>
 * Copy-in only: JCTools queues pass references and have no reserve-then-write, so {@code tryClaim},
 * {@code buffer}, {@code offset}, {@code commit} and {@code abort} throw
 * {@link UnsupportedOperationException}. {@code offer} = take a pooled event (none: drop), copy,
 * {@code queue.offer} (false: keep the event for the next offer, drop).
 *
 * <h2>Waiting</h2>
 * {@link Queue#MPSC}: {@link #await} polls, backing off between empty polls with
 * "spin-yield-park": {@value #SPINS} {@code Thread.onSpinWait()}, {@value #YIELDS}
 * {@code Thread.yield()}, then {@code LockSupport.parkNanos} from {@value #MIN_PARK_NS} ns doubling up
 * to {@value #MAX_PARK_NS} ns (the schedule of Agrona's {@code BackoffIdleStrategy} defaults, so the
 * two polling consumers compare like for like); {@link #shutdown()} unparks it.
 * {@link Queue#MPSC_BLOCKING}: after an empty non-blocking poll, {@link #await} blocks in
 * {@code poll(timeout, NANOSECONDS)} ({@code take()} for a negative timeout), parked until a producer's
 * {@code offer} unparks it; {@link #shutdown()} offers a preallocated sentinel event (the queue's
 * only wake-up path), which the consumer never delivers. A negative timeout waits without limit.
 *
 * <h2>Wake-ups</h2>
 * JCTools does not count its wake-ups, but shows the state that decides them: a consumer about to
 * park in the blocking queue marks the producer index odd, and the offer that takes the mark
 * unparks it. {@code notifications}: offers that found the mark just before offering, counted per
 * producer (exact with one producer; producers racing for one mark each count it, though one
 * unparks; a mark set between that read and the offer's own is missed). {@code wakeups}: blocking
 * {@code poll(timeout)}/{@code take()} calls that returned a record while the notifications grew,
 * i.e. the consumer had parked and a producer took its mark; a return with a record that arrived
 * before the consumer parked, a timeout and the shutdown sentinel are not counted. Both 0 for
 * {@link Queue#MPSC}, whose consumer backs off on a timer and is never signalled.
 *
 * <p>Counters: {@code delivered} (consumer thread), {@code drops}, {@code notifications},
 * {@code wakeups} as above,
 * {@code nmiFailures} 0, {@code lostReported} 0. JVM flags: JCTools 4 uses {@code sun.misc.Unsafe};
 * Java 25 warns once on its first memory access unless {@code --sun-misc-unsafe-memory-access=allow}.
 */
public final class JCToolsChannel implements Channel {
    /** The queue, and so how the consumer waits. */
    public enum Queue {
        /** {@link MpscArrayQueue}: the consumer spins, yields, then parks briefly. */
        MPSC,
        /** {@link MpscBlockingConsumerArrayQueue}: the consumer parks until woken. */
        MPSC_BLOCKING
    }

    /** Per-slot bytes on top of the payload rounded up to 8 (array header, length, owner). */
    static final int SLOT_OVERHEAD = 16;
    static final int SPINS = 10;
    static final int YIELDS = 5;
    static final long MIN_PARK_NS = 1_000;
    static final long MAX_PARK_NS = 1_000_000;

    private static final VarHandle DELIVERED;
    private static final VarHandle WAKEUPS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            DELIVERED = l.findVarHandle(JCToolsChannel.class, "delivered", long.class);
            WAKEUPS = l.findVarHandle(JCToolsChannel.class, "wakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelConfig config;
    private final Capabilities capabilities;
    private final int slots;
    private final int slotBytes;
    private final MessagePassingQueue<PooledEvent> queue;
    /** The same queue when blocking, else null. */
    private final MpscBlockingConsumerArrayQueue<PooledEvent> blockingQueue;
    private final SpscArrayQueue<PooledEvent>[] pools;
    private final PooledEvent shutdownSentinel = new PooledEvent(0, -1);
    private final JCToolsProducer[] producers;
    private final PerProducerCounter drops;
    private final PerProducerCounter notifications;
    @SuppressWarnings("unused") // written through DELIVERED
    private long delivered;
    @SuppressWarnings("unused") // written through WAKEUPS
    private long wakeups;
    private volatile boolean shutdown;
    /** The consumer parked in the spinning kind's await, for shutdown to unpark. */
    private volatile Thread waiter;

    @SuppressWarnings("unchecked")
    private JCToolsChannel(ChannelConfig config, Capabilities capabilities, Queue queueKind) {
        this.config = config;
        boolean blocking = queueKind == Queue.MPSC_BLOCKING;
        this.capabilities = capabilities;
        int max = config.maxRecordLength();
        this.slotBytes = ((max + 7) & ~7) + SLOT_OVERHEAD;
        this.slots = config.slots(slotBytes);
        if (blocking) {
            blockingQueue = new MpscBlockingConsumerArrayQueue<>(slots);
            queue = blockingQueue;
        } else {
            blockingQueue = null;
            queue = new MpscArrayQueue<>(slots);
        }
        int n = config.producers();
        this.drops = new PerProducerCounter(n);
        this.notifications = new PerProducerCounter(n);
        this.pools = (SpscArrayQueue<PooledEvent>[]) new SpscArrayQueue<?>[n];
        this.producers = new JCToolsProducer[n];
        for (int i = 0; i < n; i++) {
            pools[i] = new SpscArrayQueue<>(slots + 1);
            for (int j = 0; j <= slots; j++) {
                pools[i].offer(new PooledEvent(max, i));
            }
            producers[i] = new JCToolsProducer(queue, pools[i], i, max, drops, notifications);
        }
    }

    /** Builds the channel on a {@code queue}. */
    public static Channel create(ChannelConfig config, Capabilities capabilities, Queue queue) {
        return new JCToolsChannel(config, capabilities, queue);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public String waitStrategy() {
        return blockingQueue != null
                ? "MpscBlockingConsumerArrayQueue.poll(timeout, NANOSECONDS): park until a producer unparks"
                : "spin(" + SPINS + ")-yield(" + YIELDS + ")-parkNanos(" + MIN_PARK_NS + ".." + MAX_PARK_NS + " ns) backoff";
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

    /** Capacity of the queue, in records. */
    public int slots() {
        return slots;
    }

    @Override
    public int poll(RecordHandler handler, int limit) {
        MessagePassingQueue<PooledEvent> q = queue;
        int n = 0;
        PooledEvent e;
        while (n < limit && (e = q.relaxedPoll()) != null) {
            if (e != shutdownSentinel) {
                deliver(handler, e);
                n++;
            }
        }
        if (n > 0) {
            DELIVERED.setOpaque(this, (long) DELIVERED.getOpaque(this) + n); // single writer
        }
        return n;
    }

    private void deliver(RecordHandler handler, PooledEvent e) {
        handler.onRecord(e.view, 0, e.length);
        pools[e.owner].offer(e); // never full: it holds all of its producer's events
    }

    @Override
    public int await(RecordHandler handler, int limit, long timeoutNanos) {
        if (shutdown) {
            return afterShutdown(handler, limit);
        }
        int n = poll(handler, limit);
        if (n > 0) {
            return n;
        }
        if (shutdown) { // that poll may have taken (and skipped) the shutdown sentinel: do not block
            return afterShutdown(handler, limit);
        }
        if (timeoutNanos == 0 || limit <= 0) {
            return 0;
        }
        return blockingQueue != null ? block(handler, limit, timeoutNanos) : backoff(handler, limit, timeoutNanos);
    }

    private int block(RecordHandler handler, int limit, long timeoutNanos) {
        PooledEvent e;
        long notified = notifications.sum();
        try {
            e = timeoutNanos < 0 ? blockingQueue.take() : blockingQueue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return 0;
        }
        if (e == null) {
            return shutdown ? afterShutdown(handler, limit) : 0;
        }
        if (e == shutdownSentinel) {
            return afterShutdown(handler, limit);
        }
        if (notifications.sum() != notified) { // a producer took the parked mark: woken by its unpark
            WAKEUPS.setOpaque(this, (long) WAKEUPS.getOpaque(this) + 1); // single writer
        }
        deliver(handler, e);
        DELIVERED.setOpaque(this, (long) DELIVERED.getOpaque(this) + 1);
        return 1 + poll(handler, limit - 1);
    }

    private int backoff(RecordHandler handler, int limit, long timeoutNanos) {
        long start = System.nanoTime();
        int idle = 0;
        long park = MIN_PARK_NS;
        waiter = Thread.currentThread();
        try {
            while (true) {
                if (shutdown) {
                    return afterShutdown(handler, limit);
                }
                int n = poll(handler, limit);
                if (n > 0) {
                    return n;
                }
                long remaining = timeoutNanos < 0 ? Long.MAX_VALUE : timeoutNanos - (System.nanoTime() - start);
                if (remaining <= 0) {
                    return 0;
                }
                if (idle < SPINS) {
                    Thread.onSpinWait();
                } else if (idle < SPINS + YIELDS) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(this, Math.min(park, remaining));
                    park = Math.min(park << 1, MAX_PARK_NS);
                }
                idle++;
            }
        } finally {
            waiter = null;
        }
    }

    private int afterShutdown(RecordHandler handler, int limit) {
        int n = poll(handler, limit);
        return n > 0 ? n : -1;
    }

    @Override
    public void shutdown() {
        if (shutdown) {
            return;
        }
        shutdown = true;
        if (blockingQueue != null) {
            // The only way into a consumer parked in poll(timeout): an offer. If the queue is full the
            // consumer is not parked, and its next await sees the flag.
            blockingQueue.offer(shutdownSentinel);
        } else {
            Thread t = waiter;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    @Override
    public ChannelCounters counters() {
        return new ChannelCounters((long) DELIVERED.getOpaque(this), drops.sum(), notifications.sum(),
                (long) WAKEUPS.getOpaque(this), 0, 0);
    }

    @Override
    public long memoryBytes() {
        return (long) producers.length * (slots + 1) * slotBytes;
    }

    @Override
    public void close() {
        shutdown(); // heap memory, freed by the GC
    }
}
