package dev.ringbench.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A real {@code epoll} instance plus an {@code eventfd} to wake it from another thread: the
 * engine under the consumers' waits ({@link EpollWaitSet} for ring maps, the perf-buffer wait in
 * {@code competitors}). Files are registered level-triggered with a caller-chosen token;
 * {@link #waitOnce} is one {@code epoll_wait} that reports the tokens of the files that were
 * ready. Allocation-free after construction; one waiting thread at a time.
 *
 * <p>Closing: {@link #close()} marks it closed and wakes a waiter; the fds are closed by whichever
 * of the closer and the waiter is last (a thread in {@code epoll_wait} keeps the file alive, so
 * the fd is never closed under it).
 */
public final class Epoll implements AutoCloseable {
    /** {@link #waitOnce} result: the instance was closed. */
    public static final int CLOSED = -9; // -EBADF
    private static final int MAX_EVENTS = 64;
    private static final long WAKE_TOKEN = -1L;

    private final int epfd;
    private final int evfd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events = arena.allocate(MAX_EVENTS * Sys.EPOLL_EVENT_SIZE, 8);
    private final MemorySegment capture = Sys.newCapture(arena);
    private final MemorySegment wakeCapture = Sys.newCapture(arena);
    private final MemorySegment readBuf = arena.allocate(8, 8);
    private final MemorySegment wakeBuf = arena.allocate(8, 8);
    private final long[] tokens = new long[MAX_EVENTS];
    private final AtomicBoolean fdsClosed = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean waiting;
    private boolean woken;

    public Epoll() {
        Kernel.requireAvailable();
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

    /** {@code epoll_ctl(ADD, fd, events)}: 0 or -errno. {@code token} (>= 0) is reported when fd is ready. */
    public int add(int fd, boolean out, long token) {
        if (closed) {
            return CLOSED;
        }
        return Sys.epollCtl(epfd, Sys.EPOLL_CTL_ADD, fd, out ? Sys.EPOLLOUT : Sys.EPOLLIN, token);
    }

    /** {@code epoll_ctl(DEL, fd)}; ignored once closed or when fd is not registered. */
    public void remove(int fd) {
        synchronized (fdsClosed) {
            if (!fdsClosed.get()) {
                Sys.epollCtl(epfd, Sys.EPOLL_CTL_DEL, fd, 0, 0);
            }
        }
    }

    /**
     * One {@code epoll_wait} of at most {@code timeoutMs} (-1: no limit). Wake-ups through
     * {@link #wake()} are consumed and not reported as files.
     *
     * @return the number of ready files, whose tokens are {@link #token(int) token(0..n-1)}; 0 when
     *         none (timeout, a wake-up, or a signal); {@link #CLOSED} once closed; another -errno
     */
    public int waitOnce(int timeoutMs) {
        waiting = true; // volatile: either close() sees us waiting, or we see closed
        try {
            if (closed) {
                return CLOSED;
            }
            int n = Sys.epollWait(capture, epfd, events, MAX_EVENTS, timeoutMs);
            if (closed) {
                return CLOSED;
            }
            if (n == -Sys.EINTR) {
                woken = false;
                return 0;
            }
            if (n < 0) {
                return n;
            }
            int files = 0;
            woken = false;
            for (int i = 0; i < n; i++) {
                long t = Sys.epollEventData(events, i);
                if (t == WAKE_TOKEN) {
                    woken = true;
                    Sys.read8(capture, evfd, readBuf); // reset the eventfd (non-blocking)
                } else {
                    tokens[files++] = t;
                }
            }
            return files;
        } finally {
            waiting = false;
            if (closed) {
                closeFds();
            }
        }
    }

    /** Token of ready file {@code i} from the last {@link #waitOnce}. */
    public long token(int i) {
        return tokens[i];
    }

    /** Whether the last {@link #waitOnce} consumed a {@link #wake()} (rather than only timing out). */
    public boolean woken() {
        return woken;
    }

    /** Wakes the thread in {@link #waitOnce} (it returns 0 with {@link #woken()} true). */
    public void wake() {
        synchronized (fdsClosed) {
            if (!fdsClosed.get()) {
                Sys.write8(wakeCapture, evfd, wakeBuf);
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
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
