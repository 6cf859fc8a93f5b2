package dev.ringbench.kernel;

import dev.ringbench.ringbuf.Errno;
import dev.ringbench.ringbuf.RingSource;
import dev.ringbench.ringbuf.RingWaitSet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A real {@code epoll} instance for a {@link dev.ringbench.ringbuf.RingBufConsumer} of kernel ring
 * maps: each map fd is registered level-triggered for {@code EPOLLIN}, as libbpf registers it. The
 * kernel's {@code ringbuf_map_poll_kern} reports a map readable while it holds unconsumed bytes, and
 * its deferred wake-up work ({@code bpf_ringbuf_notify}) wakes the sleeper.
 *
 * <p>An {@code eventfd} is registered too, to wake the sleeper on {@link #close()} and when a
 * ring is closed. {@link #await} sleeps in {@code epoll_wait} in slices of at most
 * {@value #SLICE_MS} ms so that a Java interrupt is noticed (-EINTR); a slice that ends re-checks
 * only the interrupt and close flags, never the rings (a new {@code epoll_wait} only reports
 * what a wake-up put on the ready list). Allocation-free after construction.
 */
public final class EpollWaitSet implements RingWaitSet {
    static final int SLICE_MS = 100;
    private static final int MAX_EVENTS = 16;
    private static final long WAKE_TOKEN = -1L;

    private final int epfd;
    private final int evfd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events = arena.allocate(MAX_EVENTS * Sys.EPOLL_EVENT_SIZE, 8);
    private final MemorySegment capture = Sys.newCapture(arena);
    private final MemorySegment wakeCapture = Sys.newCapture(arena);
    private final MemorySegment eventBuf = arena.allocate(8, 8);
    private final MemorySegment wakeBuf = arena.allocate(8, 8);
    private final AtomicBoolean fdsClosed = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean waiting;
    /** Set for a user-ring producer's set: the ring it watches (detached on close). */
    volatile Watched producerOf;

    EpollWaitSet() {
        this.epfd = Sys.epollCreate();
        int e;
        try {
            e = Sys.eventfd();
        } catch (RuntimeException ex) {
            Sys.close(epfd);
            arena.close();
            throw ex;
        }
        this.evfd = e;
        int r = Sys.epollCtl(epfd, Sys.EPOLL_CTL_ADD, evfd, Sys.EPOLLIN, WAKE_TOKEN);
        if (r < 0) {
            closeFds();
            throw new KernelException("epoll_ctl(ADD eventfd)", -r);
        }
        wakeBuf.set(JAVA_LONG, 0, 1L);
    }

    @Override
    public int add(RingSource ring) {
        if (!(ring instanceof KernelRingBuf k)) {
            return Errno.EINVAL; // one consumer waits on kernel rings or on port rings, not both
        }
        if (closed) {
            return Errno.EBADF;
        }
        return watch(k.fd(), Sys.EPOLLIN, k);
    }

    /** Registers {@code fd} for {@code events}; {@code owner} wakes this set when it closes. */
    int watch(int fd, int events, Watched owner) {
        if (closed) {
            return Errno.EBADF;
        }
        int r = Sys.epollCtl(epfd, Sys.EPOLL_CTL_ADD, fd, events, fd);
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
            if (!fdsClosed.get() && k.isOpen()) {
                Sys.epollCtl(epfd, Sys.EPOLL_CTL_DEL, k.fd(), 0, 0);
            }
        }
    }

    @Override
    public int await(IntSupplier ready, int timeoutMs) {
        waiting = true; // volatile: either close() sees us waiting, or we see closed
        try {
            if (closed) {
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
                int n = Sys.epollWait(capture, epfd, events, MAX_EVENTS, slice);
                if (closed) {
                    return Errno.EBADF;
                }
                if (n < 0 && n != -Sys.EINTR) {
                    return n;
                }
                boolean ringEvent = false;
                for (int i = 0; i < n; i++) {
                    if (Sys.epollEventData(events, i) == WAKE_TOKEN) {
                        Sys.read8(capture, evfd, eventBuf); // reset the eventfd (non-blocking)
                    } else {
                        ringEvent = true;
                    }
                }
                if (ringEvent) {
                    return READY;
                }
                if (n > 0) {
                    // woken by a ring's close: report what the rings say now (-EBADF for a closed one)
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
        } finally {
            waiting = false;
            if (closed) {
                closeFds();
            }
        }
    }

    /** Wakes a thread sleeping in {@link #await} (a ring was closed, or this set is closing). */
    void wake() {
        synchronized (fdsClosed) {
            if (!fdsClosed.get()) {
                Sys.write8(wakeCapture, evfd, wakeBuf);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (producerOf != null) {
            producerOf.detach(this);
        }
        wake();
        if (!waiting) {
            closeFds(); // else the waiting thread closes them on its way out
        }
    }

    private void closeFds() {
        synchronized (fdsClosed) {
            if (fdsClosed.compareAndSet(false, true)) {
                Sys.close(evfd);
                Sys.close(epfd);
                arena.close();
            }
        }
    }
}
