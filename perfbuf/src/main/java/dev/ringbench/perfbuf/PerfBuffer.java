package dev.ringbench.perfbuf;

import dev.ringbench.os.WakeMechanism;

import dev.ringbench.os.Atomics;
import dev.ringbench.os.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_HEAD_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_TAIL_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.HDR_SIZE_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.HDR_TYPE_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.HEADER_SIZE;
import static dev.ringbench.perfbuf.PerfBufDescriptor.LOST_COUNT_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.LOST_RECORD_SIZE;
import static dev.ringbench.perfbuf.PerfBufDescriptor.PERF_RECORD_LOST;
import static dev.ringbench.perfbuf.PerfBufDescriptor.PERF_RECORD_SAMPLE;
import static dev.ringbench.perfbuf.PerfBufDescriptor.RAW_DATA_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.RAW_SIZE_OFFSET;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The consumer over every producer's ring: libbpf's {@code perf_buffer} ({@code src/libbpf.c}:
 * {@code perf_buffer__poll}, {@code perf_buffer__consume}, {@code perf_buffer__consume_buffer},
 * {@code perf_buffer__process_records}, {@code perf_event_read_simple}). One consumer thread at a
 * time.
 *
 * <h2>Draining one ring ({@code perf_event_read_simple})</h2>
 * Load {@code data_head} (acquire) once; from {@code data_tail} read records up to it; a record
 * that runs past the end of the data pages is copied into the ring's scratch buffer so that the
 * callback sees it contiguous; a {@code PERF_RECORD_SAMPLE} goes to the sample callback, a
 * {@code PERF_RECORD_LOST} to the lost callback; store {@code data_tail} (release) once, at the
 * end. A callback that throws: the record counts as consumed ({@code data_tail} moves past it and
 * is stored) and the exception reaches the caller; the records after it stay in the ring.
 * An unknown record type is consumed and the drain stops with -EINVAL (libbpf:
 * {@code perf_buffer__process_record} prints "unknown perf sample type" and returns
 * {@code LIBBPF_PERF_EVENT_ERROR}; {@code perf_event_read_simple} has already added the record's
 * size to {@code data_tail}, stops and stores it). The analogue also checks what libbpf trusts: a
 * misaligned {@code data_tail} or a {@code data_head} more than the ring's size ahead of it (the
 * drain then reads nothing), a header whose {@code size} is below 8, not a multiple of 8 or beyond
 * {@code data_head}, a
 * {@code raw_size} beyond its record, or a LOST record too short for its count, stops the drain
 * with -EINVAL and is <em>not consumed</em>: {@code data_tail} is stored at the bad header, so the
 * records before it are delivered once and nothing after it is skipped (libbpf would read out of
 * bounds, or loop forever on a size of 0). The kernel never reads these headers back: it writes
 * them itself and uses {@code data_tail} only to compute free space in {@code perf_output_begin},
 * so a hostile {@code data_tail} there can only make it drop records (counted in a LOST record)
 * or overwrite unread ones, never read out of bounds.
 *
 * <h2>Waiting ({@code perf_buffer__poll})</h2>
 * {@code epoll_wait} on every ring, then drain each ready ring, and return the number of rings
 * that were ready, not of records. As in the kernel, a ring is ready when a wake-up was sent since
 * it was last reported ({@code perf_poll} returns {@code atomic_xchg(&rb->poll, 0)}), not when it
 * holds data: the epoll registration is level-triggered, so a wake-up sent while the consumer was
 * busy makes the next poll return at once; but data written without a wake-up (fewer than
 * {@code wakeup_events} samples, a limit that stopped {@link #consumeN}, a callback that threw)
 * does not make a ring ready, and poll sleeps until the next wake-up or the timeout. It never
 * re-checks on a timer. {@link #consume} drains every ring whatever its flag.
 *
 * <h2>Rings</h2>
 * Any {@link PerfRingSource}: the analogue's {@link PerfRing}s, or real kernel perf event rings
 * (module {@code kernel}, adapter {@code competitors.kernel}), drained by this same code and
 * waited for through the source's {@link PerfWaitSet} (a real {@code epoll_wait} for kernel
 * rings). One perf buffer takes rings of one kind.
 *
 * <h2>Port additions</h2>
 * {@link #consumeN} (libbpf's perf buffer has none): rings in index order, stops after {@code n}
 * samples (LOST records do not count), storing {@code data_tail} after the last record consumed;
 * like {@link #consume}, it favours low ring indices. {@link #consume} returns the number of
 * samples rather than libbpf's 0. {@link #shutdown()} releases a waiting {@link #poll}, which then
 * and afterwards returns -EBADF; consuming still works until the rings are closed.
 */
public final class PerfBuffer implements AutoCloseable {
    /** {@code perf_buffer_sample_fn}: one sample's raw bytes, valid only during the call. */
    @FunctionalInterface
    public interface SampleCallback {
        void onSample(MemorySegment data, long offset, int length);
    }

    /** {@code perf_buffer_lost_fn}: a LOST record from ring {@code ring}. */
    @FunctionalInterface
    public interface LostCallback {
        void onLost(int ring, long lost);
    }

    private final PerfRingSource[] rings;
    private final SampleCallback sampleCb;
    private final LostCallback lostCb;
    /** The epoll instance: the analogue's poll-flag waiter, or a real epoll fd for kernel perf rings. */
    private final PerfWaitSet waitSet;
    private final Arena scratchArena = Arena.ofShared();
    private final MemorySegment[] control;
    private final MemorySegment[] data;
    private final MemorySegment[] dataView;
    private final MemorySegment[] scratch;
    private final MemorySegment[] scratchView;
    private final boolean[] ready;

    private PerfBuffer(PerfRingSource[] rings, SampleCallback sampleCb, LostCallback lostCb, WakeMechanism wake) {
        this.rings = rings;
        this.waitSet = wake == null ? rings[0].newWaitSet() : rings[0].newWaitSet(wake);
        this.sampleCb = sampleCb;
        this.lostCb = lostCb;
        int n = rings.length;
        control = new MemorySegment[n];
        data = new MemorySegment[n];
        dataView = new MemorySegment[n];
        scratch = new MemorySegment[n];
        scratchView = new MemorySegment[n];
        ready = new boolean[n];
        for (int i = 0; i < n; i++) {
            control[i] = rings[i].controlPage();
            data[i] = rings[i].dataPages();
            dataView[i] = data[i].asReadOnly();
            // A record is at most min(data size, u16 max) bytes: libbpf grows its buffer on
            // demand; the analogue allocates the largest once.
            scratch[i] = scratchArena.allocate(Math.min(rings[i].dataSize(), 1 << 16), 8);
            scratchView[i] = scratch[i].asReadOnly();
        }
    }

    /**
     * {@code perf_buffer__new}: a consumer over {@code rings} (index {@code i} is ring {@code i}
     * for the callbacks). The rings stay owned by the caller; a ring can have one consumer.
     *
     * @param lostCb may be null (LOST records are then consumed silently, as in libbpf)
     */
    public static PerfBuffer create(PerfRingSource[] rings, SampleCallback sampleCb, LostCallback lostCb) {
        return create(rings, sampleCb, lostCb, null);
    }

    /**
     * {@code perf_buffer__new} whose {@link #poll} is woken by {@code wake} (null: the rings' default).
     *
     * @throws IllegalArgumentException when the rings cannot be waited on that way
     */
    public static PerfBuffer create(PerfRingSource[] rings, SampleCallback sampleCb, LostCallback lostCb,
                                    WakeMechanism wake) {
        if (rings == null || rings.length == 0 || sampleCb == null) {
            throw new IllegalArgumentException("need at least one ring and a sample callback");
        }
        PerfRingSource[] copy = rings.clone();
        PerfBuffer pb = new PerfBuffer(copy, sampleCb, lostCb, wake);
        for (int i = 0; i < copy.length; i++) {
            try {
                int err = pb.waitSet.add(i, copy[i]);
                if (err != 0) {
                    throw new IllegalArgumentException("cannot watch ring " + i + ": errno " + err
                            + " (analogue rings and kernel perf rings cannot share one perf buffer)");
                }
            } catch (RuntimeException e) {
                pb.waitSet.close();
                pb.scratchArena.close();
                throw e;
            }
        }
        return pb;
    }

    /**
     * {@code perf_buffer__poll}: waits up to {@code timeoutMs} (-1: forever, 0: no wait) for a
     * ready ring, then drains every ready ring.
     *
     * @return the number of rings that were ready; 0 on timeout; -EINTR if interrupted (the
     *         interrupt status stays set); -EBADF once shut down; -EINVAL from a corrupted ring
     */
    public int poll(int timeoutMs) {
        int cnt = waitSet.await(ready, timeoutMs);
        if (cnt <= 0) {
            return cnt;
        }
        try {
            for (int i = 0; i < ready.length; i++) {
                if (ready[i]) {
                    ready[i] = false;
                    long r = drain(i, Long.MAX_VALUE);
                    if (r < 0) {
                        return (int) r;
                    }
                }
            }
        } finally {
            Arrays.fill(ready, false); // readiness not acted on is gone, as epoll's events are
        }
        return cnt;
    }

    /**
     * {@code perf_buffer__consume}: drains every ring without waiting, ready or not.
     *
     * @return samples delivered (libbpf returns 0), or -EINVAL from a corrupted ring
     */
    public int consume() {
        return consumeN(Long.MAX_VALUE);
    }

    /**
     * Drains rings in index order until {@code n} samples were delivered (a port addition).
     *
     * @return samples delivered, or -EINVAL from a corrupted ring
     */
    public int consumeN(long n) {
        long total = 0;
        for (int i = 0; i < rings.length && total < n; i++) {
            long r = drain(i, n - total);
            if (r < 0) {
                return (int) r;
            }
            total += r;
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    /**
     * {@code perf_buffer__consume_buffer}: drains ring {@code index} without waiting.
     *
     * @return samples delivered, or -EINVAL from a corrupted ring
     */
    public int consumeRing(int index) {
        long r = drain(index, Long.MAX_VALUE);
        return (int) Math.min(Integer.MAX_VALUE, r);
    }

    /** {@code perf_event_read_simple} on ring {@code idx}, stopping after {@code limit} samples. */
    private long drain(int idx, long limit) {
        MemorySegment ctl = control[idx];
        MemorySegment d = data[idx];
        long size = d.byteSize();
        long mask = size - 1;
        // C: pairs with the producer's smp_store_release of data_head (B) in PerfRing.output: the
        // bytes of every record below head are visible.
        long head = Atomics.smpLoadAcquireLong(ctl, DATA_HEAD_OFFSET);
        long tail = Atomics.readOnceLong(ctl, DATA_TAIL_OFFSET); // only this consumer writes it
        long samples = 0;
        int err = 0;
        if ((tail & 7) != 0 || Long.compareUnsigned(head - tail, size) > 0) {
            // A data_tail the kernel could never have handed out (records are 8-byte multiples),
            // or more data than the ring holds: the control page was corrupted. Nothing is read.
            return Errno.EINVAL;
        }
        try {
            while (tail != head && samples < limit) {
                long off = tail & mask;
                int type = d.get(JAVA_INT, off + HDR_TYPE_OFFSET);
                int recSize = Short.toUnsignedInt(d.get(JAVA_SHORT, off + HDR_SIZE_OFFSET));
                if (recSize < HEADER_SIZE || (recSize & 7) != 0 || recSize > head - tail) {
                    err = Errno.EINVAL;
                    break;
                }
                MemorySegment rec = dataView[idx];
                long base = off;
                if (off + recSize > size) { // wraps: make it contiguous in the scratch buffer
                    long first = size - off;
                    MemorySegment s = scratch[idx];
                    MemorySegment.copy(d, off, s, 0, first);
                    MemorySegment.copy(d, 0, s, first, recSize - first);
                    rec = scratchView[idx];
                    base = 0;
                }
                // Every check of the header comes before data_tail moves: a bad header is not
                // consumed, so data_tail stays on it and nothing after it is skipped.
                if (type == PERF_RECORD_SAMPLE) {
                    int raw = recSize < RAW_DATA_OFFSET ? -1 : rec.get(JAVA_INT, base + RAW_SIZE_OFFSET);
                    if (raw < 0 || raw > recSize - RAW_DATA_OFFSET) {
                        err = Errno.EINVAL;
                        break;
                    }
                    tail += recSize; // consumed whatever the callback does
                    sampleCb.onSample(rec, base + RAW_DATA_OFFSET, raw);
                    samples++;
                } else if (type == PERF_RECORD_LOST) {
                    if (recSize < LOST_RECORD_SIZE) {
                        err = Errno.EINVAL;
                        break;
                    }
                    tail += recSize;
                    if (lostCb != null) {
                        lostCb.onLost(idx, rec.get(JAVA_LONG, base + LOST_COUNT_OFFSET));
                    }
                } else {
                    tail += recSize; // libbpf consumes it too: its size is sound, only the type is unknown
                    err = Errno.EINVAL; // libbpf: "unknown perf sample type", LIBBPF_PERF_EVENT_ERROR
                    break;
                }
            }
        } finally {
            // D: pairs with the producer's smp_load_acquire of data_tail (A) in PerfRing.output:
            // every read of the records above is done before the producer may reuse their bytes.
            Atomics.smpStoreReleaseLong(ctl, DATA_TAIL_OFFSET, tail);
        }
        return err != 0 ? err : samples;
    }

    /** Number of rings. */
    public int ringCount() {
        return rings.length;
    }

    /** Ring {@code index}. */
    public PerfRingSource ring(int index) {
        return rings[index];
    }

    /** Wake-ups this consumer received ({@link PerfWaitSet#wakeups()}). */
    public long wakeups() {
        return waitSet.wakeups();
    }

    /** Releases a thread waiting in {@link #poll}; that and every later poll returns -EBADF. */
    public void shutdown() {
        waitSet.shutdown();
    }

    /** Whether {@link #shutdown()} or {@link #close()} was called. */
    public boolean isShutdown() {
        return waitSet.isShutdown();
    }

    /** {@code perf_buffer__free}: shuts down, detaches from the rings, frees the scratch buffers. */
    @Override
    public void close() {
        waitSet.close();
        if (scratchArena.scope().isAlive()) {
            scratchArena.close();
        }
    }
}
