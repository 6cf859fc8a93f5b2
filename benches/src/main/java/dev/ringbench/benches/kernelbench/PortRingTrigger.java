package dev.ringbench.benches.kernelbench;

import dev.ringbench.ringbuf.BpfRingBuf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code bench_ringbuf} on the port: one Java call emits the batch, exactly as the BPF program's
 * loop does ({@code bpf_ringbuf_reserve(8)}, store {@code sample_val}, {@code get_flags()},
 * {@code bpf_ringbuf_submit}; or {@code bpf_ringbuf_output}). Drops are counted per producer in
 * its own cache line (the original shares one atomic counter; producers here never write each
 * other's lines).
 */
final class PortRingTrigger implements Trigger {
    private static final VarHandle SLOT = java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);
    private static final int STRIDE = 16; // longs: 128 bytes between producers' counters

    private final BpfRingBuf rb;
    private final MemorySegment area;
    private final int batch;
    private final boolean useOutput;
    private final long wakeupDataSize;
    private final long[] dropped;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sampleVal = arena.allocate(8, 8);

    PortRingTrigger(BpfRingBuf rb, BenchPoint p) {
        this.rb = rb;
        this.area = rb.sampleArea();
        this.batch = p.batch();
        this.useOutput = p.useOutput();
        this.wakeupDataSize = p.sampled() ? p.sampleRate() * 16L : 0; // record data + header take 16 bytes
        this.dropped = new long[(p.producers() + 1) * STRIDE];
        sampleVal.set(JAVA_LONG, 0, dev.ringbench.kernel.BenchPrograms.SAMPLE_VAL);
    }

    private long getFlags() {
        if (wakeupDataSize == 0) {
            return 0;
        }
        long sz = rb.query(BpfRingBuf.BPF_RB_AVAIL_DATA);
        return sz >= wakeupDataSize ? BpfRingBuf.BPF_RB_FORCE_WAKEUP : BpfRingBuf.BPF_RB_NO_WAKEUP;
    }

    @Override
    public void triggerBatch(int producer) {
        long drops = 0;
        if (!useOutput) {
            for (int i = 0; i < batch; i++) {
                long h = rb.reserve(8);
                if (h == 0) {
                    drops++;
                } else {
                    area.set(JAVA_LONG, rb.sampleOffset(h), dev.ringbench.kernel.BenchPrograms.SAMPLE_VAL);
                    rb.submit(h, getFlags());
                }
            }
        } else {
            for (int i = 0; i < batch; i++) {
                if (rb.output(sampleVal, getFlags()) != 0) {
                    drops++;
                }
            }
        }
        if (drops != 0) {
            int slot = (producer + 1) * STRIDE;
            SLOT.setOpaque(dropped, slot, (long) SLOT.getOpaque(dropped, slot) + drops);
        }
    }

    @Override
    public long drops() {
        long sum = 0;
        for (int i = STRIDE; i < dropped.length; i += STRIDE) {
            sum += (long) SLOT.getOpaque(dropped, i);
        }
        return sum;
    }

    @Override
    public String description() {
        return "one Java call per batch of " + batch + " (the port's helpers in a loop)";
    }

    @Override
    public void close() {
        arena.close();
    }
}
