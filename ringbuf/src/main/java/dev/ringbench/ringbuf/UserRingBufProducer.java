package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import java.lang.foreign.MemorySegment;
import java.util.function.IntSupplier;

import static dev.ringbench.os.Atomics.readOnceInt;
import static dev.ringbench.os.Atomics.smpLoadAcquireLong;
import static dev.ringbench.os.Atomics.smpStoreReleaseLong;
import static dev.ringbench.os.Atomics.xchgInt;
import static dev.ringbench.ringbuf.RingBufDescriptor.BUSY_BIT;
import static dev.ringbench.ringbuf.RingBufDescriptor.CONSUMER_POS_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.DISCARD_BIT;
import static dev.ringbench.ringbuf.RingBufDescriptor.HDR_SZ;
import static dev.ringbench.ringbuf.RingBufDescriptor.PRODUCER_POS_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.recordSize;

/**
 * libbpf's {@code struct user_ring_buffer}: the user-space producer of a {@link UserRingBuf}.
 * Single producer, no lock (callers serialise, as in libbpf).
 *
 * <p>Handles are payload positions, as for {@link BpfRingBuf}; {@link #submit}/{@link #discard}
 * check them against a bitmap of outstanding reservations (one bit per 8-byte slot of the ring,
 * size/64 bytes; set at reserve, cleared at commit), so a handle used twice, never reserved, or
 * pointing inside a payload throws and changes nothing. libbpf has no such check; it costs one bit
 * operation per record on this single-threaded path.
 *
 * <p>{@link #reserveBlocking} waits the way libbpf does, in epoll on the map for
 * {@code EPOLLOUT}, which the kernel reports while the ring is not completely full
 * ({@code ringbuf_map_poll_user}); a drain that consumed a sample sends the wake-up.
 */
public final class UserRingBufProducer implements AutoCloseable {
    private final UserRingSource ring;
    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    private final long mask;
    /** Where reserveBlocking sleeps: the port ring's wait queue, or epoll (EPOLLOUT) on a kernel map. */
    private final RingWaitSet waiter;
    private final IntSupplier writable = this::writable;
    /** Outstanding reservations: bit (offset / 8) set while the record at that offset is reserved. */
    private final long[] outstanding;

    private UserRingBufProducer(UserRingSource ring) {
        this.ring = ring;
        this.consumerPage = ring.consumerPage();
        this.producerPage = ring.producerPage();
        this.data = ring.data();
        this.mask = ring.size() - 1;
        this.outstanding = new long[(int) Math.max(1, (mask + 1) / 8 / 64)];
        this.waiter = ring.newProducerWaitSet();
    }

    /** {@code user_ring_buffer__new}. */
    public static UserRingBufProducer create(UserRingSource ring) {
        if (ring == null) {
            throw new IllegalArgumentException("ring must not be null");
        }
        if (!ring.isOpen()) {
            throw new IllegalArgumentException("ring is closed");
        }
        return new UserRingBufProducer(ring);
    }

    /**
     * {@code user_ring_buffer__reserve}.
     *
     * @return a positive handle; -E2BIG if the size has flag bits or the record exceeds the ring;
     *         -ENOSPC if it does not fit now (or would overwrite a record still outstanding: see
     *         {@link #overlapsOutstanding}); -EINVAL if producer_pos was overwritten through the
     *         writable producer page with a misaligned value or one at or above 2^63
     */
    public long reserve(long size) {
        if (size < 0 || size > 0xFFFF_FFFFL || (size & (BUSY_BIT | DISCARD_BIT) & 0xFFFF_FFFFL) != 0) {
            return Errno.E2BIG;
        }
        // pairs with the drain's smp_store_release of consumer_pos
        long consPos = smpLoadAcquireLong(consumerPage, CONSUMER_POS_OFFSET);
        long prodPos = smpLoadAcquireLong(producerPage, PRODUCER_POS_OFFSET);
        if ((prodPos & 7) != 0 || prodPos < 0) {
            // misaligned, or 2^63 bytes or more: no ring gets there, and a handle must be positive
            return Errno.EINVAL;
        }
        long maxSize = mask + 1;
        long availSize = maxSize - (prodPos - consPos);
        long totalSize = recordSize(size);
        if (totalSize > maxSize) {
            return Errno.E2BIG;
        }
        if (availSize < totalSize) {
            return Errno.ENOSPC;
        }
        long hdrOff = prodPos & mask;
        if (overlapsOutstanding(hdrOff, totalSize)) {
            return Errno.ENOSPC; // consumer_pos claims space this producer is still writing
        }
        data.set(java.lang.foreign.ValueLayout.JAVA_LONG, hdrOff, (size | BUSY_BIT) & 0xFFFF_FFFFL); // pg_off = 0
        outstanding[(int) (hdrOff >>> 9)] |= 1L << (hdrOff >>> 3);
        // pairs with the drain's smp_load_acquire of producer_pos
        smpStoreReleaseLong(producerPage, PRODUCER_POS_OFFSET, prodPos + totalSize);
        return prodPos + HDR_SZ;
    }

    /**
     * Whether an outstanding reservation starts in the {@code len} bytes from data offset
     * {@code from} (wrapping): the new record would overwrite it. Deviation: libbpf trusts
     * consumer_pos here (the kernel owns that page and maps it read-only), so a consumer_pos ahead
     * of producer_pos makes it reserve over records it has not yet submitted; the port refuses
     * that (-ENOSPC), the user-ring counterpart of the kernel's pending_pos check
     * (CVE-2024-41009). With a sound consumer_pos this never fires: a drain stops at the oldest
     * BUSY record, so the space check above already keeps every outstanding record. Outstanding
     * records all start less than one ring behind producer_pos, so the ones the new record would
     * reach start exactly in these bytes.
     */
    private boolean overlapsOutstanding(long from, long len) {
        long slots = (mask + 1) >>> 3; // one bit per 8-byte slot
        long first = from >>> 3;
        long n = len >>> 3;             // len is a multiple of 8, at most the ring's size
        long beforeWrap = Math.min(n, slots - first);
        return anyOutstanding(first, beforeWrap) || anyOutstanding(0, n - beforeWrap);
    }

    /** Whether any of {@code count} bits of {@link #outstanding} from bit {@code bit} is set; a word at a time. */
    private boolean anyOutstanding(long bit, long count) {
        while (count > 0) {
            int b = (int) (bit & 63);
            int k = (int) Math.min(64 - b, count);
            long m = (k == 64 ? -1L : (1L << k) - 1) << b;
            if ((outstanding[(int) (bit >>> 6)] & m) != 0) {
                return true;
            }
            bit += k;
            count -= k;
        }
        return false;
    }

    /**
     * {@code user_ring_buffer__reserve_blocking}: retries while the ring is full, waiting for
     * drains, until {@code timeoutMs} passes; then one last try.
     *
     * @param timeoutMs -1 waits forever; other negative values are -EINVAL
     * @return as {@link #reserve}, or -EINVAL, -EINTR (interrupted) or -EBADF (ring closed)
     */
    public long reserveBlocking(long size, int timeoutMs) {
        if (timeoutMs < -1) {
            return Errno.EINVAL;
        }
        if (!ring.isOpen()) {
            return Errno.EBADF;
        }
        long start = System.nanoTime();
        long msRemaining = timeoutMs;
        do {
            long h = reserve(size);
            if (h != Errno.ENOSPC) {
                return h;
            }
            int w = waiter.await(writable, (int) msRemaining);
            if (w < 0) {
                return w;
            }
            if (timeoutMs == -1) {
                continue;
            }
            long msElapsed = (System.nanoTime() - start) / 1_000_000L;
            msRemaining = timeoutMs - msElapsed;
        } while (msRemaining > 0);
        return reserve(size);
    }

    /** {@code ringbuf_map_poll_user}: EPOLLOUT while not every byte of the ring is in use. */
    private int writable() {
        if (!ring.isOpen()) {
            return Errno.EBADF;
        }
        long cons = smpLoadAcquireLong(consumerPage, CONSUMER_POS_OFFSET);
        long prod = smpLoadAcquireLong(producerPage, PRODUCER_POS_OFFSET);
        return prod - cons < mask + 1 ? 1 : 0;
    }

    /** The writable data area (both mappings) that {@link #sampleOffset} indexes. */
    public MemorySegment sampleArea() {
        return data;
    }

    /** Where the payload of {@code handle} starts in {@link #sampleArea()}; no checks, no allocation. */
    public long sampleOffset(long handle) {
        return handle & mask;
    }

    /** A writable view of the reserved payload. Allocates; see {@link #sampleArea()}. */
    public MemorySegment sample(long handle) {
        long hdrOff = checkHandle(handle);
        return data.asSlice(hdrOff + HDR_SZ, readOnceInt(data, hdrOff) & ~(BUSY_BIT | DISCARD_BIT));
    }

    /** {@code user_ring_buffer__submit}: no wake-up is sent. */
    public void submit(long handle) {
        commit(handle, false);
    }

    /** {@code user_ring_buffer__discard}. */
    public void discard(long handle) {
        commit(handle, true);
    }

    private void commit(long handle, boolean discard) {
        long hdrOff = checkHandle(handle);
        int newLen = readOnceInt(data, hdrOff) & ~BUSY_BIT;
        if (discard) {
            newLen |= DISCARD_BIT;
        }
        outstanding[(int) (hdrOff >>> 9)] &= ~(1L << (hdrOff >>> 3));
        // pairs with the drain's smp_load_acquire of the header
        xchgInt(data, hdrOff, newLen);
    }

    private long checkHandle(long handle) {
        long hdrPos = handle - HDR_SZ;
        if (handle <= 0 || (hdrPos & 7) != 0) {
            throw new IllegalArgumentException("0x" + Long.toHexString(handle) + " is not a user ring buffer handle");
        }
        long inFlight = smpLoadAcquireLong(producerPage, PRODUCER_POS_OFFSET) - hdrPos;
        long hdrOff = hdrPos & mask;
        boolean reserved = (outstanding[(int) (hdrOff >>> 9)] & (1L << (hdrOff >>> 3))) != 0;
        if (inFlight <= 0 || inFlight > mask + 1 || !reserved || (readOnceInt(data, hdrOff) & BUSY_BIT) == 0) {
            throw new IllegalStateException("handle for position " + hdrPos
                    + " is not an outstanding reservation (already submitted or discarded, or never reserved)");
        }
        return hdrOff;
    }

    /** {@code user_ring_buffer__free}: a thread in {@link #reserveBlocking} returns -EBADF. */
    @Override
    public void close() {
        waiter.close();
    }
}
