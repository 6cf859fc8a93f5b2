package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static dev.ringbench.os.Atomics.smpLoadAcquireInt;
import static dev.ringbench.os.Atomics.smpLoadAcquireLong;
import static dev.ringbench.os.Atomics.smpRmb;
import static dev.ringbench.os.Atomics.smpStoreReleaseLong;
import static dev.ringbench.ringbuf.RingBufDescriptor.BUSY_BIT;
import static dev.ringbench.ringbuf.RingBufDescriptor.CONSUMER_POS_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.DISCARD_BIT;
import static dev.ringbench.ringbuf.RingBufDescriptor.HDR_SZ;
import static dev.ringbench.ringbuf.RingBufDescriptor.OVERWRITE_POS_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.PRODUCER_POS_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.recordSizeOfHeader;

/**
 * One ring of a {@link RingBufConsumer} (libbpf's {@code struct ring}), and its consuming loop.
 *
 * <p>Two loops, chosen when the ring is added:
 * <ul>
 *   <li>{@link Mode#LIBBPF}: {@code ringbuf_process_ring} exactly (libbpf 1.4+): the consumer
 *       position is published after every record, so a slow callback never holds space;</li>
 *   <li>{@link Mode#BATCHED}: the kernel benchmark's hand-written consumer ("rb-custom",
 *       {@code ringbuf_custom_process_ring}): one publication per pass over the available data.
 *       Deviation: rb-custom returns without publishing when it meets a BUSY record, so its next
 *       call re-reads records it already counted; the port publishes before it stops.</li>
 * </ul>
 *
 * <p>A ring in overwrite mode is read from {@code max(consumer_pos, overwrite_pos)}: records the
 * producer overwrote are skipped (libbpf does not do this yet). A record can still be overwritten
 * while its callback runs; overwrite mode trades that away by design.
 *
 * <p>A callback that throws: the record counts as consumed (consumer_pos moves past it, as for a
 * negative return), the exception propagates, and nothing after it is lost or delivered twice.
 */
public final class Ring {
    /** Which consuming loop a ring uses. */
    public enum Mode {
        /** libbpf's {@code ringbuf_process_ring}: consumer_pos published after every record. */
        LIBBPF,
        /** The kernel benchmark's "rb-custom" consumer: consumer_pos published once per pass. */
        BATCHED
    }

    private static final VarHandle STALL_POS;

    static {
        try {
            STALL_POS = MethodHandles.lookup().findVarHandle(Ring.class, "stallPos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RingSource map;
    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    private final long mask;
    private final boolean overwriteMode;
    private final RawSampleCallback callback;
    private final boolean batched;
    private long overwrittenWhileRead;
    /**
     * Diagnostic: the BUSY record a consuming call last stopped at ({@link #NOT_STALLED} if none
     * yet). Written by the consuming thread only, with a release store (it publishes stallSince);
     * read by other threads with acquire ({@link #STALL_POS}).
     */
    @SuppressWarnings("FieldMayBeFinal")
    private long stallPos = NOT_STALLED;
    /** Diagnostic: System.nanoTime() when a consuming call first found the record at stallPos BUSY. */
    private long stallSince;

    Ring(RingSource map, RawSampleCallback callback, Mode mode) {
        this.map = map;
        this.consumerPage = map.consumerPage();
        this.producerPage = map.producerPage();
        this.data = map.data();
        this.mask = map.size() - 1;
        this.overwriteMode = map.overwriteMode();
        this.callback = callback;
        this.batched = mode == Mode.BATCHED;
    }

    /** {@code ring__avail_data_size}: producer_pos - consumer_pos (consumer loaded first, as libbpf). */
    public long availDataSize() {
        long cons = consumerPos();
        return producerPos() - cons;
    }

    /**
     * Overwrite mode: records whose space the producer reclaimed while their callback was running,
     * so the callback may have read a mix of old and new bytes. The consumer cannot prevent this
     * (overwrite mode gives producers priority by design); it detects it after the callback and
     * counts it here. Always 0 outside overwrite mode.
     */
    public long overwrittenWhileRead() {
        return overwrittenWhileRead;
    }

    /** {@link #stalledPosition()} when the consumer is not stopped behind a BUSY record. */
    public static final long NOT_STALLED = -1;

    /**
     * Diagnostic for a producer that reserved a record and never committed it (it died, or is
     * descheduled, between reserve and commit): the consumer stops at that BUSY record, as the
     * kernel's does, and every record after it waits. Returns the record's position while the
     * consumer is still stopped there (consumer_pos has not passed it and its header is still BUSY),
     * else {@link #NOT_STALLED}. Safe from any thread; reads three words, changes nothing.
     */
    public long stalledPosition() {
        long pos = stallPosAcquire();
        if (pos == NOT_STALLED || !map.isOpen()) {
            return NOT_STALLED;
        }
        long cons = consumerPos();
        long prod = producerPos();
        // still ahead of the consumer, still inside the ring's window, header still BUSY
        if (Long.compareUnsigned(cons, pos) > 0 || prod - pos <= 0 || prod - pos > mask + 1) {
            return NOT_STALLED;
        }
        return (smpLoadAcquireInt(data, pos & mask) & BUSY_BIT) != 0 ? pos : NOT_STALLED;
    }

    /**
     * How long the consumer has been stopped behind the record at {@link #stalledPosition()}: the
     * time since a consuming call ({@code consume}, {@code consumeN}, {@code poll}) first found it
     * BUSY, so a lower bound on how long it has been reserved. 0 when not stalled.
     */
    public long stalledNanos() {
        long pos = stallPosAcquire();
        long since = stallSince;
        if (pos == NOT_STALLED || stalledPosition() != pos || stallPosAcquire() != pos) {
            return 0;
        }
        return Math.max(1, System.nanoTime() - since);
    }

    /**
     * A consuming call found the record at {@code pos} BUSY: remember when, once per position.
     * Only the consuming thread writes stallPos, so it reads its own value plainly; the store is a
     * release (not volatile: no StoreLoad fence), which publishes stallSince to readers. Pairs with
     * the acquire loads in {@link #stalledPosition()} and {@link #stalledNanos()}.
     */
    private void stoppedAtBusy(long pos) {
        if (pos != stallPos) {
            stallSince = System.nanoTime();
            STALL_POS.setRelease(this, pos);
        }
    }

    private long stallPosAcquire() {
        return (long) STALL_POS.getAcquire(this);
    }

    /** {@code ring__size}: the data area's size. */
    public long size() {
        return mask + 1;
    }

    /** {@code ring__consumer_pos}. */
    public long consumerPos() {
        // pairs with our own smp_store_release (and the producer never writes it)
        return smpLoadAcquireLong(consumerPage, CONSUMER_POS_OFFSET);
    }

    /** {@code ring__producer_pos}. */
    public long producerPos() {
        // pairs with the producer's smp_store_release in reserve
        return smpLoadAcquireLong(producerPage, PRODUCER_POS_OFFSET);
    }

    /** {@code ring__consume}: every available record; the count, or the first negative callback value. */
    public int consume() {
        return clamp(processRing(Integer.MAX_VALUE));
    }

    /** {@code ring__consume_n}: at most {@code n} records. {@code n == 0} consumes nothing; negative is -EINVAL. */
    public int consumeN(long n) {
        if (n < 0) {
            return Errno.EINVAL;
        }
        return n == 0 ? 0 : clamp(processRing(n));
    }

    static int clamp(long res) {
        return res > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) res;
    }

    /** The level-triggered readiness epoll sees ({@code ringbuf_map_poll_kern}): any unconsumed byte. */
    boolean ready() {
        return producerPos() != consumerPos();
    }

    RingSource map() {
        return map;
    }

    /**
     * {@code ringbuf_process_ring}: processes up to {@code n} records (n > 0).
     *
     * @return records handed to the callback, or the callback's negative value
     */
    long processRing(long n) {
        if (!map.isOpen()) {
            return Errno.EBADF;
        }
        if (!overwriteMode) {
            // pairs with our own smp_store_release (the producer never writes it)
            long cons = smpLoadAcquireLong(consumerPage, CONSUMER_POS_OFFSET);
            // Records are whole multiples of 8 bytes, so an aligned start stays aligned: the fast
            // loops test alignment once here instead of per record. A misaligned (hostile)
            // consumer_pos goes to the general loops, which answer it exactly as before.
            if ((cons & 7) == 0) {
                return batched ? processBatchedFast(cons, n) : processLibbpfFast(cons, n);
            }
        }
        return batched ? processBatched(n) : processLibbpf(n);
    }

    // The fast loops: a ring not in overwrite mode, starting aligned. They are the general loops
    // below with the overwrite-mode branches and the per-record alignment test taken out (a mode
    // branch per record costs), and the fields read into locals once per call. Each rule, load
    // and release store of the general loops is kept, in the same order.

    /** {@link #processLibbpf} for a ring not in overwrite mode, from the aligned position {@code consPos}. */
    private long processLibbpfFast(long consPos, long n) {
        final MemorySegment data = this.data;
        final MemorySegment consumerPage = this.consumerPage;
        final MemorySegment producerPage = this.producerPage;
        final long mask = this.mask;
        long cnt = 0;
        boolean gotNewData;
        do {
            gotNewData = false;
            // pairs with the producer's smp_store_release of producer_pos
            long prodPos = smpLoadAcquireLong(producerPage, PRODUCER_POS_OFFSET);
            while (Long.compareUnsigned(consPos, prodPos) < 0) {
                // pairs with the producer's xchg (cmpxchg) of the header in commit
                int len = smpLoadAcquireInt(data, consPos & mask);
                if ((len & BUSY_BIT) != 0) {
                    stoppedAtBusy(consPos);
                    return cnt;
                }
                if (isCorrupt(len, mask)) {
                    return Errno.EINVAL;
                }
                gotNewData = true;
                long recPos = consPos;
                consPos += recordSizeOfHeader(len);
                if ((len & DISCARD_BIT) == 0) {
                    int err = deliverFast(data, recPos, len, consPos, mask);
                    if (err < 0) {
                        smpStoreReleaseLong(consumerPage, CONSUMER_POS_OFFSET, consPos);
                        return err;
                    }
                    cnt++;
                }
                // pairs with the producer's smp_load_acquire of consumer_pos
                smpStoreReleaseLong(consumerPage, CONSUMER_POS_OFFSET, consPos);
                if (cnt >= n) {
                    return cnt;
                }
            }
        } while (gotNewData);
        return cnt;
    }

    /** {@link #processBatched} for a ring not in overwrite mode, from the aligned position {@code consPos}. */
    private long processBatchedFast(long consPos, long n) {
        final MemorySegment data = this.data;
        final MemorySegment producerPage = this.producerPage;
        final long mask = this.mask;
        long cnt = 0;
        while (true) {
            boolean gotNewData = false;
            // pairs with the producer's smp_store_release of producer_pos
            long prodPos = smpLoadAcquireLong(producerPage, PRODUCER_POS_OFFSET);
            while (Long.compareUnsigned(consPos, prodPos) < 0 && cnt < n) {
                // pairs with the producer's xchg (cmpxchg) of the header in commit
                int len = smpLoadAcquireInt(data, consPos & mask);
                if ((len & BUSY_BIT) != 0) {
                    stoppedAtBusy(consPos);
                    publish(gotNewData, consPos);
                    return cnt;
                }
                if (isCorrupt(len, mask)) {
                    publish(gotNewData, consPos);
                    return Errno.EINVAL;
                }
                gotNewData = true;
                long recPos = consPos;
                consPos += recordSizeOfHeader(len);
                if ((len & DISCARD_BIT) == 0) {
                    int err = deliverFast(data, recPos, len, consPos, mask);
                    if (err < 0) {
                        smpStoreReleaseLong(consumerPage, CONSUMER_POS_OFFSET, consPos);
                        return err;
                    }
                    cnt++;
                }
            }
            publish(gotNewData, consPos);
            if (!gotNewData || cnt >= n) {
                return cnt;
            }
        }
    }

    /** {@link #deliver} outside overwrite mode (no re-check after the callback). */
    private int deliverFast(MemorySegment data, long recPos, int len, long nextPos, long mask) {
        try {
            return callback.onSample(data, (recPos + HDR_SZ) & mask, len & ~(BUSY_BIT | DISCARD_BIT));
        } catch (RuntimeException | Error e) {
            // pairs with the producer's smp_load_acquire of consumer_pos
            smpStoreReleaseLong(consumerPage, CONSUMER_POS_OFFSET, nextPos);
            throw e;
        }
    }

    private static boolean isCorrupt(int len, long mask) {
        return (len & ~(BUSY_BIT | DISCARD_BIT)) > mask + 1 - 2 * HDR_SZ;
    }

    private long startPos() {
        long cons = smpLoadAcquireLong(consumerPage, CONSUMER_POS_OFFSET);
        return overwriteMode ? skipOverwritten(cons) : cons;
    }

    /**
     * Whether the producer reclaimed the record at {@code recPos} after this consumer loaded its
     * header or payload: the seqlock reader's re-check ({@code read_seqcount_retry}: smp_rmb, then
     * the load). The producer stores overwrite_pos and then issues smp_wmb before it writes a
     * byte over the records it reclaimed (BpfRingBuf.reserveLocked); here every load of the
     * header or payload comes before the smp_rmb and the re-read after it. So if a load returned
     * a byte of the new record, the re-read sees overwrite_pos past recPos; if overwrite_pos
     * still does not pass recPos, the bytes read were the record's own. An acquire load alone
     * would not do: it keeps later loads after it, not the earlier payload loads before it
     * (arm64 may satisfy them late; x86 never does, which is why jcstress on x86 cannot tell).
     * Pairs with the smp_wmb after the producer's store of overwrite_pos.
     */
    private boolean overwrittenSince(long recPos) {
        smpRmb();
        return Long.compareUnsigned(smpLoadAcquireLong(producerPage, OVERWRITE_POS_OFFSET), recPos) > 0;
    }

    private long skipOverwritten(long cons) {
        // pairs with the producer's smp_store_release of overwrite_pos
        long over = smpLoadAcquireLong(producerPage, OVERWRITE_POS_OFFSET);
        return Long.compareUnsigned(over, cons) > 0 ? over : cons;
    }

    // Positions are u64: every comparison between them is unsigned, as in libbpf, so that a hostile
    // consumer_pos "above" producer_pos (e.g. 2^64 - 8) finds nothing to consume.

    private long processLibbpf(long n) {
        long cnt = 0;
        long consPos = startPos();
        boolean gotNewData;
        do {
            gotNewData = false;
            // pairs with the producer's smp_store_release of producer_pos
            long prodPos = smpLoadAcquireLong(producerPage, PRODUCER_POS_OFFSET);
            while (Long.compareUnsigned(consPos, prodPos) < 0) {
                if (overwriteMode) {
                    consPos = skipOverwritten(consPos);
                    if (Long.compareUnsigned(consPos, prodPos) >= 0) {
                        break;
                    }
                }
                // pairs with the producer's xchg of the header in commit
                if ((consPos & 7) != 0) {
                    return Errno.EINVAL; // hostile consumer_pos, see isCorrupt
                }
                int len = smpLoadAcquireInt(data, consPos & mask);
                if ((len & BUSY_BIT) != 0) {
                    stoppedAtBusy(consPos);
                    return cnt;
                }
                if (overwriteMode && overwrittenSince(consPos)) {
                    continue; // the header may be torn: resynchronise at overwrite_pos
                }
                if (isCorrupt(len)) {
                    return Errno.EINVAL;
                }
                gotNewData = true;
                long recPos = consPos;
                consPos += recordSizeOfHeader(len);
                if ((len & DISCARD_BIT) == 0) {
                    int err = deliver(recPos, len, consPos);
                    if (err < 0) {
                        smpStoreReleaseLong(consumerPage, CONSUMER_POS_OFFSET, consPos);
                        return err;
                    }
                    cnt++;
                }
                // pairs with the producer's smp_load_acquire of consumer_pos
                smpStoreReleaseLong(consumerPage, CONSUMER_POS_OFFSET, consPos);
                if (cnt >= n) {
                    return cnt;
                }
            }
        } while (gotNewData);
        return cnt;
    }

    private long processBatched(long n) {
        long cnt = 0;
        long consPos = startPos();
        while (true) {
            boolean gotNewData = false;
            long prodPos = smpLoadAcquireLong(producerPage, PRODUCER_POS_OFFSET);
            while (Long.compareUnsigned(consPos, prodPos) < 0 && cnt < n) {
                if (overwriteMode) {
                    consPos = skipOverwritten(consPos);
                    if (Long.compareUnsigned(consPos, prodPos) >= 0) {
                        break;
                    }
                }
                if ((consPos & 7) != 0) {
                    return Errno.EINVAL;
                }
                int len = smpLoadAcquireInt(data, consPos & mask);
                if ((len & BUSY_BIT) != 0) {
                    stoppedAtBusy(consPos);
                    publish(gotNewData, consPos);
                    return cnt;
                }
                if (overwriteMode && overwrittenSince(consPos)) {
                    continue;
                }
                if (isCorrupt(len)) {
                    publish(gotNewData, consPos);
                    return Errno.EINVAL;
                }
                gotNewData = true;
                long recPos = consPos;
                consPos += recordSizeOfHeader(len);
                if ((len & DISCARD_BIT) == 0) {
                    int err = deliver(recPos, len, consPos);
                    if (err < 0) {
                        smpStoreReleaseLong(consumerPage, CONSUMER_POS_OFFSET, consPos);
                        return err;
                    }
                    cnt++;
                }
            }
            publish(gotNewData, consPos);
            if (!gotNewData || cnt >= n) {
                return cnt;
            }
        }
    }

    private void publish(boolean gotNewData, long consPos) {
        if (gotNewData) {
            // pairs with the producer's smp_load_acquire of consumer_pos
            smpStoreReleaseLong(consumerPage, CONSUMER_POS_OFFSET, consPos);
        }
    }

    /**
     * A header no producer can write: a payload larger than a ring can ever hold. Only a hostile
     * or misaligned consumer_pos leads here; libbpf would read out of bounds. The consuming call
     * returns -EINVAL and leaves consumer_pos where it is, so nothing is skipped silently.
     */
    private boolean isCorrupt(int len) {
        return isCorrupt(len, mask);
    }

    /** Calls the callback; if it throws, the record is consumed before the exception propagates. */
    private int deliver(long recPos, int len, long nextPos) {
        try {
            int r = callback.onSample(data, (recPos + HDR_SZ) & mask, len & ~(BUSY_BIT | DISCARD_BIT));
            if (overwriteMode && overwrittenSince(recPos)) {
                overwrittenWhileRead++;
            }
            return r;
        } catch (RuntimeException | Error e) {
            smpStoreReleaseLong(consumerPage, CONSUMER_POS_OFFSET, nextPos);
            throw e;
        }
    }
}
