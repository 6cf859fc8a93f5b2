package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import dev.ringbench.os.WakeMechanism;
import dev.ringbench.os.MappedAtomics;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.LongAdder;

import static dev.ringbench.os.Atomics.readOnceInt;
import static dev.ringbench.os.Atomics.smpLoadAcquireInt;
import static dev.ringbench.os.Atomics.readOnceLong;
import static dev.ringbench.os.Atomics.smpLoadAcquireLong;
import static dev.ringbench.os.Atomics.smpStoreReleaseLong;
import static dev.ringbench.os.Atomics.smpWmb;
import static dev.ringbench.ringbuf.RingBufDescriptor.BUSY_BIT;
import static dev.ringbench.ringbuf.RingBufDescriptor.CONSUMER_POS_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.DISCARD_BIT;
import static dev.ringbench.ringbuf.RingBufDescriptor.DYNPTR_MAX_SIZE;
import static dev.ringbench.ringbuf.RingBufDescriptor.HDR_SZ;
import static dev.ringbench.ringbuf.RingBufDescriptor.MAX_RECORD_SZ;
import static dev.ringbench.ringbuf.RingBufDescriptor.OVERWRITE_POS_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.PENDING_POS_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.PRODUCER_POS_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.pgOff;
import static dev.ringbench.ringbuf.RingBufDescriptor.recordSizeOfHeader;

/**
 * {@code BPF_MAP_TYPE_RINGBUF} and the producer-side helpers BPF programs call
 * ({@code kernel/bpf/ringbuf.c}, Linux 6.19 rules; lock behaviour per {@link LockEra}).
 *
 * <p>Producer helpers ({@link #reserve}, {@link #submit}, {@link #discard}, {@link #output},
 * {@link #query}, the dynptr variants) are safe for any number of concurrent producers. Records
 * become visible to the consumer in reservation order, across producers.
 *
 * <h2>Handles</h2>
 * A handle is the record's payload <em>position</em> ({@code producer_pos} at reservation plus the
 * 8-byte header), never 0. The kernel's verifier guarantees statically that a reserved pointer is
 * committed exactly once; Java cannot, so {@link #submit}/{@link #discard}/{@link #sample} check the
 * handle at run time: it must lie in the last {@code size} bytes reserved and its header must
 * still be BUSY with the right {@code pg_off}. A handle used twice, or one never returned by
 * reserve, throws {@link IllegalStateException} or {@link IllegalArgumentException} and changes
 * nothing. To make the double commit race-free the header is updated with {@code cmpxchg} where
 * the kernel uses {@code xchg}: the same full barrier ({@code lock cmpxchg} vs {@code xchg} on x86).
 * Not detected: a made-up handle pointing inside a live payload whose bytes were crafted to look
 * like a BUSY header with the right {@code pg_off} (a per-slot bitmap, as the user-ring producer
 * keeps, would need an atomic operation per record on this multi-producer path).
 *
 * <h2>Allocation-free use</h2>
 * {@link #sample(long)} allocates a slice. Hot paths write through {@link #sampleArea()} at
 * {@link #sampleOffset(long)} instead; nothing else on the reserve/submit path allocates.
 */
public final class BpfRingBuf implements RingSource, AutoCloseable {
    /** Commit flag: do not wake the consumer. */
    public static final long BPF_RB_NO_WAKEUP = 1;
    /** Commit flag: wake the consumer whatever its position. */
    public static final long BPF_RB_FORCE_WAKEUP = 2;
    /** Map flag: overwrite the oldest records when full (Linux 6.19). */
    public static final long BPF_F_RB_OVERWRITE = 1L << 19;
    /** {@link #query} selector: bytes not yet consumed. */
    public static final long BPF_RB_AVAIL_DATA = 0;
    /** {@link #query} selector: the data area's size. */
    public static final long BPF_RB_RING_SIZE = 1;
    /** {@link #query} selector: consumer position. */
    public static final long BPF_RB_CONS_POS = 2;
    /** {@link #query} selector: producer position. */
    public static final long BPF_RB_PROD_POS = 3;
    /** {@link #query} selector: overwrite position (overwrite mode). */
    public static final long BPF_RB_OVERWRITE_POS = 4;

    private static final long WAKEUP_FLAGS = BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP;

    /** consumer_pos in {@link #whole}. */
    private static final long M_CONSUMER_POS = RingBufDescriptor.CONSUMER_PAGE_OFFSET + CONSUMER_POS_OFFSET;
    /** producer_pos in {@link #whole}. */
    private static final long M_PRODUCER_POS = RingBufDescriptor.PRODUCER_PAGE_OFFSET + PRODUCER_POS_OFFSET;
    /** pending_pos in {@link #whole}. */
    private static final long M_PENDING_POS = RingBufDescriptor.PRODUCER_PAGE_OFFSET + PENDING_POS_OFFSET;
    /** Data offset 0 in {@link #whole}. */
    private static final long M_DATA = RingBufDescriptor.DATA_OFFSET;

    private final RingMemory memory;
    /**
     * The whole mapping (metadata page, consumer page, producer page, data twice), through which
     * reserve and commit make all their accesses at the {@code M_*} offsets below, unchecked
     * ({@link MappedAtomics}: every offset is a constant or a position masked by {@link #mask};
     * the mapping outlives any access racing {@link #close}, see {@link dev.ringbench.os.MappedMemory}). The other
     * paths use the per-page views, checked.
     */
    private final MemorySegment whole;
    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    private final long mask;
    private final boolean overwriteMode;
    private final ReservationLock lock;
    private final WaitQueue waitq;
    /** Striped, so that counting failures on a full ring adds no contended cache line. */
    private final LongAdder reserveFailures = new LongAdder();
    /** Test hook: runs while the reservation lock is held (an "interrupt" on the holder's CPU). */
    Runnable whileLocked;

    private BpfRingBuf(long size, boolean overwriteMode, LockEra era) {
        this.memory = new RingMemory(size);
        this.whole = memory.whole();
        this.consumerPage = memory.consumerPage();
        this.producerPage = memory.producerPage();
        this.data = memory.data();
        this.mask = size - 1;
        this.overwriteMode = overwriteMode;
        // the metadata page is the first page of `whole`: the lock and the work word use `whole` too
        this.lock = ReservationLock.of(era, whole);
        this.waitq = new WaitQueue(whole);
    }

    /** A ring of {@code size} bytes with the current kernel's lock ({@link LockEra#RESILIENT_6_15}). */
    public static BpfRingBuf create(long size) {
        return create(size, 0);
    }

    /** A ring with map flags 0 or {@link #BPF_F_RB_OVERWRITE}, with the current kernel's lock. */
    public static BpfRingBuf create(long size, long mapFlags) {
        return create(size, mapFlags, LockEra.RESILIENT_6_15);
    }

    /**
     * {@code ringbuf_map_alloc}.
     *
     * @throws IllegalArgumentException where the kernel returns -EINVAL or -E2BIG: a size that is not
     *                                  a power of two, not a multiple of 4096, zero or above 64 GiB, or
     *                                  unknown flags
     */
    public static BpfRingBuf create(long size, long mapFlags, LockEra era) {
        if ((mapFlags & ~BPF_F_RB_OVERWRITE) != 0) {
            throw new IllegalArgumentException("unknown ring buffer map flags 0x" + Long.toHexString(mapFlags)
                    + " (only BPF_F_RB_OVERWRITE is allowed)");
        }
        checkSize(size);
        if (era == null) {
            throw new IllegalArgumentException("lock era must not be null");
        }
        return new BpfRingBuf(size, mapFlags != 0, era);
    }

    static void checkSize(long size) {
        if (!RingBufDescriptor.isValidDataSize(size)) {
            throw new IllegalArgumentException("ring buffer size " + size + " is invalid: it must be a power of two, "
                    + "a multiple of " + RingBufDescriptor.PAGE_SIZE + " and at most " + RingBufDescriptor.MAX_DATA_SZ);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reserve

    /**
     * {@code bpf_ringbuf_reserve}: reserves a record of {@code size} payload bytes.
     *
     * @return a handle, or 0 (NULL) when the size is invalid, the ring has no space or the lock
     *         could not be taken
     */
    public long reserve(long size) {
        return reserve0(size, false);
    }

    /**
     * {@code bpf_ringbuf_reserve} called in NMI-like context: under {@link LockEra#SPINLOCK_5_8} it
     * only tries the lock and fails when the lock is held. Counted in {@link #nmiAttempts()} and
     * {@link #nmiFailures()}.
     */
    public long reserveNmi(long size) {
        return reserve0(size, true);
    }

    /** {@code __bpf_ringbuf_reserve}. */
    private long reserve0(long size, boolean inNmi) {
        checkOpen();
        if (Long.compareUnsigned(size, MAX_RECORD_SZ) > 0) {
            return failed();
        }
        long len = (size + HDR_SZ + 7) & ~7L;
        if (len > mask + 1) {
            return failed();
        }
        // pairs with the consumer's smp_store_release of consumer_pos
        long consPos = MappedAtomics.smpLoadAcquireLong(whole, M_CONSUMER_POS);
        if (!lock.lock(inNmi)) {
            return failed();
        }
        long handle;
        try {
            Runnable hook = whileLocked;
            if (hook != null) {
                hook.run();
            }
            handle = reserveLocked(size, len, consPos);
        } finally {
            lock.unlock();
            // the mapping stays until this ring (and its memory) is unreachable: not before here
            Reference.reachabilityFence(this);
        }
        return handle == 0 ? failed() : handle;
    }

    /**
     * The unchecked accesses' "is it open?" (the checked ones throw on their own). A call racing
     * {@link #close} may pass it and then touch the zero pages that replace the ring: harmless.
     */
    private void checkOpen() {
        if (memory.isClosed()) {
            throw new IllegalStateException("ring buffer is closed");
        }
    }

    /** The part of {@code __bpf_ringbuf_reserve} under {@code rb->spinlock}. */
    private long reserveLocked(long size, long len, long consPos) {
        // Fields into locals once: the ordered accesses below would make the JIT reload them.
        final MemorySegment whole = this.whole;
        final long mask = this.mask;
        // Plain loads, as the kernel's (`pend_pos = rb->pending_pos; prod_pos = rb->producer_pos;`):
        // only lock holders write these two, and the lock's acquire orders us after the last
        // holder's stores (pairs with the release in ReservationLock.unlock).
        long pendPos = MappedAtomics.loadLong(whole, M_PENDING_POS);
        long prodPos = MappedAtomics.loadLong(whole, M_PRODUCER_POS);
        long newProdPos = prodPos + len;

        // Skip records no longer being written (committed or discarded); positions are < 2^63 in
        // practice, so signed < is the kernel's unsigned <. The kernel's READ_ONCE is ordered
        // before the later writes by a control dependency; Java gives opaque no such ordering,
        // so the header is loaded with acquire. Pairs with the committer's cmpxchg.
        while (pendPos < prodPos) {
            int hdrLen = MappedAtomics.smpLoadAcquireInt(whole, M_DATA + (pendPos & mask));
            if ((hdrLen & BUSY_BIT) != 0) {
                break;
            }
            pendPos += recordSizeOfHeader(hdrLen);
        }
        // plain store, as the kernel's `rb->pending_pos = pend_pos`; published to the next holder
        // by the unlock's release
        MappedAtomics.storeLong(whole, M_PENDING_POS, pendPos);

        // Never overrun a record still being written, whatever consumer_pos says
        // (CVE-2024-41009: the consumer page is writable by user space).
        if (Long.compareUnsigned(newProdPos - pendPos, mask) > 0) {
            return 0;
        }
        if (overwriteMode) {
            reclaimOverwritten(newProdPos);
        } else if (Long.compareUnsigned(newProdPos - consPos, mask) > 0) {
            return 0;
        }

        long hdrOff = prodPos & mask;
        long header = ((long) pgOff(hdrOff) << 32) | ((size | BUSY_BIT) & 0xFFFF_FFFFL);
        MappedAtomics.storeLong(whole, M_DATA + hdrOff, header);
        // pairs with the consumer's smp_load_acquire of producer_pos
        MappedAtomics.smpStoreReleaseLong(whole, M_PRODUCER_POS, newProdPos);
        return prodPos + HDR_SZ;
    }

    /**
     * Overwrite mode's part of {@code __bpf_ringbuf_reserve}, under the lock: advance
     * overwrite_pos record by record until the new record fits. Out of line, so that the
     * reservation's common path stays small enough to inline.
     */
    private void reclaimOverwritten(long newProdPos) {
        long overPos = readOnceLong(producerPage, OVERWRITE_POS_OFFSET);
        while (Long.compareUnsigned(newProdPos - overPos, mask) > 0) {
            overPos += recordSizeOfHeader(smpLoadAcquireInt(data, overPos & mask));
        }
        // pairs with the overwrite-mode consumer's smp_load_acquire of overwrite_pos
        smpStoreReleaseLong(producerPage, OVERWRITE_POS_OFFSET, overPos);
        // The seqlock writer's begin (write_seqcount_begin: the store, then smp_wmb): the
        // header reserveLocked writes next and the payload the caller writes after reserve returns reuse the bytes
        // of the records just reclaimed, and a release store does not keep later stores after
        // it. Without this a consumer could load the new bytes and still find the old
        // overwrite_pos on its re-check. A producer on another thread that later reuses the
        // same bytes takes the lock after us (its acquire pairs with our unlock's release),
        // so our store is ordered before its stores too. Pairs with the smp_rmb in
        // Ring.overwrittenSince.
        smpWmb();
    }

    private long failed() {
        reserveFailures.increment();
        return 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Commit

    /** {@code bpf_ringbuf_submit}: commits the record. Flag bits other than the wake-up flags are ignored, as in the kernel. */
    public void submit(long handle, long flags) {
        commit(handle, flags, false);
    }

    /** {@code bpf_ringbuf_discard}: commits the record as discarded; the consumer skips it. */
    public void discard(long handle, long flags) {
        commit(handle, flags, true);
    }

    /** {@code bpf_ringbuf_commit}. */
    private void commit(long handle, long flags, boolean discard) {
        // Fields into locals once: the ordered accesses below would make the JIT reload them.
        final MemorySegment whole = this.whole;
        final long mask = this.mask;
        checkOpen();
        long hdrOff = checkedHeaderOffset(handle);
        // One load of the header (READ_ONCE) serves the handle check and the cmpxchg's expected value.
        long header = MappedAtomics.readOnceLong(whole, M_DATA + hdrOff);
        int len = (int) header;
        if (!isOutstanding(header, hdrOff)) {
            throw headerRejected(handle, header);
        }
        // Only ever clear BUSY: a concurrent second commit of the same handle sees it clear and fails.
        int newLen = len & ~BUSY_BIT;
        if (discard) {
            newLen |= DISCARD_BIT;
        }
        // Full barrier; the kernel's xchg. Pairs with the consumer's smp_load_acquire of the
        // header and with the smp_load_acquire of it in reserve's pending_pos walk.
        if (MappedAtomics.cmpxchgInt(whole, M_DATA + hdrOff, len, newLen) != len) {
            throw new IllegalStateException("record at position " + (handle - HDR_SZ) + " was already submitted or "
                    + "discarded (committed twice, concurrently)");
        }
        // If the consumer caught up and waits for exactly this record, wake it. The kernel loads
        // consumer_pos whatever the flags; the port loads it only when the flags leave the decision
        // to it: with FORCE or NO_WAKEUP the value is unused, and that acquire orders nothing else
        // (the wake-up's claim is a full barrier of its own).
        if ((flags & BPF_RB_FORCE_WAKEUP) != 0) {
            waitq.irqWorkQueue();
        } else if ((flags & BPF_RB_NO_WAKEUP) == 0
                // pairs with the consumer's smp_store_release of consumer_pos
                && (MappedAtomics.smpLoadAcquireLong(whole, M_CONSUMER_POS) & mask) == hdrOff) {
            waitq.irqWorkQueue();
        }
        // the mapping stays until this ring (and its memory) is unreachable: not before here
        Reference.reachabilityFence(this);
    }

    /**
     * The range part of the handle check: the handle is aligned and its header lies among the last
     * {@code size} bytes reserved (so a handle from an earlier lap, whose space was reused, fails).
     *
     * @return the header's offset in the data area
     */
    private long checkedHeaderOffset(long handle) {
        final long mask = this.mask;
        long hdrPos = handle - HDR_SZ;
        if (handle == 0 || (hdrPos & 7) != 0) {
            throw new IllegalArgumentException("0x" + Long.toHexString(handle) + " is not a ring buffer handle");
        }
        // pairs with the reserving producer's smp_store_release of producer_pos in reserveLocked
        long inFlight = MappedAtomics.smpLoadAcquireLong(whole, M_PRODUCER_POS) - hdrPos;
        if (inFlight <= 0 || inFlight > mask + 1) {
            throw new IllegalStateException("handle for position " + hdrPos + " is not an outstanding reservation "
                    + "(never reserved, or committed and its space reused)");
        }
        return hdrPos & mask;
    }

    /** The header part of the handle check: the record is still BUSY and the header has this offset's pg_off. */
    private static boolean isOutstanding(long header, long hdrOff) {
        return ((int) header & BUSY_BIT) != 0 && (int) (header >>> 32) == pgOff(hdrOff);
    }

    private static IllegalStateException headerRejected(long handle, long header) {
        long hdrPos = handle - HDR_SZ;
        if (((int) header & BUSY_BIT) == 0) {
            return new IllegalStateException("record at position " + hdrPos + " was already submitted or discarded");
        }
        return new IllegalStateException("record header at position " + hdrPos + " is corrupt (pg_off)");
    }

    /**
     * Checks that {@code handle} is an outstanding reservation of this ring.
     *
     * @return the header's offset in the data area
     */
    private long checkHandle(long handle) {
        long hdrOff = checkedHeaderOffset(handle);
        long header = data.get(java.lang.foreign.ValueLayout.JAVA_LONG, hdrOff);
        if (!isOutstanding(header, hdrOff)) {
            throw headerRejected(handle, header);
        }
        return hdrOff;
    }

    // ---------------------------------------------------------------------------------------------
    // Sample access

    /** A writable view of the reserved payload; {@code byteSize()} is the reserved size. Allocates. */
    public MemorySegment sample(long handle) {
        long hdrOff = checkHandle(handle);
        int len = readOnceInt(data, hdrOff) & ~(BUSY_BIT | DISCARD_BIT);
        return data.asSlice(hdrOff + HDR_SZ, len);
    }

    /** The writable data area (both mappings) that {@link #sampleOffset} indexes. Producers only. */
    public MemorySegment sampleArea() {
        return data;
    }

    /** Where the payload of {@code handle} starts in {@link #sampleArea()}; no checks, no allocation. */
    public long sampleOffset(long handle) {
        return handle & mask;
    }

    // ---------------------------------------------------------------------------------------------
    // Output, query, dynptr

    /** {@code bpf_ringbuf_output}: reserve, copy, submit. 0, -EAGAIN when it does not fit, -EINVAL for bad flags. */
    public long output(MemorySegment payload, long flags) {
        if ((flags & ~WAKEUP_FLAGS) != 0) {
            return Errno.EINVAL;
        }
        long size = payload.byteSize();
        long handle = reserve0(size, false);
        if (handle == 0) {
            return Errno.EAGAIN;
        }
        MemorySegment.copy(payload, 0, data, handle & mask, size);
        commit(handle, flags, false);
        return 0;
    }

    /** {@code bpf_ringbuf_query}: a momentary snapshot; unknown selectors return 0. */
    public long query(long which) {
        if (which == BPF_RB_AVAIL_DATA) {
            return availData();
        } else if (which == BPF_RB_RING_SIZE) {
            return mask + 1;
        } else if (which == BPF_RB_CONS_POS) {
            return smpLoadAcquireLong(consumerPage, CONSUMER_POS_OFFSET);
        } else if (which == BPF_RB_PROD_POS) {
            return smpLoadAcquireLong(producerPage, PRODUCER_POS_OFFSET);
        } else if (which == BPF_RB_OVERWRITE_POS) {
            return smpLoadAcquireLong(producerPage, OVERWRITE_POS_OFFSET);
        }
        return 0;
    }

    /**
     * {@code ringbuf_avail_data_sz}; in overwrite mode measured from max(consumer, overwrite). The
     * kernel's load order: consumer, overwrite, then producer position, so that the result is never
     * negative (overwrite_pos never passes the producer_pos loaded after it).
     */
    private long availData() {
        long cons = smpLoadAcquireLong(consumerPage, CONSUMER_POS_OFFSET);
        if (overwriteMode) {
            long over = smpLoadAcquireLong(producerPage, OVERWRITE_POS_OFFSET);
            if (Long.compareUnsigned(over, cons) > 0) {
                cons = over;
            }
        }
        long prod = smpLoadAcquireLong(producerPage, PRODUCER_POS_OFFSET);
        return prod - cons;
    }

    /**
     * {@code bpf_ringbuf_reserve_dynptr}: a reservation whose size is known only at run time.
     *
     * @return 0; -EINVAL for flags or when the ring is full; -E2BIG above 2^24 - 1. On failure
     *         {@code ptr} is set null, and submitting or discarding it is a no-op.
     */
    public int reserveDynptr(long size, long flags, RingBufDynptr ptr) {
        ptr.setNull();
        if (flags != 0) {
            return Errno.EINVAL;
        }
        if (Long.compareUnsigned(size, DYNPTR_MAX_SIZE) > 0) {
            return Errno.E2BIG;
        }
        long handle = reserve0(size, false);
        if (handle == 0) {
            return Errno.EINVAL;
        }
        ptr.set(this, handle, size);
        return 0;
    }

    /**
     * {@code bpf_ringbuf_submit_dynptr}: no-op on a null dynptr; sets it null. Like the kernel, it
     * commits on the ring the record belongs to, whichever ring it is called on.
     */
    public void submitDynptr(RingBufDynptr ptr, long flags) {
        commitDynptr(ptr, flags, false);
    }

    /** {@code bpf_ringbuf_discard_dynptr}: no-op on a null dynptr; sets it null. */
    public void discardDynptr(RingBufDynptr ptr, long flags) {
        commitDynptr(ptr, flags, true);
    }

    private static void commitDynptr(RingBufDynptr ptr, long flags, boolean discard) {
        if (ptr.isNull()) {
            return;
        }
        BpfRingBuf owner = ptr.ring();
        long h = ptr.handle();
        ptr.setNull();
        owner.commit(h, flags, discard);
    }

    // ---------------------------------------------------------------------------------------------
    // Views, reports, counters

    /** What user space maps read-write: {@code consumer_pos} (u64) at offset 0. */
    @Override
    public MemorySegment consumerPage() {
        return consumerPage;
    }

    /** Read-only: producer_pos +0, pending_pos +8, overwrite_pos +16. */
    @Override
    public MemorySegment producerPage() {
        return producerPage.asReadOnly();
    }

    /** Read-only view of the data area as a consumer maps it: {@code 2 * size} bytes, the pages twice. */
    @Override
    public MemorySegment data() {
        return data.asReadOnly();
    }

    /** Physical and virtual memory this ring holds. */
    public MemoryReport memoryReport() {
        return memory.report();
    }

    /** Data area size in bytes. */
    @Override
    public long size() {
        return mask + 1;
    }

    /** Whether the ring was created with {@link #BPF_F_RB_OVERWRITE}. */
    @Override
    public boolean overwriteMode() {
        return overwriteMode;
    }

    /** The lock era chosen at creation. */
    public LockEra lockEra() {
        return lock.era();
    }

    /** Reservations that returned NULL (no space, bad size or lock failure); output's -EAGAIN included. */
    public long reserveFailures() {
        return reserveFailures.sum();
    }

    /** Reservations made in NMI-like context. */
    public long nmiAttempts() {
        return lock.counter(ReservationLock.NMI_ATTEMPTS);
    }

    /** NMI-context reservations that failed to take the lock. */
    public long nmiFailures() {
        return lock.counter(ReservationLock.NMI_FAILURES);
    }

    /** Resilient-lock acquisitions that timed out (0.25 s). */
    public long lockTimeouts() {
        return lock.counter(ReservationLock.TIMEOUTS);
    }

    /** Resilient-lock acquisitions refused as a self-deadlock. */
    public long lockDeadlocks() {
        return lock.counter(ReservationLock.DEADLOCKS);
    }

    /** Lock acquisitions that found the lock held and had to wait (the preemption deviation's cost). */
    public long lockContended() {
        return lock.counter(ReservationLock.CONTENDED);
    }

    /** Times a lock waiter yielded or parked instead of spinning. */
    public long lockBackoffs() {
        return lock.counter(ReservationLock.YIELDED) + lock.counter(ReservationLock.PARKED);
    }

    /** Wake-ups sent (deferred work runs). */
    public long notificationsSent() {
        return waitq.sent();
    }

    /** Wake-up requests merged into one already pending. */
    public long notificationsCoalesced() {
        return waitq.coalesced();
    }

    long mask() {
        return mask;
    }

    WaitQueue waitQueue() {
        return waitq;
    }

    /**
     * Tests and the stress pool: every position back to 0 (consumer page and producer page) and
     * the data zeroed, as if new. No producer, consumer or outstanding reservation may exist.
     */
    void resetForReuse() {
        consumerPage.set(java.lang.foreign.ValueLayout.JAVA_LONG, CONSUMER_POS_OFFSET, 0L);
        producerPage.set(java.lang.foreign.ValueLayout.JAVA_LONG, PRODUCER_POS_OFFSET, 0L);
        producerPage.set(java.lang.foreign.ValueLayout.JAVA_LONG, PENDING_POS_OFFSET, 0L);
        producerPage.set(java.lang.foreign.ValueLayout.JAVA_LONG, OVERWRITE_POS_OFFSET, 0L);
        data.asSlice(0, mask + 1).fill((byte) 0);
    }

    /** Whether the ring is still mapped. */
    @Override
    public boolean isOpen() {
        return memory.isOpen();
    }

    /** The port's wait set: a consumer sleeps on the rings' wait queues, parked ({@link WakeMechanism#PARK}). */
    @Override
    public RingWaitSet newWaitSet() {
        return new PortWaitSet(WakeMechanism.PARK);
    }

    /** The port's wait set, woken by {@code mechanism} (EVENTFD: through the kernel, as a real map's consumer is). */
    @Override
    public RingWaitSet newWaitSet(WakeMechanism mechanism) {
        return new PortWaitSet(mechanism);
    }

    /**
     * Frees the ring's memory (the range stays mapped, as zero pages, until the ring is unreachable:
     * {@link dev.ringbench.os.MappedMemory}) and wakes every waiting consumer (their poll returns
     * -EBADF). Every later reserve, commit or view access throws {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        try {
            memory.close();
        } finally {
            waitq.closeAll();
        }
    }
}
