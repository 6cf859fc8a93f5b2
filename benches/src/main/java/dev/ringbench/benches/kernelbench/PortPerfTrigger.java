package dev.ringbench.benches.kernelbench;

import dev.ringbench.perfbuf.PerfRing;
import dev.ringbench.kernel.BenchPrograms;
import dev.ringbench.os.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code bench_perfbuf} on the analogue: producer {@code i} writes ring {@code i} (its "CPU"),
 * {@link BenchPoint#batch()} times {@code bpf_perf_event_output(&sample_val, 8)} in one Java call.
 * Drops are the rings' own lost-sample counts, as the kernel's.
 */
final class PortPerfTrigger implements Trigger {
    private final PerfRing[] rings;
    private final int batch;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sampleVal = arena.allocate(8, 8);

    PortPerfTrigger(PerfRing[] rings, BenchPoint p) {
        this.rings = rings;
        this.batch = p.batch();
        sampleVal.set(JAVA_LONG, 0, BenchPrograms.SAMPLE_VAL);
    }

    @Override
    public void triggerBatch(int producer) {
        PerfRing r = rings[producer];
        for (int i = 0; i < batch; i++) {
            int err = r.output(sampleVal, 0, 8);
            if (err != 0 && err != Errno.ENOSPC) {
                throw new IllegalStateException("perf output failed: errno " + err);
            }
        }
    }

    @Override
    public long drops() {
        long sum = 0;
        for (PerfRing r : rings) {
            sum += r.lostSamples();
        }
        return sum;
    }

    @Override
    public String description() {
        return "one Java call per batch of " + batch + " (the analogue's perf output in a loop, one ring per producer)";
    }

    @Override
    public void close() {
        arena.close();
    }
}
