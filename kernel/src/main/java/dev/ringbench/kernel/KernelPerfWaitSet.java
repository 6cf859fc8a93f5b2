package dev.ringbench.kernel;

import dev.ringbench.perfbuf.PerfRingSource;
import dev.ringbench.perfbuf.PerfWaitSet;
import dev.ringbench.os.Errno;

import java.util.concurrent.atomic.LongAdder;

/**
 * {@code perf_buffer__poll}'s wait on real perf events: every ring's event fd registered in a real
 * epoll instance for {@code EPOLLIN}, level-triggered, with the ring's index as its token, as
 * libbpf registers them. The kernel's {@code perf_poll} reports a ring when a wake-up was sent
 * since it was last reported, exactly the readiness the analogue models. Sleeps in slices of at
 * most 100 ms to notice a Java interrupt (-EINTR); a slice that ends re-checks nothing else. A
 * first {@code epoll_wait} with timeout 0 tells a ring ready on entry from one a wake-up made
 * ready after the consumer slept: only the latter counts in {@link #wakeups()}.
 */
final class KernelPerfWaitSet implements PerfWaitSet {
    private static final int SLICE_MS = 100;

    private final Epoll epoll = new Epoll();
    private final LongAdder wakeups;
    /** This set's own count (consumer thread only); {@link #wakeups} is the channel's, across sets. */
    private long received;

    KernelPerfWaitSet(LongAdder wakeups) {
        this.wakeups = wakeups;
    }

    @Override
    public int add(int index, PerfRingSource ring) {
        if (!(ring instanceof KernelPerfRing k)) {
            return Errno.EINVAL;
        }
        return epoll.add(k.fd(), false, index);
    }

    @Override
    public int await(boolean[] ready, int timeoutMs) {
        long deadline = timeoutMs < 0 ? 0 : System.nanoTime() + timeoutMs * 1_000_000L;
        boolean entry = true; // the first epoll_wait only checks (timeout 0): is a ring ready on entry?
        while (true) {
            int slice = SLICE_MS;
            if (entry) {
                slice = 0;
            } else if (timeoutMs >= 0) {
                long leftMs = (deadline - System.nanoTime() + 999_999) / 1_000_000L;
                slice = (int) Math.max(0, Math.min(slice, leftMs));
            }
            int n = epoll.waitOnce(slice);
            if (n == Epoll.CLOSED) {
                return Errno.EBADF;
            }
            if (n < 0) {
                return n;
            }
            if (n > 0) {
                int cnt = 0;
                for (int i = 0; i < n; i++) {
                    int idx = (int) epoll.token(i);
                    if (!ready[idx]) {
                        ready[idx] = true;
                        cnt++;
                    }
                }
                if (!entry) { // slept, and a wake-up made a ring ready: one wake-up received
                    wakeups.increment();
                    received++;
                }
                return cnt;
            }
            if (entry) {
                entry = false;
                if (timeoutMs != 0) {
                    continue;
                }
            }
            if (timeoutMs == 0 || (timeoutMs > 0 && System.nanoTime() - deadline >= 0)) {
                return 0;
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return Errno.EINTR;
            }
        }
    }

    @Override
    public long wakeups() {
        return received;
    }

    @Override
    public void shutdown() {
        epoll.close();
    }

    @Override
    public boolean isShutdown() {
        return epoll.isClosed();
    }

    @Override
    public void close() {
        epoll.close(); // closing the epoll fd drops every registration
    }
}
