package dev.ringbench.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A consumer's {@code epoll} instance as the port implements it: one per consumer (or user-ring
 * producer, or perf-buffer analogue consumer), registered on the wait queue of every ring it
 * watches. Level-triggered, as libbpf registers its rings: {@link #await} returns at once if a ring
 * is ready on entry; otherwise it sleeps until a wake-up arrives and a ring is then ready, or the
 * timeout passes. It never re-checks on a timer: a commit that sends no wake-up leaves it asleep
 * until the timeout.
 *
 * <p>How it sleeps and is woken is its {@link WakeMechanism}: {@link WakeMechanism#PARK}
 * ({@link LockSupport#park}; a spurious return, which Java allows, does not count as a wake-up), or
 * {@link WakeMechanism#EVENTFD} ({@code epoll_wait} on an eventfd that {@link #wake()} writes, in
 * slices of at most {@value #SLICE_MS} ms so that a Java interrupt is noticed; a slice that ends
 * re-checks only the interrupt and close flags, never the rings).
 *
 * <p>Lost-wake-up freedom: the sleeper publishes itself ({@link #sleeper}, volatile) and issues a
 * full barrier before it checks the rings (the kernel's {@code set_current_state}); a producer
 * publishes its record with a full barrier ({@code xchg} of the header) before it sets
 * {@link #woken} and reads the sleeper in {@link #wake()}. One of the two must see the other. With
 * the eventfd, the counter itself remembers a wake-up that arrived before the sleep.
 *
 * <p>Counts {@link #wakeups()}: the event every consumer in the suite counts as a wake-up, for
 * kernel and port alike (a kernel epoll wait set counts the same event).
 */
public final class PollWaiter {
    /** Result of {@link #await}: a ring is ready. */
    public static final int READY = 1;
    /** Result of {@link #await}: the timeout passed. */
    public static final int TIMED_OUT = 0;
    /** Longest single {@code epoll_wait} of the eventfd mechanism, so that interrupts are seen. */
    public static final int SLICE_MS = 100;

    private static final VarHandle INFLIGHT;

    static {
        try {
            INFLIGHT = MethodHandles.lookup().findVarHandle(PollWaiter.class, "inflight", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final WakeMechanism mechanism;
    private volatile Thread sleeper;
    private volatile boolean woken;
    private volatile boolean closed;
    /** Consumer-thread only: sleeps that ended with a ring ready. */
    private long wakeups;

    // EVENTFD only: the fds, the u64 buffers, and the count of wake() calls inside write(2), so
    // that close() never closes an fd (whose number the process could reuse) under a writer.
    private final int evfd;
    private final int epfd;
    private final Arena arena;
    private final MemorySegment one;
    private final MemorySegment readBuf;
    private final MemorySegment events;
    /** errno capture of the sleeper's calls, and of the wakers' writes (shared: nobody reads it). */
    private final MemorySegment sleepCapture;
    private final MemorySegment wakeCapture;
    @SuppressWarnings("unused")
    private volatile int inflight;
    private boolean fdsClosed;

    /** A waiter that parks ({@link WakeMechanism#PARK}). */
    public PollWaiter() {
        this(WakeMechanism.PARK);
    }

    /**
     * @throws IllegalStateException when {@link WakeMechanism#EVENTFD} cannot create its eventfd or
     *                               epoll instance (not Linux, or out of file descriptors)
     */
    public PollWaiter(WakeMechanism mechanism) {
        if (mechanism == null) {
            throw new IllegalArgumentException("mechanism must not be null");
        }
        this.mechanism = mechanism;
        if (mechanism == WakeMechanism.EVENTFD) {
            int e = Libc.eventfd();
            int p;
            try {
                p = Libc.epollWatching(e);
            } catch (RuntimeException ex) {
                Libc.close(e);
                throw ex;
            }
            evfd = e;
            epfd = p;
            arena = Arena.ofShared();
            one = arena.allocate(8, 8);
            one.set(JAVA_LONG, 0, 1L);
            readBuf = arena.allocate(8, 8);
            events = arena.allocate(Libc.EPOLL_EVENT_SIZE, 8);
            sleepCapture = Libc.newCapture(arena);
            wakeCapture = Libc.newCapture(arena);
        } else {
            evfd = -1;
            epfd = -1;
            arena = null;
            one = readBuf = events = sleepCapture = wakeCapture = null;
        }
    }

    /** How this waiter sleeps and is woken. */
    public WakeMechanism mechanism() {
        return mechanism;
    }

    /**
     * The deferred wake-up work's call ({@code wake_up_all} reaching this waiter's entry): marks the
     * waiter woken, then unparks it if it sleeps (PARK) or writes the eventfd (EVENTFD, always).
     */
    public void wake() {
        woken = true; // pairs with the sleeper's read of woken after its sleep
        if (mechanism == WakeMechanism.PARK) {
            Thread t = sleeper; // pairs with the sleeper's store of itself before its smp_mb
            if (t != null) {
                LockSupport.unpark(t);
            }
            return;
        }
        INFLIGHT.getAndAdd(this, 1); // pairs with close(): it waits for inflight == 0 after setting closed
        try {
            if (!closed) {
                Libc.write8(wakeCapture, evfd, one);
            }
        } finally {
            INFLIGHT.getAndAdd(this, -1);
        }
    }

    /** Closes the waiter; a thread in {@link #await} returns {@link Errno#EBADF}. Idempotent. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true; // before the wake-up below: the sleeper it wakes must see it
        if (mechanism == WakeMechanism.PARK) {
            wake();
            return;
        }
        Libc.write8(wakeCapture, evfd, one); // the fds stay open until this method closes them
        while ((int) INFLIGHT.getVolatile(this) != 0) {
            Thread.onSpinWait(); // a producer is inside write(2): a few microseconds at most
        }
        closeFdsUnlessWaiting();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Sleeps that ended with a ring ready: the suite's one meaning of "wake-up received". */
    public long wakeups() {
        return wakeups;
    }

    /**
     * {@code epoll_wait} on a level-triggered set.
     *
     * @param ready     checks every watched ring: positive when one is ready, 0 when none is, or a
     *                  negative errno (a ring was closed) that is returned at once
     * @param timeoutMs -1 waits forever, 0 checks once, otherwise milliseconds
     * @return {@link #READY}, {@link #TIMED_OUT}, {@link Errno#EINTR} if interrupted (the
     *         interrupt status stays set), {@link Errno#EBADF} if closed, or the errno {@code ready}
     *         reported
     */
    public int await(IntSupplier ready, int timeoutMs) {
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
        woken = false;
        sleeper = Thread.currentThread();
        Atomics.smpMb(); // set_current_state(): publish the sleeper before checking the rings
        try {
            boolean check = true; // check once after registering, then only after a wake-up
            boolean slept = false;
            while (true) {
                if (closed) {
                    return Errno.EBADF;
                }
                if (check && (r = ready.getAsInt()) != 0) {
                    if (r > 0 && slept) {
                        wakeups++;
                    }
                    return r > 0 ? READY : r;
                }
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    return Errno.EINTR;
                }
                long leftNanos = Long.MAX_VALUE;
                if (timeoutMs > 0) {
                    leftNanos = deadline - System.nanoTime();
                    if (leftNanos <= 0) {
                        return TIMED_OUT;
                    }
                }
                sleep(leftNanos);
                slept = true;
                check = woken;
                if (check) {
                    woken = false;
                    Atomics.smpMb();
                }
            }
        } finally {
            sleeper = null;
            if (closed && mechanism == WakeMechanism.EVENTFD) {
                closeFdsUnlessWaiting();
            }
        }
    }

    /** One sleep of at most {@code nanos} (Long.MAX_VALUE: no limit but the eventfd's slice). */
    private void sleep(long nanos) {
        if (mechanism == WakeMechanism.PARK) {
            if (nanos == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, nanos);
            }
            return;
        }
        // nanos may be Long.MAX_VALUE (no timeout): never let the rounding overflow into a negative
        // (infinite) epoll_wait, which would miss interrupts and the close flag
        int ms = nanos >= SLICE_MS * 1_000_000L ? SLICE_MS : (int) ((nanos + 999_999) / 1_000_000L);
        if (Libc.epollWait(sleepCapture, epfd, events, 1, ms) > 0) {
            Libc.read8(sleepCapture, evfd, readBuf); // reset the counter: the wake-up is taken
        }
    }

    /**
     * Closes the eventfd and epoll fds once closed and nobody sleeps in them: called by
     * {@link #close()} and by the sleeper on its way out, whichever is last.
     */
    private synchronized void closeFdsUnlessWaiting() {
        if (fdsClosed || sleeper != null && sleeper != Thread.currentThread()) {
            return;
        }
        fdsClosed = true;
        Libc.close(epfd);
        Libc.close(evfd);
        arena.close();
    }
}
