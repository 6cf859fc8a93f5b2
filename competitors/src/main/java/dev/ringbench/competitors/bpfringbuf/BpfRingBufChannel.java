package dev.ringbench.competitors.bpfringbuf;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.competitors.RecordHandler;
import dev.ringbench.competitors.WakeupPolicy;
import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.Errno;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;

import java.lang.foreign.MemorySegment;

/**
 * The BPF ring buffer port as a {@link Channel}: one {@link BpfRingBuf} of
 * {@code capacityBytes} shared by all producers, with the lock era of the config, and one
 * {@link RingBufConsumer} using libbpf's loop ({@link ChannelKind#BPF_RINGBUF_LIBBPF}) or the
 * kernel benchmark's batched loop ({@link ChannelKind#BPF_RINGBUF_BATCHED}).
 *
 * <p>Producers reserve, write in place and submit (or discard) with the commit flags the
 * {@link dev.ringbench.competitors.WakeupPolicy} chooses; {@link ChannelProducer#offer} is
 * {@code bpf_ringbuf_output}. The consumer waits in {@code poll}, which (as {@code ring_buffer__poll})
 * delivers every available record whatever {@code limit} says; {@link #poll} honours the limit
 * ({@code ring_buffer__consume_n}).
 */
public final class BpfRingBufChannel implements Channel {
    private static final Capabilities CAPABILITIES = new Capabilities(true, true, true, true, true, true);
    private static final java.lang.invoke.VarHandle DELIVERED;

    static {
        try {
            DELIVERED = java.lang.invoke.MethodHandles.lookup().findVarHandle(BpfRingBufChannel.class, "delivered", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelKind kind;
    private final ChannelConfig config;
    private final BpfRingBuf ring;
    private final RingBufConsumer consumer;
    private final Ring consumerRing;
    private final BpfRingBufProducer[] producers;
    private final PerProducerCounter drops;
    private RecordHandler handler;
    /** Counted by the consumer thread, published once per call (opaque), as the other adapters do. */
    private long deliveredLocal;
    @SuppressWarnings("unused") // written through DELIVERED
    private long delivered;
    private volatile boolean shutdown;

    private BpfRingBufChannel(ChannelKind kind, ChannelConfig config) {
        this.kind = kind;
        this.config = config;
        this.ring = BpfRingBuf.create(config.capacityBytes(), 0, config.lockEra());
        Ring.Mode mode = kind == ChannelKind.BPF_RINGBUF_BATCHED ? Ring.Mode.BATCHED : Ring.Mode.LIBBPF;
        this.consumer = RingBufConsumer.create(ring, this::onSample, mode);
        this.consumerRing = consumer.ring(0);
        this.drops = new PerProducerCounter(config.producers());
        this.producers = new BpfRingBufProducer[config.producers()];
        for (int i = 0; i < producers.length; i++) {
            producers[i] = new BpfRingBufProducer(ring, i, config.wakeup(), config.wakeupN(), drops);
        }
    }

    /** Builds the channel for {@code kind}, one of the two BPF_RINGBUF kinds. */
    public static Channel create(ChannelKind kind, ChannelConfig config) {
        if (kind != ChannelKind.BPF_RINGBUF_LIBBPF && kind != ChannelKind.BPF_RINGBUF_BATCHED) {
            throw new IllegalArgumentException("not a BPF ring buffer kind: " + kind);
        }
        return new BpfRingBufChannel(kind, config);
    }

    private int onSample(MemorySegment data, long offset, int length) {
        handler.onRecord(data, offset, length);
        deliveredLocal++;
        return 0;
    }

    @Override
    public ChannelKind kind() {
        return kind;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String waitStrategy() {
        WakeupPolicy p = config.wakeup();
        boolean withN = p == WakeupPolicy.SAMPLED || p == WakeupPolicy.EVERY_NTH;
        return "epoll-like poll, commit flags " + p + (withN ? "(" + config.wakeupN() + ")" : "");
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

    @Override
    public int poll(RecordHandler h, int limit) {
        handler = h;
        int n = consumerRing.consumeN(limit);
        publishDelivered();
        return Math.max(n, 0);
    }

    private void publishDelivered() {
        DELIVERED.setOpaque(this, deliveredLocal);
    }

    @Override
    public int await(RecordHandler h, int limit, long timeoutNanos) {
        handler = h;
        if (shutdown) {
            int n = consumerRing.consumeN(limit);
            publishDelivered();
            return n > 0 ? n : -1;
        }
        int timeoutMs = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int n = consumer.poll(timeoutMs);
        if (n == Errno.EBADF) {
            n = consumerRing.consumeN(limit);
            publishDelivered();
            return n > 0 ? n : -1;
        }
        publishDelivered();
        return Math.max(n, 0);
    }

    @Override
    public void shutdown() {
        shutdown = true;
        consumer.close(); // a poll in progress returns -EBADF
    }

    @Override
    public ChannelCounters counters() {
        return new ChannelCounters((long) DELIVERED.getOpaque(this), drops.sum(), ring.notificationsSent(), ring.nmiFailures(), 0);
    }

    @Override
    public long memoryBytes() {
        return ring.memoryReport().physicalBytes();
    }

    /** The ring itself, for scenario-specific reports (lock counters, memory report). */
    public BpfRingBuf ring() {
        return ring;
    }

    @Override
    public void close() {
        consumer.close();
        ring.close();
    }
}
