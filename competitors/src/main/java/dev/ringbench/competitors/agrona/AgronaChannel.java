package dev.ringbench.competitors.agrona;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.competitors.RecordHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * Agrona's byte ring buffers as a {@link Channel}: {@link Producers#MANY_TO_ONE} a
 * {@link ManyToOneRingBuffer} (producers claim with a CAS on the tail), {@link Producers#ONE_TO_ONE}
 * a {@link OneToOneRingBuffer}, the single-producer reference, which rejects more than one producer
 * ({@link IllegalArgumentException}).
 *
 * <h2>Fairness contract</h2>
 * Records of {@code 0..maxRecordLength} payload bytes, variable length: each takes its length plus
 * Agrona's 8-byte header, aligned to 8, in one direct ring of {@code capacityBytes} (plus
 * {@code RingBufferDescriptor.TRAILER_LENGTH} for the positions), allocated once with
 * {@code ByteBuffer.allocateDirect} (malloc'd, 8-byte aligned as Agrona verifies);
 * {@link #memoryBytes()} is {@code capacityBytes + TRAILER_LENGTH}. Nothing is allocated per record. A
 * full ring ({@code tryClaim}/{@code write} failing) is a drop counted per producer, never a wait. The
 * consumer reads each payload in place: {@code read(MessageHandler, limit)} with one handler, made once,
 * that passes a {@code MemorySegment} view of the same direct memory (made once) and the message's
 * index to the {@link RecordHandler} ({@link #poll} reads twice when under {@code limit}, as one
 * {@code read} stops at the end of the buffer). A record never wraps: one that does not fit before
 * the end pads it and goes to the start, and {@code OneToOneRingBuffer} keeps 8 bytes free (it
 * pre-zeroes the next header). Agrona's largest message is {@code capacity / 8}
 * ({@code maxMsgLength()}), below the config's limit of {@code capacity / 4}: a larger
 * {@code maxRecordLength} is rejected at construction ({@link IllegalArgumentException}).
 *
 * <h2>Operations</h2>
 * {@code tryClaim(len)} = {@code tryClaim(MSG_TYPE_ID, len)} (negative index: drop); {@code buffer()}
 * the view; {@code offset()} the claimed index; {@code commit}/{@code abort} = {@code commit(index)}/
 * {@code abort(index)} (an aborted record becomes padding that {@code read} skips: never delivered).
 * {@code offer} = {@code write(MSG_TYPE_ID, src, 0, len)}, {@code src} a per-producer
 * {@link UnsafeBuffer} re-wrapped around the source: {@code wrap(address, length)} for a native
 * segment, {@code wrap(byte[], offset, length)} for a {@code byte[]}-backed heap segment; another
 * heap segment is first copied into a per-producer scratch array. Records arrive in claim order.
 *
 * <h2>Waiting</h2>
 * {@link #await} loops {@code read} and {@link BackoffIdleStrategy#idle(int)} (defaults: 10 spins, 5
 * yields, then {@code parkNanos} from 1 us doubling to 1 ms), resetting the strategy after work,
 * until data, the timeout (negative: none) or {@link #shutdown()}, which also unparks the consumer.
 * The consumer never sleeps waiting for a signal: {@code blockingConsumer} is false and
 * {@code notifications} and {@code wakeups} are 0: producers send nothing (Agrona's ring buffers
 * have no wake-up path), and the idle strategy's parks end on their own timer, never on a signal
 * (the unpark of {@link #shutdown()} is not a notification).
 *
 * <p>Counters: {@code delivered} (consumer thread), {@code drops}, {@code notifications} 0,
 * {@code wakeups} 0,
 * {@code nmiFailures} 0, {@code lostReported} 0. JVM flags: Agrona 2.x reaches
 * {@code jdk.internal.misc.Unsafe}, so it needs {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}
 * (without it the first {@code UnsafeBuffer} throws {@code IllegalAccessError}); see
 * {@code ChannelKind.Library.AGRONA}.
 * The memory is freed by the GC (the channel keeps no native handle of its own).
 */
public final class AgronaChannel implements Channel {
    /** Which ring: how many producers may share it. */
    public enum Producers {
        /** {@link ManyToOneRingBuffer}: producers claim with a CAS on the tail. */
        MANY_TO_ONE,
        /** {@link OneToOneRingBuffer}: exactly one producer. */
        ONE_TO_ONE
    }

    /** The one message type every record carries (Agrona reserves type ids below 1). */
    static final int MSG_TYPE_ID = 1;

    private static final VarHandle DELIVERED;

    static {
        try {
            DELIVERED = MethodHandles.lookup().findVarHandle(AgronaChannel.class, "delivered", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelConfig config;
    private final Capabilities capabilities;
    private final ByteBuffer memory;
    private final MemorySegment view;
    private final RingBuffer ring;
    private final AgronaProducer[] producers;
    private final PerProducerCounter drops;
    private final BackoffIdleStrategy idle = new BackoffIdleStrategy();
    private final MessageHandler forward = this::onMessage;
    private RecordHandler handler;
    @SuppressWarnings("unused") // written through DELIVERED
    private long delivered;
    private volatile boolean shutdown;
    /** The consumer in await, for shutdown to unpark. */
    private volatile Thread waiter;

    private AgronaChannel(ChannelConfig config, Capabilities capabilities, Producers kind) {
        this.config = config;
        boolean manyToOne = kind == Producers.MANY_TO_ONE;
        if (!manyToOne && config.producers() != 1) {
            throw new IllegalArgumentException("AGRONA_ONE_TO_ONE takes exactly one producer: " + config.producers());
        }
        this.capabilities = capabilities;
        this.memory = ByteBuffer.allocateDirect(config.capacityBytes() + RingBufferDescriptor.TRAILER_LENGTH);
        this.view = MemorySegment.ofBuffer(memory);
        UnsafeBuffer buffer = new UnsafeBuffer(memory);
        this.ring = manyToOne ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
        if (config.maxRecordLength() > ring.maxMsgLength()) {
            throw new IllegalArgumentException("Agrona's largest message is capacity / 8 = " + ring.maxMsgLength()
                    + " bytes: maxRecordLength " + config.maxRecordLength() + " does not fit");
        }
        this.drops = new PerProducerCounter(config.producers());
        this.producers = new AgronaProducer[config.producers()];
        for (int i = 0; i < producers.length; i++) {
            producers[i] = new AgronaProducer(ring, view, i, config.maxRecordLength(), drops);
        }
    }

    /** Builds the channel on a many-to-one or one-to-one ring. */
    public static Channel create(ChannelConfig config, Capabilities capabilities, Producers producers) {
        return new AgronaChannel(config, capabilities, producers);
    }

    private void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        handler.onRecord(view, index, length);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public String waitStrategy() {
        return "BackoffIdleStrategy";
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

    /** Agrona's largest message for this ring: {@code capacity / 8}. */
    public int maxMsgLength() {
        return ring.maxMsgLength();
    }

    @Override
    public int poll(RecordHandler h, int limit) {
        if (limit <= 0) {
            return 0;
        }
        handler = h;
        int n = ring.read(forward, limit);
        if (n < limit) { // one read stops at the end of the buffer: read the wrapped part too
            n += ring.read(forward, limit - n);
        }
        if (n > 0) {
            DELIVERED.setOpaque(this, (long) DELIVERED.getOpaque(this) + n); // single writer
        }
        return n;
    }

    @Override
    public int await(RecordHandler h, int limit, long timeoutNanos) {
        if (shutdown) {
            return afterShutdown(h, limit);
        }
        int n = poll(h, limit);
        if (n > 0 || timeoutNanos == 0 || limit <= 0) {
            return n;
        }
        long start = System.nanoTime();
        waiter = Thread.currentThread();
        idle.reset();
        try {
            while (true) {
                if (shutdown) {
                    return afterShutdown(h, limit);
                }
                n = poll(h, limit);
                if (n > 0) {
                    idle.reset();
                    return n;
                }
                if (timeoutNanos > 0 && System.nanoTime() - start >= timeoutNanos) {
                    return 0;
                }
                idle.idle(n);
            }
        } finally {
            waiter = null;
        }
    }

    private int afterShutdown(RecordHandler h, int limit) {
        int n = poll(h, limit);
        return n > 0 ? n : -1;
    }

    @Override
    public void shutdown() {
        shutdown = true;
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public ChannelCounters counters() {
        return new ChannelCounters((long) DELIVERED.getOpaque(this), drops.sum(), 0, 0, 0, 0);
    }

    @Override
    public long memoryBytes() {
        return memory.capacity();
    }

    @Override
    public void close() {
        shutdown(); // direct memory, freed by the GC once the channel is unreachable
    }
}
