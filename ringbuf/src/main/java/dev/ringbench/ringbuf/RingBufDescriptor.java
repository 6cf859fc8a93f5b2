package dev.ringbench.ringbuf;

/**
 * Layout of a ring's shared memory and of its record header, as {@code kernel/bpf/ringbuf.c}
 * lays them out (checked against Linux 6.18; the layout has not changed since 5.8 except for
 * the positions added to the producer page).
 *
 * <pre>
 * offset (pages)   contents                                   consumer's view
 * 0                private metadata page (RINGBUF_PGOFF = 1)  not mapped to users
 * 1                consumer page: consumer_pos u64 @0         read-write (kernel ring),
 *                                                             read-only (user ring producer)
 * 2                producer page: producer_pos @0,            read-only (kernel ring),
 *                  pending_pos @8, overwrite_pos @16          read-write (user ring producer)
 * 3 .. 3+n         data pages                                 read-only / read-write
 * 3+n .. 3+2n      the same data pages mapped again
 * </pre>
 *
 * <p>The metadata page exists so that {@code pg_off}, the record header's distance in pages from
 * the start of the ring's memory, has the values the kernel writes (3 for the first data page):
 * the kernel's {@code struct bpf_ringbuf} keeps its wait queue, irq_work, lock and the user ring's
 * drain {@code busy} flag there. The port keeps there what producers touch on their hot path, each
 * on cache lines of its own as the kernel's {@code ____cacheline_aligned_in_smp} fields: the
 * wake-up work's PENDING flag ({@link #META_WORK_OFFSET}) and the reservation lock word
 * ({@link #META_SPINLOCK_OFFSET}); the wait queue's waiter list, the counters and the user ring's
 * {@code busy} flag stay in Java objects. Users never map the page.
 *
 * <p>Record header (8 bytes, little-endian): {@code u32 len} with {@link #BUSY_BIT} and
 * {@link #DISCARD_BIT}, then {@code u32 pg_off}. A record occupies
 * {@code roundUp(payload + 8, 8)} bytes.
 */
public final class RingBufDescriptor {
    /** Page size the layout is expressed in (the kernel's PAGE_SIZE on x86-64 and arm64 4K). */
    public static final int PAGE_SIZE = 4096;
    /** Pages before the consumer page that users never map ({@code RINGBUF_PGOFF}). */
    public static final int RINGBUF_PGOFF = 1;
    /** Consumer page and producer page ({@code RINGBUF_POS_PAGES}). */
    public static final int RINGBUF_POS_PAGES = 2;
    /** All pages before the data ({@code RINGBUF_NR_META_PAGES}). */
    public static final int NR_META_PAGES = RINGBUF_PGOFF + RINGBUF_POS_PAGES;

    /** Offset of the consumer page from the start of the ring's memory. */
    public static final long CONSUMER_PAGE_OFFSET = (long) RINGBUF_PGOFF * PAGE_SIZE;
    /** Offset of the producer page from the start of the ring's memory. */
    public static final long PRODUCER_PAGE_OFFSET = CONSUMER_PAGE_OFFSET + PAGE_SIZE;
    /** Offset of the first data page from the start of the ring's memory. */
    public static final long DATA_OFFSET = (long) NR_META_PAGES * PAGE_SIZE;

    /** {@code consumer_pos}, in the consumer page. */
    public static final long CONSUMER_POS_OFFSET = 0;
    /** {@code producer_pos}, in the producer page. */
    public static final long PRODUCER_POS_OFFSET = 0;
    /** {@code pending_pos}, in the producer page (6.10+: the CVE-2024-41009 fix). */
    public static final long PENDING_POS_OFFSET = 8;
    /** {@code overwrite_pos}, in the producer page (6.19+: BPF_F_RB_OVERWRITE). */
    public static final long OVERWRITE_POS_OFFSET = 16;

    /**
     * In the private metadata page: {@code rb->work}'s flags word (an int; bit 0 PENDING), alone on
     * the page's first 128 bytes.
     */
    static final long META_WORK_OFFSET = 0;
    /**
     * In the private metadata page: {@code rb->spinlock}, a long (0 free, else the holder's thread
     * id), alone on bytes 128 to 255.
     */
    static final long META_SPINLOCK_OFFSET = 128;

    /** Header size ({@code BPF_RINGBUF_HDR_SZ}). */
    public static final int HDR_SZ = 8;
    /** Offset of {@code len} in the header. */
    public static final int HDR_LEN_OFFSET = 0;
    /** Offset of {@code pg_off} in the header. */
    public static final int HDR_PG_OFF_OFFSET = 4;
    /** Reserved, not yet committed ({@code BPF_RINGBUF_BUSY_BIT}). */
    public static final int BUSY_BIT = 1 << 31;
    /** Committed but to be skipped ({@code BPF_RINGBUF_DISCARD_BIT}). */
    public static final int DISCARD_BIT = 1 << 30;
    /** Largest payload a header can describe ({@code RINGBUF_MAX_RECORD_SZ = UINT_MAX / 4}). */
    public static final long MAX_RECORD_SZ = 0x3FFF_FFFFL;
    /** Largest dynptr ({@code DYNPTR_MAX_SIZE}); dynptr reservations and user-ring samples. */
    public static final long DYNPTR_MAX_SIZE = (1L << 24) - 1;
    /** Largest data area: pg_off must fit 24 bits ({@code RINGBUF_MAX_DATA_SZ}). */
    public static final long MAX_DATA_SZ = ((1L << 24) - RINGBUF_POS_PAGES - RINGBUF_PGOFF) * PAGE_SIZE;

    private RingBufDescriptor() {
    }

    /** Bytes a record with this payload occupies: {@code round_up(payload + 8, 8)}. */
    public static long recordSize(long payload) {
        return (payload + HDR_SZ + 7) & ~7L;
    }

    /** Bytes the record whose header holds {@code hdrLen} occupies (flag bits ignored). */
    public static long recordSizeOfHeader(int hdrLen) {
        return recordSize(hdrLen & ~(BUSY_BIT | DISCARD_BIT));
    }

    /** The payload length in a header word. */
    public static int payloadLength(int hdrLen) {
        return hdrLen & ~(BUSY_BIT | DISCARD_BIT);
    }

    /** {@code pg_off} of a header at {@code dataOffset} in the data area (bpf_ringbuf_rec_pg_off). */
    public static int pgOff(long dataOffset) {
        return (int) ((DATA_OFFSET + dataOffset) >>> 12);
    }

    /** Whether {@code size} is a valid data-area size: a power of two and a multiple of the page. */
    public static boolean isValidDataSize(long size) {
        return size > 0 && Long.bitCount(size) == 1 && size % PAGE_SIZE == 0 && size <= MAX_DATA_SZ;
    }
}
