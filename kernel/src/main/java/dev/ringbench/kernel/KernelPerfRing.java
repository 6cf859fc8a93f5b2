package dev.ringbench.kernel;

import dev.ringbench.perfbuf.PerfRingSource;
import dev.ringbench.perfbuf.PerfWaitSet;

import java.lang.foreign.MemorySegment;

/** One CPU's real perf ring as a {@link PerfRingSource}: the analogue's {@code PerfBuffer} consumes it. */
public final class KernelPerfRing implements PerfRingSource {
    private final PerfEventArray.CpuRing ring;
    private final long dataSize;
    private final java.util.concurrent.atomic.LongAdder wakeups;

    public KernelPerfRing(PerfEventArray.CpuRing ring, long dataSize, java.util.concurrent.atomic.LongAdder wakeups) {
        this.ring = ring;
        this.dataSize = dataSize;
        this.wakeups = wakeups;
    }

    /** Every CPU's ring of {@code array}, for a consumer of its own (one wake-up count shared by them). */
    public static KernelPerfRing[] of(PerfEventArray array) {
        java.util.concurrent.atomic.LongAdder wakeups = new java.util.concurrent.atomic.LongAdder();
        return array.rings().stream().map(r -> new KernelPerfRing(r, array.dataSize(), wakeups))
                .toArray(KernelPerfRing[]::new);
    }

    /** The perf event fd. */
    int fd() {
        return ring.fd();
    }

    /** The CPU whose samples this ring receives. */
    public int cpu() {
        return ring.cpu();
    }

    @Override
    public MemorySegment controlPage() {
        return ring.controlPage();
    }

    @Override
    public MemorySegment dataPages() {
        return ring.dataPages();
    }

    @Override
    public long dataSize() {
        return dataSize;
    }

    /** A real epoll instance over the perf event fds. */
    @Override
    public PerfWaitSet newWaitSet() {
        return new KernelPerfWaitSet(wakeups);
    }

    /** A real epoll instance: the only way a kernel perf ring is waited on, so only EVENTFD is accepted. */
    @Override
    public PerfWaitSet newWaitSet(dev.ringbench.os.WakeMechanism mechanism) {
        if (mechanism != dev.ringbench.os.WakeMechanism.EVENTFD) {
            throw new IllegalArgumentException("a kernel perf ring is waited on in a real epoll_wait (EVENTFD), not " + mechanism);
        }
        return newWaitSet();
    }
}
