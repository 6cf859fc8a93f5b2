package dev.ringbench.competitors.kernel;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.competitors.RecordHandler;
import dev.ringbench.competitors.WakeupPolicy;
import dev.ringbench.kernel.KernelRingBuf;
import dev.ringbench.ringbuf.Errno;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.RingBufDescriptor;

import java.lang.foreign.MemorySegment;

/**
 * The real kernel's BPF ring buffer as a {@link Channel}: one {@code BPF_MAP_TYPE_RINGBUF} map of
 * {@code capacityBytes} shared by all producers, consumed by the port's own
 * {@link RingBufConsumer} (libbpf's loop for {@link ChannelKind#KERNEL_RINGBUF_LIBBPF}, the kernel
 * benchmark's batched loop for {@link ChannelKind#KERNEL_RINGBUF_BATCHED}), which sleeps in a real
 * {@code epoll_wait} on the map fd and is woken by the kernel's own deferred wake-up work.
 *
 * <p><b>Producers</b> are BPF programs run with {@code BPF_PROG_TEST_RUN}, one syscall per
 * {@link ChannelProducer#offer}, as the kernel's benchmark triggers its programs with a syscall
 * ({@link KernelRingBufProducer}). A kernel reservation cannot outlive the program run that made
 * it, so a Java thread cannot hold one between {@code tryClaim} and {@code commit}: the kinds are
 * copy-only ({@code reserveCommit} and {@code discard} false; those calls throw
 * {@link UnsupportedOperationException}). Inside the program, an offer is
 * {@code bpf_ringbuf_output} by default, or {@code bpf_ringbuf_reserve} + copy +
 * {@code bpf_ringbuf_submit} after {@link KernelRingBufProducer#useReserve(boolean)} (the
 * benchmark's reserve-vs-output comparison); {@link KernelRingBufProducer#offerBatch} runs one
 * program {@code count} times in one syscall ({@code repeat}, the benchmark's batches).
 *
 * <p><b>Counters.</b> {@code wakeups} counts the wake-ups the consumer received (epoll reporting
 * the ring): the kernel does not count the ones it sends. {@link #memoryBytes()} is the map's
 * pages as the kernel allocates them (three metadata pages plus the data pages, the port's
 * {@code physicalBytes}); the producers' io maps (payload staging, one page or so each) are not
 * counted.
 *
 * <p>Where the kernel cannot be driven, {@link #create} throws {@link UnsupportedOperationException}
 * with the reason ({@link ChannelKind#unavailableReason()} says it without trying).
 */
public final class KernelRingBufChannel implements Channel {
    public static final Capabilities CAPABILITIES = new Capabilities(true, false, false, true, true, true);

    private final ChannelKind kind;
    private final ChannelConfig config;
    private final KernelRingBuf ring;
    private final RingBufConsumer consumer;
    private final Ring consumerRing;
    private final KernelRingBufProducer[] producers;
    private final PerProducerCounter drops;
    private RecordHandler handler;
    private volatile long delivered;
    private volatile boolean shutdown;

    private KernelRingBufChannel(ChannelKind kind, ChannelConfig config) {
        this.kind = kind;
        this.config = config;
        this.ring = KernelRingBuf.create(config.capacityBytes());
        Ring.Mode mode = kind == ChannelKind.KERNEL_RINGBUF_BATCHED ? Ring.Mode.BATCHED : Ring.Mode.LIBBPF;
        this.drops = new PerProducerCounter(config.producers());
        this.producers = new KernelRingBufProducer[config.producers()];
        RingBufConsumer c = null;
        try {
            c = RingBufConsumer.create(ring, this::onSample, mode);
            for (int i = 0; i < producers.length; i++) {
                producers[i] = new KernelRingBufProducer(ring, i, config.maxRecordLength(), config.wakeup(),
                        config.wakeupN(), drops);
            }
        } catch (RuntimeException e) {
            for (KernelRingBufProducer p : producers) {
                if (p != null) {
                    p.close();
                }
            }
            if (c != null) {
                c.close();
            }
            ring.close();
            throw e;
        }
        this.consumer = c;
        this.consumerRing = consumer.ring(0);
    }

    /** Builds the channel for one of the two KERNEL_RINGBUF kinds. */
    public static Channel create(ChannelKind kind, ChannelConfig config) {
        if (kind != ChannelKind.KERNEL_RINGBUF_LIBBPF && kind != ChannelKind.KERNEL_RINGBUF_BATCHED) {
            throw new IllegalArgumentException("not a kernel ring buffer kind: " + kind);
        }
        return new KernelRingBufChannel(kind, config);
    }

    private int onSample(MemorySegment data, long offset, int length) {
        handler.onRecord(data, offset, length);
        delivered++; // single consumer thread; volatile for counters() readers
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
        return "epoll_wait on the map fd, commit flags " + p + (withN ? "(" + config.wakeupN() + ")" : "");
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
        return Math.max(n, 0);
    }

    @Override
    public int await(RecordHandler h, int limit, long timeoutNanos) {
        handler = h;
        if (shutdown) {
            int n = consumerRing.consumeN(limit);
            return n > 0 ? n : -1;
        }
        int timeoutMs = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int n = consumer.poll(timeoutMs);
        if (n == Errno.EBADF) {
            n = consumerRing.consumeN(limit);
            return n > 0 ? n : -1;
        }
        return Math.max(n, 0);
    }

    @Override
    public void shutdown() {
        shutdown = true;
        consumer.close(); // a poll in progress returns -EBADF
    }

    @Override
    public ChannelCounters counters() {
        return new ChannelCounters(delivered, drops.sum(), ring.wakeupsReceived(), 0, 0);
    }

    @Override
    public long memoryBytes() {
        return RingBufDescriptor.DATA_OFFSET + ring.size();
    }

    /** The kernel map, for scenario-specific reports. */
    public KernelRingBuf ring() {
        return ring;
    }

    @Override
    public void close() {
        consumer.close();
        for (KernelRingBufProducer p : producers) {
            p.close();
        }
        ring.close();
    }
}
