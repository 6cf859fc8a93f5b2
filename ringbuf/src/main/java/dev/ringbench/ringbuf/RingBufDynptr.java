package dev.ringbench.ringbuf;

import java.lang.foreign.MemorySegment;

/**
 * A {@code struct bpf_dynptr} of type RINGBUF: the result of
 * {@link BpfRingBuf#reserveDynptr(long, long, RingBufDynptr)}. Reusable and mutable, so the
 * dynptr path allocates nothing. A failed reservation leaves it null; committing a null dynptr
 * is a no-op, as in the kernel.
 */
public final class RingBufDynptr {
    private BpfRingBuf ring;
    private long handle;
    private long size;

    /** Whether it holds no reservation. */
    public boolean isNull() {
        return ring == null;
    }

    /** The reserved size ({@code bpf_dynptr_size}), 0 when null. */
    public long size() {
        return size;
    }

    /** The reservation's handle, 0 when null. */
    public long handle() {
        return handle;
    }

    /** A writable view of the reserved payload ({@code bpf_dynptr_data}). */
    public MemorySegment data() {
        if (ring == null) {
            throw new IllegalStateException("null dynptr");
        }
        return ring.sample(handle);
    }

    BpfRingBuf ring() {
        return ring;
    }

    void set(BpfRingBuf r, long h, long s) {
        ring = r;
        handle = h;
        size = s;
    }

    void setNull() {
        ring = null;
        handle = 0;
        size = 0;
    }
}
