package dev.ringbench.competitors.perfbuf;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.RecordHandler;
import dev.ringbench.ringbuf.Errno;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The per-producer perf-buffer analogue (spec section 10) as a {@link Channel}: one
 * {@link PerfRing} per producer, each written only by its producer, and one {@link PerfBuffer}
 * consuming them all as libbpf's {@code perf_buffer} does.
 *
 * <p><b>Sizes.</b> {@code capacityBytes} is split evenly: each ring gets
 * {@code capacityBytes / producers} rounded <em>down</em> to a power-of-two number of 4096-byte
 * pages, at least one page, plus its control page. So with 3 producers and 64 KiB each ring has
 * 16 KiB of data (48 KiB in all), and {@link #memoryBytes()} counts what was really allocated
 * (control and data pages of every ring). {@link #maxRecordLength()} is the config's, capped at
 * what always fits one empty ring with a LOST record in front
 * ({@link PerfBufDescriptor#maxSampleLength}).
 *
 * <p><b>Wake-ups.</b> {@code perfWatermarkBytes > 0} selects watermark mode (wake when more than
 * that many bytes were written since the last wake-up mark); otherwise every
 * {@code perfWakeupEvents} samples wake the consumer (libbpf's default 1: every sample). Events
 * mode also wakes about every half ring of bytes, as the kernel does ({@link PerfRing}).
 *
 * <p><b>Consumer.</b> {@link #await} is {@code perf_buffer__poll}: it sleeps until a ring was
 * woken, then drains every woken ring completely, whatever {@code limit} says (as
 * {@code BpfRingBufChannel}'s await does); records written since the last wake-up without one of
 * their own wait for the next wake-up (see {@link PerfBuffer} on readiness). {@link #poll} drains
 * every ring without waiting, ring 0 first, stopping after {@code limit} records. There is no
 * order across producers ({@code globalOrder} false).
 *
 * <p><b>Producers.</b> Copy-only ({@code bpf_perf_event_output}): {@link ChannelProducer#offer}
 * copies, and returns false when the ring is full (counted in {@code drops}; the consumer is told
 * by a LOST record, summed in {@code lostReported}). {@code tryClaim}, {@code buffer},
 * {@code offset}, {@code commit} and {@code abort} throw {@link UnsupportedOperationException}.
 */
public final class PerfBufChannel implements Channel {
    private static final Capabilities CAPABILITIES = new Capabilities(true, false, false, false, true, true);
    private static final VarHandle DELIVERED;
    private static final VarHandle LOST_REPORTED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            DELIVERED = l.findVarHandle(PerfBufChannel.class, "delivered", long.class);
            LOST_REPORTED = l.findVarHandle(PerfBufChannel.class, "lostReported", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelKind kind;
    private final ChannelConfig config;
    private final PerfRing[] rings;
    private final PerfBuffer buffer;
    private final PerfBufProducer[] producers;
    private final int maxRecordLength;
    private RecordHandler handler;
    private int batch;
    // Written by the consumer thread only (setOpaque), read by counters() from any thread.
    private long delivered;
    private long lostReported;
    private volatile boolean shutdown;

    private PerfBufChannel(ChannelKind kind, ChannelConfig config) {
        this.kind = kind;
        this.config = config;
        int n = config.producers();
        int pages = dataPagesPerRing(config.capacityBytes(), n);
        this.rings = new PerfRing[n];
        this.producers = new PerfBufProducer[n];
        try {
            for (int i = 0; i < n; i++) {
                rings[i] = PerfRing.create(i, pages, config.perfWakeupEvents(), config.perfWatermarkBytes());
                producers[i] = new PerfBufProducer(rings[i]);
            }
            this.buffer = PerfBuffer.create(rings, this::onSample, this::onLost);
        } catch (RuntimeException e) {
            for (PerfRing r : rings) {
                if (r != null) {
                    r.close();
                }
            }
            throw e;
        }
        this.maxRecordLength = Math.min(config.maxRecordLength(), rings[0].maxSampleLength());
    }

    /** Builds the channel; {@code kind} must be {@link ChannelKind#PERFBUF}. */
    public static Channel create(ChannelKind kind, ChannelConfig config) {
        if (kind != ChannelKind.PERFBUF) {
            throw new IllegalArgumentException("not the perf buffer kind: " + kind);
        }
        return new PerfBufChannel(kind, config);
    }

    /** Data pages of each ring: {@code capacityBytes / producers} rounded down to a power-of-two page count, at least 1. */
    static int dataPagesPerRing(int capacityBytes, int producers) {
        int pages = capacityBytes / producers / PerfBufDescriptor.PAGE_SIZE;
        return Math.max(1, Integer.highestOneBit(pages));
    }

    private void onSample(MemorySegment data, long offset, int length) {
        handler.onRecord(data, offset, length);
        batch++;
        DELIVERED.setOpaque(this, delivered + 1); // single consumer thread
    }

    private void onLost(int ring, long lost) {
        LOST_REPORTED.setOpaque(this, lostReported + lost);
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
        return config.perfWatermarkBytes() > 0
                ? "perf: watermark=" + config.perfWatermarkBytes() + " bytes"
                : "perf: wakeup_events=" + config.perfWakeupEvents();
    }

    @Override
    public int producers() {
        return producers.length;
    }

    @Override
    public int maxRecordLength() {
        return maxRecordLength;
    }

    @Override
    public ChannelProducer producer(int index) {
        return producers[index];
    }

    @Override
    public int poll(RecordHandler h, int limit) {
        handler = h;
        batch = 0;
        check(buffer.consumeN(Math.max(limit, 0)));
        return batch;
    }

    @Override
    public int await(RecordHandler h, int limit, long timeoutNanos) {
        handler = h;
        batch = 0;
        if (shutdown) {
            return drainAfterShutdown(limit);
        }
        int timeoutMs = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int r = buffer.poll(timeoutMs);
        if (r == Errno.EBADF) {
            return drainAfterShutdown(limit);
        }
        if (r != Errno.EINTR) {
            check(r);
        }
        return batch;
    }

    private int drainAfterShutdown(int limit) {
        check(buffer.consumeN(Math.max(limit, 0)));
        return batch > 0 ? batch : -1;
    }

    private static void check(int rc) {
        if (rc < 0) {
            throw new IllegalStateException("perf buffer: corrupted ring (errno " + rc + ")");
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        buffer.shutdown(); // a poll in progress returns -EBADF
    }

    @Override
    public ChannelCounters counters() {
        long drops = 0;
        long wakeups = 0;
        for (PerfRing r : rings) {
            drops += r.lostSamples();
            wakeups += r.wakeups();
        }
        return new ChannelCounters((long) DELIVERED.getOpaque(this), drops, wakeups, 0,
                (long) LOST_REPORTED.getOpaque(this));
    }

    @Override
    public long memoryBytes() {
        long sum = 0;
        for (PerfRing r : rings) {
            sum += r.memoryBytes();
        }
        return sum;
    }

    /** The consumer, for scenario-specific reports. */
    public PerfBuffer buffer() {
        return buffer;
    }

    @Override
    public void close() {
        shutdown = true;
        buffer.close();
        for (PerfRing r : rings) {
            r.close();
        }
    }
}
