package dev.ringbench.perfbuf;

import dev.ringbench.os.PollWaiter;
import dev.ringbench.os.WakeMechanism;

import dev.ringbench.os.Atomics;
import dev.ringbench.os.Errno;
import dev.ringbench.os.MappedAtomics;
import dev.ringbench.os.MappedMemory;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.util.Objects;

import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_HEAD_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_OFFSET_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_SIZE_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_TAIL_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.LOST_COUNT_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.LOST_ID_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.LOST_RECORD_SIZE;
import static dev.ringbench.perfbuf.PerfBufDescriptor.MAX_RECORD_SIZE;
import static dev.ringbench.perfbuf.PerfBufDescriptor.PAGE_SIZE;
import static dev.ringbench.perfbuf.PerfBufDescriptor.PERF_RECORD_LOST;
import static dev.ringbench.perfbuf.PerfBufDescriptor.PERF_RECORD_SAMPLE;
import static dev.ringbench.perfbuf.PerfBufDescriptor.RAW_DATA_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.RAW_SIZE_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.USERPG_SIZE;
import static dev.ringbench.perfbuf.PerfBufDescriptor.USERPG_SIZE_OFFSET;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One producer's perf ring ({@code struct perf_buffer} of one CPU's {@code PERF_COUNT_SW_BPF_OUTPUT}
 * event) and its producer side, {@code bpf_perf_event_output} → {@code perf_output_begin} /
 * {@code perf_output_sample} / {@code perf_output_end} ({@code kernel/events/ring_buffer.c}).
 *
 * <p>Memory: one page-aligned anonymous mapping ({@link MappedMemory}), the control page then
 * {@code 2^n} data pages, not double-mapped ({@link PerfBufDescriptor}). The producer writes its
 * headers and positions unchecked ({@link MappedAtomics}, as the port's reserve and commit do, so
 * that the two are compared doing the same kind of work; offsets are masked or constant) and
 * copies the payload through the checked segment; closing frees the memory but keeps the range
 * mapped until the ring is unreachable, so a write racing {@link #close()} cannot fault.
 *
 * <h2>Producer rules</h2>
 * <ul>
 *   <li>Space: {@code CIRC_SPACE(head, data_tail, size)} must hold the record (and the LOST record
 *       in front of it, if samples were lost). Otherwise the sample is dropped: -ENOSPC, the ring's
 *       {@code lost} grows (and the all-time {@link #lostSamples()}). A LOST record that does not
 *       fit takes its sample down with it, as in the kernel, where both are one reservation.</li>
 *   <li>The next successful write first writes {@code PERF_RECORD_LOST} with {@code id} = this
 *       ring's id and {@code lost} = the count so far, then resets the count.</li>
 *   <li>Copy-only: no reserve/commit. A record may wrap; it is written in two pieces.</li>
 *   <li>{@code data_head} is published with a release store after the record's bytes.</li>
 *   <li>Wake-ups ({@code perf_output_wakeup}: set the ring's poll flag, wake the consumer's
 *       waiter), counted by {@link #wakeups()}. The kernel's {@code rb->wakeup} counter decides:
 *       a write sends a wake-up when it changed the counter. Events mode ({@code wakeup_watermark
 *       == 0}): every {@code wakeup_events} samples bump it. Watermark mode: no event counting. In
 *       both modes, when {@code head - rb->wakeup > watermark} the counter grows by
 *       {@code watermark}, where {@code watermark = min(wakeup_watermark, size)}, or half the
 *       ring when none was given ({@code ring_buffer_init}): so events mode also wakes about every
 *       half ring of bytes. There is no caught-up rule.</li>
 * </ul>
 *
 * <h2>Deviations</h2>
 * One producer thread at a time per ring (the kernel's per-CPU ring allows nesting writers through
 * interrupts and NMIs, hence its {@code local_cmpxchg} loop and {@code nest} count; the analogue has
 * a plain head). The {@code data_tail} load is an acquire: the kernel relies on a control
 * dependency, which Java does not order. The wake-up work runs inline on the producer thread (the
 * kernel queues an irq_work). {@code raw_size} is the exact payload length
 * ({@link PerfBufDescriptor}). Bad Java input is rejected before any state changes: a negative
 * length returns -EINVAL, a record above {@link PerfBufDescriptor#MAX_RECORD_SIZE} (which the
 * kernel's u16 {@code size} cannot describe) -E2BIG, a source range outside {@code src} throws
 * {@link IndexOutOfBoundsException}. A record larger than the ring is, as in the kernel, never
 * placed: -ENOSPC and counted lost.
 */
public final class PerfRing implements PerfRingSource, AutoCloseable {
    /** Value of the poll flag after a wake-up ({@code EPOLLIN}). */
    static final int EPOLLIN = 0x1;

    private static final VarHandle POLL;
    private static final VarHandle COUNTER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            POLL = l.findVarHandle(PerfRing.class, "poll", int.class);
            COUNTER = MethodHandles.arrayElementVarHandle(long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Counters, written by the producer only (setOpaque), read by anyone (getOpaque); each on
    // its own line, away from the object header and the consumer-written poll flag.
    private static final int SAMPLES = 8;
    private static final int LOST_SAMPLES = 16;
    private static final int WAKEUPS = 24;

    private final int id;
    private final MappedMemory memory;
    private final MemorySegment control;
    private final MemorySegment data;
    private final long size;
    private final long mask;
    private final boolean watermarkMode;
    private final int wakeupEvents;
    private final long watermark;
    private final long[] counters = new long[32];

    // Producer-private state: rb->head, rb->lost, rb->wakeup, rb->events.
    private long head;
    private long lost;
    private long wakeup;
    private int events;

    /** {@code rb->poll}: set by a wake-up, taken (xchg to 0) by the consumer's poll. */
    @SuppressWarnings("unused")
    private volatile int poll;
    /** The consumer's epoll instance, once a {@link PerfBuffer} attached it. */
    private volatile PollWaiter waiter;

    private PerfRing(int id, int dataPages, int wakeupEvents, int wakeupWatermark) {
        this.id = id;
        this.size = (long) dataPages * PAGE_SIZE;
        this.mask = size - 1;
        this.watermarkMode = wakeupWatermark > 0;
        this.wakeupEvents = wakeupEvents;
        this.watermark = watermarkMode ? Math.min(size, wakeupWatermark) : size / 2;
        this.memory = MappedMemory.anonymous(PAGE_SIZE + size); // zeroed, page aligned
        MemorySegment all = memory.segment();
        this.control = all.asSlice(0, PAGE_SIZE);
        this.data = all.asSlice(PAGE_SIZE, size);
        // perf_event_init_userpage
        control.set(JAVA_INT, USERPG_SIZE_OFFSET, USERPG_SIZE);
        control.set(JAVA_LONG, DATA_OFFSET_OFFSET, PAGE_SIZE);
        control.set(JAVA_LONG, DATA_SIZE_OFFSET, size);
    }

    /**
     * Creates a ring as {@code perf_event_open} + {@code mmap} of {@code 1 + dataPages} pages would.
     *
     * @param id              the ring's index (the CPU in the kernel); written as the LOST record's id
     * @param dataPages       data pages, a power of two (libbpf's {@code page_cnt}; the kernel
     *                        benchmark uses 128)
     * @param wakeupEvents    {@code attr.wakeup_events} (libbpf: 1); used when
     *                        {@code wakeupWatermark == 0}; 0 leaves only the half-ring watermark
     * @param wakeupWatermark {@code attr.wakeup_watermark} in bytes with {@code attr.watermark = 1};
     *                        0 for events mode
     * @throws IllegalArgumentException for a page count that is not a power of two in
     *                                  [1, 2^18] or a negative wake-up setting
     */
    public static PerfRing create(int id, int dataPages, int wakeupEvents, int wakeupWatermark) {
        if (!PerfBufDescriptor.isValidDataPages(dataPages)) {
            throw new IllegalArgumentException("dataPages must be a power of two in [1, "
                    + PerfBufDescriptor.MAX_DATA_PAGES + "]: " + dataPages);
        }
        if (wakeupEvents < 0 || wakeupWatermark < 0) {
            throw new IllegalArgumentException("wakeupEvents and wakeupWatermark must be >= 0: "
                    + wakeupEvents + ", " + wakeupWatermark);
        }
        return new PerfRing(id, dataPages, wakeupEvents, wakeupWatermark);
    }

    /**
     * {@code bpf_perf_event_output}: copies {@code length} bytes of {@code src} from
     * {@code srcOffset} as one {@code PERF_RECORD_SAMPLE}, preceded by a {@code PERF_RECORD_LOST}
     * if samples were lost since the last successful write. One producer thread at a time.
     *
     * @return 0; -ENOSPC when it does not fit (the sample is lost and counted); -EINVAL for a
     *         negative length; -E2BIG when the record would exceed {@link PerfBufDescriptor#MAX_RECORD_SIZE}
     * @throws IndexOutOfBoundsException if the range is outside {@code src} (nothing changes)
     */
    public int output(MemorySegment src, long srcOffset, int length) {
        if (memory.isClosed()) {
            throw new IllegalStateException("perf ring is closed");
        }
        if (length < 0) {
            return Errno.EINVAL;
        }
        Objects.checkFromIndexSize(srcOffset, length, src.byteSize());
        long sampleSize = PerfBufDescriptor.sampleRecordSize(length);
        if (sampleSize > MAX_RECORD_SIZE) {
            return Errno.E2BIG;
        }
        long haveLost = lost;
        long recSize = haveLost != 0 ? sampleSize + LOST_RECORD_SIZE : sampleSize;
        // A: pairs with the consumer's smp_store_release of data_tail (D) in PerfBuffer.drain: the
        // bytes it read are not overwritten before it published that it is done with them.
        long tail = MappedAtomics.smpLoadAcquireLong(control, DATA_TAIL_OFFSET);
        long offset = head;
        if (PerfBufDescriptor.circSpace(offset, tail, size) < recSize) {
            lost = haveLost + 1; // local_inc(&rb->lost)
            bump(LOST_SAMPLES); // atomic64_inc(&event->lost_samples)
            return Errno.ENOSPC;
        }
        long handleWakeup = wakeup; // perf_output_get_handle
        long newHead = offset + recSize;
        long newWakeup = newHead - handleWakeup > watermark ? handleWakeup + watermark : handleWakeup;
        long pos = offset;
        if (haveLost != 0) {
            putLong(pos, PerfBufDescriptor.headerWord(PERF_RECORD_LOST, 0, LOST_RECORD_SIZE));
            putLong(pos + LOST_ID_OFFSET, id);
            putLong(pos + LOST_COUNT_OFFSET, haveLost); // local_xchg(&rb->lost, 0)
            pos += LOST_RECORD_SIZE;
        }
        putLong(pos, PerfBufDescriptor.headerWord(PERF_RECORD_SAMPLE, 0, (int) sampleSize));
        MappedAtomics.storeInt(data, (pos + RAW_SIZE_OFFSET) & mask, length);
        copyIn(pos + RAW_DATA_OFFSET, src, srcOffset, length);
        zeroPad(pos + RAW_DATA_OFFSET + length, sampleSize - RAW_DATA_OFFSET - length);
        if (!watermarkMode && wakeupEvents > 0 && ++events >= wakeupEvents) { // perf_output_sample
            events -= wakeupEvents;
            newWakeup++;
        }
        // Nothing failed: commit the producer's state.
        if (haveLost != 0) {
            lost = 0;
        }
        wakeup = newWakeup;
        head = newHead;
        // B: pairs with the consumer's smp_load_acquire of data_head (C) in PerfBuffer.drain: the
        // record's bytes are visible before the position that covers them.
        MappedAtomics.smpStoreReleaseLong(control, DATA_HEAD_OFFSET, newHead);
        bump(SAMPLES);
        if (handleWakeup != newWakeup) {
            perfOutputWakeup();
        }
        // the mapping stays until this ring is unreachable: not before here
        Reference.reachabilityFence(this);
        return 0;
    }

    /** {@code perf_output_wakeup}: sets the poll flag, then runs the wake-up work inline. */
    private void perfOutputWakeup() {
        // atomic_set(&rb->poll, EPOLLIN); volatile, so that it is ordered before the read of the
        // sleeper in wake(): pairs with the waiter's store of itself and smp_mb before it checks.
        POLL.setVolatile(this, EPOLLIN);
        bump(WAKEUPS);
        PollWaiter w = waiter;
        if (w != null) {
            w.wake();
        }
    }

    private void putLong(long pos, long v) {
        MappedAtomics.storeLong(data, pos & mask, v); // 8-aligned: never straddles the end
    }

    private void copyIn(long pos, MemorySegment src, long srcOffset, long len) {
        long off = pos & mask;
        long first = Math.min(len, size - off);
        MemorySegment.copy(src, srcOffset, data, off, first);
        if (first < len) {
            MemorySegment.copy(src, srcOffset + first, data, 0, len - first);
        }
    }

    private void zeroPad(long pos, long len) {
        for (long i = 0; i < len; i++) { // at most 7 bytes
            MappedAtomics.storeByte(data, (pos + i) & mask, (byte) 0);
        }
    }

    private void bump(int slot) {
        COUNTER.setOpaque(counters, slot, (long) COUNTER.getOpaque(counters, slot) + 1);
    }

    private long read(int slot) {
        return (long) COUNTER.getOpaque(counters, slot);
    }

    // --- consumer side, for PerfBuffer -------------------------------------------------------

    /** {@code perf_poll}: takes the poll flag ({@code atomic_xchg(&rb->poll, 0)}); non-zero if a wake-up was sent since. */
    int takePoll() {
        return (int) POLL.getAndSet(this, 0);
    }

    /** {@code epoll_ctl(ADD)}: one consumer per ring. */
    synchronized void attach(PollWaiter w) {
        if (waiter != null && waiter != w) {
            throw new IllegalStateException("ring " + id + " already has a consumer");
        }
        waiter = w;
    }

    /** {@code epoll_ctl(DEL)}. */
    synchronized void detach(PollWaiter w) {
        if (waiter == w) {
            waiter = null;
        }
    }

    /** The control page, read-write (the consumer stores data_tail here). */
    @Override
    public MemorySegment controlPage() {
        return control;
    }

    /** The data pages, read-write (for tests that forge records). */
    @Override
    public MemorySegment dataPages() {
        return data;
    }

    // --- accessors ---------------------------------------------------------------------------

    /** The ring's id (LOST records carry it). */
    public int id() {
        return id;
    }

    /** The analogue's wait set: a waiter attached to the rings, readiness from their poll flags. */
    @Override
    public PerfWaitSet newWaitSet() {
        return new PortPerfWaitSet(WakeMechanism.PARK);
    }

    /** The analogue's wait set, its consumer woken by {@code mechanism} (EVENTFD: through the kernel). */
    @Override
    public PerfWaitSet newWaitSet(WakeMechanism mechanism) {
        return new PortPerfWaitSet(mechanism);
    }

    /** Bytes of data pages. */
    @Override
    public long dataSize() {
        return size;
    }

    /** Control page plus data pages. */
    public long memoryBytes() {
        return PAGE_SIZE + size;
    }

    /** The control page, read-only. */
    public MemorySegment control() {
        return control.asReadOnly();
    }

    /** The data pages, read-only. */
    public MemorySegment data() {
        return data.asReadOnly();
    }

    /** {@code data_head} as published (acquire). */
    public long dataHead() {
        return Atomics.smpLoadAcquireLong(control, DATA_HEAD_OFFSET);
    }

    /** {@code data_tail} as published (acquire). */
    public long dataTail() {
        return Atomics.smpLoadAcquireLong(control, DATA_TAIL_OFFSET);
    }

    /** Whether this ring was created in watermark mode. */
    public boolean watermarkMode() {
        return watermarkMode;
    }

    /** {@code attr.wakeup_events} (ignored in watermark mode). */
    public int wakeupEvents() {
        return wakeupEvents;
    }

    /** {@code rb->watermark}: the watermark in bytes (half the ring in events mode). */
    public long watermark() {
        return watermark;
    }

    /** Largest payload that always fits the empty ring, LOST record included. */
    public int maxSampleLength() {
        return PerfBufDescriptor.maxSampleLength(size);
    }

    /** Samples written. */
    public long samples() {
        return read(SAMPLES);
    }

    /** Samples dropped for lack of space, all time ({@code event->lost_samples}). */
    public long lostSamples() {
        return read(LOST_SAMPLES);
    }

    /**
     * Samples dropped since the last LOST record ({@code rb->lost}); producer thread only, or
     * when the producer is quiescent.
     */
    public long lostPending() {
        return lost;
    }

    /** Wake-ups sent ({@code perf_output_wakeup} calls). */
    public long wakeups() {
        return read(WAKEUPS);
    }

    /** Frees the ring's memory. Any later access throws {@link IllegalStateException}. */
    @Override
    public void close() {
        memory.close();
    }
}
