package dev.ringbench.benches.kernelbench;

import dev.ringbench.perfbuf.PerfBuffer;
import dev.ringbench.perfbuf.PerfRingSource;
import dev.ringbench.os.WakeMechanism;

/**
 * {@code pb-libbpf}: the analogue's {@link PerfBuffer} ({@code perf_buffer__poll}) over the
 * analogue's rings or the live kernel's perf rings; its sample callback counts hits
 * ({@code perfbuf_process_sample_raw}).
 */
final class PerfLibbpfConsumer implements BenchConsumer {
    private final PerfBuffer pb;
    private long hits;

    PerfLibbpfConsumer(PerfRingSource[] rings, WakeMechanism wake) {
        this.pb = PerfBuffer.create(rings, (data, offset, length) -> hits++, null, wake);
    }

    @Override
    public int poll(int timeoutMs) {
        long before = hits;
        int r = pb.poll(timeoutMs);
        if (r < 0) {
            throw new IllegalStateException("perf_buffer__poll failed: errno " + r);
        }
        return (int) (hits - before);
    }

    @Override
    public long wakeups() {
        return pb.wakeups();
    }

    @Override
    public void close() {
        pb.close();
    }
}
