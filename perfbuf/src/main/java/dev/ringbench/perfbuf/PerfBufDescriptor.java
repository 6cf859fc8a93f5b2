package dev.ringbench.perfbuf;

/**
 * Layout of one perf ring and of its records, as {@code include/uapi/linux/perf_event.h} and
 * {@code kernel/events/ring_buffer.c} lay them out.
 *
 * <pre>
 * offset (bytes)       contents
 * 0                    control page: struct perf_event_mmap_page
 *                        size        u32 @72   (offsetof(__reserved) = 96, as perf_event_init_userpage)
 *                        data_head   u64 @1024 written by the producer (release), read by the consumer (acquire)
 *                        data_tail   u64 @1032 written by the consumer (release), read by the producer (acquire)
 *                        data_offset u64 @1040 = 4096
 *                        data_size   u64 @1048 = 2^n pages
 * 4096 .. 4096+size    data pages, mapped once: a record that runs past the end continues at
 *                      offset 0 and the consumer copies it into a scratch buffer
 * </pre>
 *
 * <p>Record header ({@code struct perf_event_header}, 8 bytes): {@code u32 type; u16 misc;
 * u16 size}, where {@code size} counts the header. Every record starts 8-aligned and occupies a
 * multiple of 8 bytes, so a header or any u32/u64 field never straddles the end of the data area.
 * <ul>
 *   <li>{@link #PERF_RECORD_SAMPLE} (9), as a BPF output event writes it ({@code PERF_SAMPLE_RAW}):
 *       header, {@code u32 raw_size}, the raw bytes, zero padding to 8. Deviation: the kernel
 *       writes {@code raw_size} as the padded size minus 4 ({@code perf_prepare_sample}), so
 *       libbpf's callback sees the pad bytes as part of the data; the analogue writes the exact
 *       payload length, so that a channel delivers exactly the bytes offered. The record occupies
 *       the same {@link #sampleRecordSize} bytes either way.</li>
 *   <li>{@link #PERF_RECORD_LOST} (2): header, {@code u64 id; u64 lost} (24 bytes; libbpf does not
 *       set {@code sample_id_all}, so no sample_id follows).</li>
 * </ul>
 */
public final class PerfBufDescriptor {
    /** Page size the layout is expressed in. */
    public static final int PAGE_SIZE = 4096;
    /** Pages before the data: the control page. */
    public static final int NR_CONTROL_PAGES = 1;

    /** {@code perf_event_mmap_page.size}: how much of the page the kernel defines. */
    public static final long USERPG_SIZE_OFFSET = 72;
    /** Value the kernel stores in {@code size}: {@code offsetof(struct perf_event_mmap_page, __reserved)}. */
    public static final int USERPG_SIZE = 96;
    /** {@code data_head}: producer position, free-running. */
    public static final long DATA_HEAD_OFFSET = 1024;
    /** {@code data_tail}: consumer position, free-running. */
    public static final long DATA_TAIL_OFFSET = 1032;
    /** {@code data_offset}: where the data pages start (one page). */
    public static final long DATA_OFFSET_OFFSET = 1040;
    /** {@code data_size}: bytes of data pages. */
    public static final long DATA_SIZE_OFFSET = 1048;

    /** {@code sizeof(struct perf_event_header)}. */
    public static final int HEADER_SIZE = 8;
    /** Offset of {@code type} in the header. */
    public static final int HDR_TYPE_OFFSET = 0;
    /** Offset of {@code misc} in the header. */
    public static final int HDR_MISC_OFFSET = 4;
    /** Offset of {@code size} in the header. */
    public static final int HDR_SIZE_OFFSET = 6;

    /** {@code PERF_RECORD_LOST}. */
    public static final int PERF_RECORD_LOST = 2;
    /** {@code PERF_RECORD_SAMPLE}. */
    public static final int PERF_RECORD_SAMPLE = 9;

    /** Offset of {@code u32 raw_size} in a sample record. */
    public static final int RAW_SIZE_OFFSET = 8;
    /** Offset of the raw bytes in a sample record. */
    public static final int RAW_DATA_OFFSET = 12;
    /** Offset of {@code u64 id} in a LOST record. */
    public static final int LOST_ID_OFFSET = 8;
    /** Offset of {@code u64 lost} in a LOST record. */
    public static final int LOST_COUNT_OFFSET = 16;
    /** Size of a LOST record. */
    public static final int LOST_RECORD_SIZE = 24;

    /** Largest record a u16 {@code size} can describe, a multiple of 8. */
    public static final int MAX_RECORD_SIZE = 0xFFF8;
    /** Largest raw payload: {@link #MAX_RECORD_SIZE} minus header and {@code raw_size}. */
    public static final int MAX_RAW_SIZE = MAX_RECORD_SIZE - RAW_DATA_OFFSET;
    /** Largest data area the analogue accepts (2^18 pages, 1 GiB). */
    public static final int MAX_DATA_PAGES = 1 << 18;

    private PerfBufDescriptor() {
    }

    /** Bytes a sample with this payload occupies: {@code round_up(8 + 4 + payload, 8)}. */
    public static long sampleRecordSize(long payload) {
        return (payload + RAW_DATA_OFFSET + 7) & ~7L;
    }

    /**
     * Free bytes for the producer, as the kernel's {@code CIRC_SPACE(head, tail, size)}: one byte
     * is always left unused, so records (multiples of 8) fill at most {@code size - 8} bytes.
     */
    public static long circSpace(long head, long tail, long size) {
        return (tail - (head + 1)) & (size - 1);
    }

    /**
     * Largest payload that fits an empty ring of {@code dataSize} bytes even with a LOST record
     * in front of it, capped by the u16 size field.
     */
    public static int maxSampleLength(long dataSize) {
        long fit = dataSize - HEADER_SIZE - LOST_RECORD_SIZE - RAW_DATA_OFFSET;
        return (int) Math.min(MAX_RAW_SIZE, fit);
    }

    /** The header as one little-endian u64: {@code type | misc << 32 | size << 48}. */
    public static long headerWord(int type, int misc, int size) {
        return (type & 0xFFFF_FFFFL) | (long) (misc & 0xFFFF) << 32 | (long) (size & 0xFFFF) << 48;
    }

    /** Whether {@code pages} is a valid data-page count: a power of two in [1, {@link #MAX_DATA_PAGES}]. */
    public static boolean isValidDataPages(int pages) {
        return pages >= 1 && pages <= MAX_DATA_PAGES && Integer.bitCount(pages) == 1;
    }
}
