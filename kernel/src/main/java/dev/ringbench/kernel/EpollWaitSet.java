package dev.ringbench.kernel;

import dev.ringbench.os.Errno;
import dev.ringbench.ringbuf.RingSource;
import dev.ringbench.ringbuf.RingWaitSet;

import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * A real {@code epoll} instance ({@link Epoll}) as the {@link RingWaitSet} of a
 * {@link dev.ringbench.ringbuf.RingBufConsumer} of kernel ring maps: each map fd is registered
 * level-triggered for {@code EPOLLIN}, as libbpf registers it. The kernel's
 * {@code ringbuf_map_poll_kern} reports a map readable while it holds unconsumed bytes, and its
 * deferred wake-up work ({@code bpf_ringbuf_notify}) wakes the sleeper. A user-ring producer's set
 * watches its map for {@code EPOLLOUT} instead.
 *
 * <p>{@link #await} sleeps in {@code epoll_wait} in slices of at most {@value #SLICE_MS} ms so that
 * a Java interrupt is noticed (-EINTR); a slice that ends re-checks only the interrupt and close
 * flags, never the rings (a new {@code epoll_wait} only reports what a wake-up put on the ready
 * list). Closing the set, or closing a ring it watches, wakes the sleeper through the eventfd.
 */
public final class EpollWaitSet implements RingWaitSet {
    static final int SLICE_MS = 100;

    private final Epoll epoll = new Epoll();
    /** Kernel rings added, to count the wake-ups each receives. */
    private volatile KernelRingBuf[] rings = new KernelRingBuf[0];
    /** Consumer-thread only: epoll_wait returns that reported a ring after the entry check found none. */
    private long wakeups;
    /** Set for a user-ring producer's set: the ring it watches (detached on close). */
    volatile Watched producerOf;

    EpollWaitSet() {
    }

    @Override
    public int add(RingSource ring) {
        if (!(ring instanceof KernelRingBuf k)) {
            return Errno.EINVAL; // one consumer waits on kernel rings or on port rings, not both
        }
        int r = watch(k.fd(), false, k);
        if (r == 0) {
            KernelRingBuf[] next = Arrays.copyOf(rings, rings.length + 1);
            next[rings.length] = k;
            rings = next;
        }
        return r;
    }

    /** Registers {@code fd} for EPOLLIN (or EPOLLOUT); {@code owner} wakes this set when it closes. */
    int watch(int fd, boolean out, Watched owner) {
        int r = epoll.add(fd, out, fd);
        if (r < 0) {
            return r;
        }
        owner.attach(this);
        return 0;
    }

    @Override
    public void remove(RingSource ring) {
        if (ring instanceof KernelRingBuf k) {
            k.detach(this);
            if (k.isOpen()) {
                epoll.remove(k.fd());
            }
        }
    }

    @Override
    public int await(IntSupplier ready, int timeoutMs) {
        if (epoll.isClosed()) {
            return Errno.EBADF;
        }
        int r = ready.getAsInt();
        if (r != 0) {
            return r > 0 ? READY : r;
        }
        if (timeoutMs == 0) {
            return TIMED_OUT;
        }
        long deadline = timeoutMs < 0 ? 0 : System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            int slice = SLICE_MS;
            if (timeoutMs > 0) {
                long leftMs = (deadline - System.nanoTime() + 999_999) / 1_000_000L;
                if (leftMs <= 0) {
                    return TIMED_OUT;
                }
                slice = (int) Math.min(slice, leftMs);
            }
            int n = epoll.waitOnce(slice);
            if (n == Epoll.CLOSED) {
                return Errno.EBADF;
            }
            if (n < 0) {
                return n;
            }
            if (n > 0) {
                wakeups++;
                for (int i = 0; i < n; i++) {
                    long fd = epoll.token(i);
                    for (KernelRingBuf k : rings) {
                        if (k.fd() == fd) {
                            k.countWakeup();
                        }
                    }
                }
                return READY;
            }
            if (epoll.woken()) {
                // a watched ring was closed: report what the rings say now (-EBADF for a closed one)
                r = ready.getAsInt();
                if (r != 0) {
                    return r > 0 ? READY : r;
                }
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return Errno.EINTR;
            }
        }
    }

    @Override
    public long wakeups() {
        return wakeups;
    }

    /** Wakes a thread sleeping in {@link #await} (a ring was closed). */
    void wake() {
        epoll.wake();
    }

    @Override
    public void close() {
        Watched w = producerOf;
        if (w != null) {
            w.detach(this);
        }
        for (KernelRingBuf k : rings) {
            k.detach(this);
        }
        epoll.close();
    }
}
