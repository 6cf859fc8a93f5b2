package dev.ringbench.competitors.bpfringbuf;

import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.competitors.WakeupPolicy;
import dev.ringbench.ringbuf.BpfRingBuf;

import java.lang.foreign.MemorySegment;

/** One producer of a {@link BpfRingBufChannel}: the BPF-program side of the port. */
final class BpfRingBufProducer implements ChannelProducer {
    /** The kernel benchmark's record size for the sampled threshold: 8-byte payload + 8-byte header. */
    private static final long SAMPLED_RECORD_BYTES = 16;

    private final BpfRingBuf ring;
    private final MemorySegment area;
    private final int id;
    private final WakeupPolicy policy;
    private final long wakeupN;
    private final PerProducerCounter drops;
    /** The commit flags when the policy fixes them (ADAPTIVE, FORCE, NO_WAKEUP), else -1. */
    private final long fixedFlags;
    private long handle;
    private long committed;
    private boolean inNmi;

    BpfRingBufProducer(BpfRingBuf ring, int id, WakeupPolicy policy, int wakeupN, PerProducerCounter drops) {
        this.ring = ring;
        this.area = ring.sampleArea();
        this.id = id;
        this.policy = policy;
        this.wakeupN = wakeupN;
        this.drops = drops;
        this.fixedFlags = switch (policy) {
            case ADAPTIVE -> 0;
            case FORCE -> BpfRingBuf.BPF_RB_FORCE_WAKEUP;
            case NO_WAKEUP -> BpfRingBuf.BPF_RB_NO_WAKEUP;
            case SAMPLED, EVERY_NTH -> -1;
        };
    }

    @Override
    public boolean tryClaim(int length) {
        long h = inNmi ? ring.reserveNmi(length) : ring.reserve(length);
        if (h == 0) {
            drops.increment(id);
            return false;
        }
        handle = h;
        return true;
    }

    @Override
    public MemorySegment buffer() {
        return area;
    }

    @Override
    public long offset() {
        return ring.sampleOffset(handle);
    }

    @Override
    public void commit() {
        ring.submit(handle, flags());
    }

    @Override
    public void abort() {
        ring.discard(handle, flags());
    }

    @Override
    public boolean offer(MemorySegment src, long srcOffset, int length) {
        if (inNmi) { // bpf_ringbuf_output has no NMI variant of its own: reserve, copy, submit
            if (!tryClaim(length)) {
                return false;
            }
            MemorySegment.copy(src, srcOffset, area, offset(), length);
            commit();
            return true;
        }
        MemorySegment payload = srcOffset == 0 && src.byteSize() == length ? src : src.asSlice(srcOffset, length);
        if (ring.output(payload, flags()) != 0) {
            drops.increment(id);
            return false;
        }
        return true;
    }

    @Override
    public void nmiContext(boolean nmi) {
        inNmi = nmi;
    }

    /**
     * The commit flags the policy chooses for this record. Small enough to inline into commit: the
     * fixed policies' flags are chosen once, in the constructor.
     */
    private long flags() {
        long f = fixedFlags;
        return f >= 0 ? f : perRecordFlags();
    }

    /** SAMPLED and EVERY_NTH: flags that depend on the ring or the record count. */
    private long perRecordFlags() {
        return switch (policy) {
            case ADAPTIVE -> 0;
            case FORCE -> BpfRingBuf.BPF_RB_FORCE_WAKEUP;
            case NO_WAKEUP -> BpfRingBuf.BPF_RB_NO_WAKEUP;
            case SAMPLED -> ring.query(BpfRingBuf.BPF_RB_AVAIL_DATA) >= wakeupN * SAMPLED_RECORD_BYTES
                    ? BpfRingBuf.BPF_RB_FORCE_WAKEUP : BpfRingBuf.BPF_RB_NO_WAKEUP;
            case EVERY_NTH -> ++committed % wakeupN == 0 ? BpfRingBuf.BPF_RB_FORCE_WAKEUP : BpfRingBuf.BPF_RB_NO_WAKEUP;
        };
    }
}
