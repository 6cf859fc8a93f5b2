package dev.ringbench.competitors.perfbuf;

import dev.ringbench.perfbuf.PerfBufDescriptor;
import dev.ringbench.perfbuf.PerfRing;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.os.Errno;

import java.lang.foreign.MemorySegment;

/** One producer of a {@link PerfBufChannel}: the BPF-program side, writing only its own ring. */
final class PerfBufProducer implements ChannelProducer {
    private static final String COPY_ONLY =
            "the perf buffer is copy-only (bpf_perf_event_output has no reserve/commit): use offer";

    private final PerfRing ring;

    PerfBufProducer(PerfRing ring) {
        this.ring = ring;
    }

    @Override
    public boolean tryClaim(int length) {
        throw new UnsupportedOperationException(COPY_ONLY);
    }

    @Override
    public MemorySegment buffer() {
        throw new UnsupportedOperationException(COPY_ONLY);
    }

    @Override
    public long offset() {
        throw new UnsupportedOperationException(COPY_ONLY);
    }

    @Override
    public void commit() {
        throw new UnsupportedOperationException(COPY_ONLY);
    }

    @Override
    public void abort() {
        throw new UnsupportedOperationException("the perf buffer cannot discard a record: " + COPY_ONLY);
    }

    /**
     * {@code bpf_perf_event_output} into this producer's ring.
     *
     * @return false on -ENOSPC (the ring counts the lost sample; the channel reports it as a drop)
     * @throws IllegalArgumentException for a negative length (-EINVAL) or a record above 65528
     *                                  bytes (-E2BIG)
     */
    @Override
    public boolean offer(MemorySegment src, long srcOffset, int length) {
        int rc = ring.output(src, srcOffset, length);
        if (rc == 0) {
            return true;
        }
        if (rc == Errno.ENOSPC) {
            return false;
        }
        throw new IllegalArgumentException("offer of " + length + " bytes: "
                + (rc == Errno.E2BIG ? "-E2BIG, a perf record holds at most " + PerfBufDescriptor.MAX_RAW_SIZE + " bytes"
                : "-EINVAL, negative length"));
    }
}
