package dev.ringbench.perfbuf;

import dev.ringbench.os.Errno;
import dev.ringbench.os.PollWaiter;
import dev.ringbench.os.WakeMechanism;

import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * The analogue's wait set: one of the port's {@link PollWaiter}s (the same epoll model as the
 * port's consumer, woken by park/unpark or through an eventfd) attached to every {@link PerfRing},
 * readiness from their poll flags.
 */
final class PortPerfWaitSet implements PerfWaitSet {
    private final PollWaiter waiter;
    private PerfRing[] rings = new PerfRing[0];
    private boolean[] ready;
    private int readyCount;
    private final IntSupplier collectReady = this::collectReady;

    PortPerfWaitSet(WakeMechanism mechanism) {
        this.waiter = new PollWaiter(mechanism);
    }

    @Override
    public int add(int index, PerfRingSource ring) {
        if (!(ring instanceof PerfRing r)) {
            return Errno.EINVAL;
        }
        r.attach(waiter);
        if (index >= rings.length) {
            rings = Arrays.copyOf(rings, index + 1);
        }
        rings[index] = r;
        return 0;
    }

    @Override
    public int await(boolean[] ready, int timeoutMs) {
        this.ready = ready;
        int r = waiter.await(collectReady, timeoutMs);
        if (r != PollWaiter.READY) {
            return r; // 0 on timeout, or -errno
        }
        return readyCount;
    }

    /** {@code ep_send_events}: asks every ring's {@code perf_poll}; the flags are taken. */
    private int collectReady() {
        int cnt = 0;
        for (int i = 0; i < rings.length; i++) {
            if (rings[i] != null && rings[i].takePoll() != 0) {
                ready[i] = true;
                cnt++;
            }
        }
        readyCount = cnt;
        return cnt;
    }

    @Override
    public long wakeups() {
        return waiter.wakeups(); // sleeps that a wake-up ended with a ring ready
    }

    @Override
    public void shutdown() {
        waiter.close();
    }

    @Override
    public boolean isShutdown() {
        return waiter.isClosed();
    }

    @Override
    public void close() {
        shutdown();
        for (PerfRing r : rings) {
            if (r != null) {
                r.detach(waiter);
            }
        }
    }
}
