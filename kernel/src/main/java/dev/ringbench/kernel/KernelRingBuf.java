package dev.ringbench.kernel;

import dev.ringbench.ringbuf.RingSource;
import dev.ringbench.ringbuf.RingWaitSet;
import dev.ringbench.os.WakeMechanism;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real {@code BPF_MAP_TYPE_RINGBUF} map, mapped as libbpf's {@code ring_buffer__add} maps it:
 * the consumer page read-write (one page at offset 0: the only writable mapping the kernel allows,
 * {@code ringbuf_map_mmap_kern}), then the producer page and the data pages, which the kernel maps
 * twice back to back, read-only ({@code 4096 + 2 * size} bytes from offset 4096).
 *
 * <p>A {@link RingSource}: the port's {@link dev.ringbench.ringbuf.RingBufConsumer} consumes it
 * with its own loop, and waits for it in a real {@code epoll_wait} on the map fd
 * ({@link EpollWaitSet}, level-triggered, as libbpf registers it).
 *
 * <p>The views handed out are read-only where the mapping is (writing throws, never faults). The
 * map lives until {@link #close()}: the mappings are unmapped, the fd is closed, and consumers
 * waiting on it are woken (their poll returns -EBADF).
 */
public final class KernelRingBuf implements RingSource, Watched, AutoCloseable {
    static final long PAGE = 4096;

    private final int fd;
    private final long size;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    private final CopyOnWriteArrayList<EpollWaitSet> watchers = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.LongAdder wakeups = new java.util.concurrent.atomic.LongAdder();

    private KernelRingBuf(int fd, long size) {
        this.fd = fd;
        this.size = size;
        long cons = 0;
        long rest = 0;
        long restLen = PAGE + 2 * size;
        try {
            cons = Sys.mmapShared(PAGE, Sys.PROT_READ | Sys.PROT_WRITE, fd, 0, "ring buffer consumer page");
            rest = Sys.mmapShared(restLen, Sys.PROT_READ, fd, PAGE, "ring buffer producer page and data");
        } catch (RuntimeException e) {
            if (cons != 0) {
                Sys.munmap(cons, PAGE);
            }
            Sys.close(fd);
            arena.close();
            throw e;
        }
        final long c = cons;
        final long r = rest;
        this.consumerPage = MemorySegment.ofAddress(c).reinterpret(PAGE, arena, s -> Sys.munmap(c, PAGE));
        MemorySegment ro = MemorySegment.ofAddress(r).reinterpret(restLen, arena, s -> Sys.munmap(r, restLen)).asReadOnly();
        this.producerPage = ro.asSlice(0, PAGE);
        this.data = ro.asSlice(PAGE, 2 * size);
    }

    /**
     * {@code BPF_MAP_CREATE(BPF_MAP_TYPE_RINGBUF, max_entries = size)} and the mappings.
     *
     * @throws IllegalArgumentException when the kernel rejects the size (not a power of two, not a
     *                                  multiple of the page size)
     * @throws UnsupportedOperationException when the kernel cannot be used here (the reason says why)
     */
    public static KernelRingBuf create(long size) {
        Kernel.requireAvailable();
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ring buffer size " + size + " is invalid");
        }
        int fd;
        try {
            fd = Bpf.mapCreate(Bpf.BPF_MAP_TYPE_RINGBUF, 0, 0, (int) size, 0, "rb");
        } catch (KernelException e) {
            if (e.errno() == 22) {
                throw new IllegalArgumentException("the kernel rejects ring buffer size " + size + ": " + e.getMessage(), e);
            }
            throw e;
        }
        return new KernelRingBuf(fd, size);
    }

    /** The map fd (programs reference it; epoll watches it). */
    public int fd() {
        return fd;
    }

    @Override
    public MemorySegment consumerPage() {
        return consumerPage;
    }

    @Override
    public MemorySegment producerPage() {
        return producerPage;
    }

    @Override
    public MemorySegment data() {
        return data;
    }

    @Override
    public long size() {
        return size;
    }

    /** Always false: 6.18 refuses {@code BPF_F_RB_OVERWRITE} (it arrived in 6.19). */
    @Override
    public boolean overwriteMode() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    /** A real epoll instance. */
    @Override
    public RingWaitSet newWaitSet() {
        return new EpollWaitSet();
    }

    /** A real epoll instance: the only way a kernel map is waited on, so only {@link WakeMechanism#EVENTFD} is accepted. */
    @Override
    public RingWaitSet newWaitSet(WakeMechanism mechanism) {
        if (mechanism != WakeMechanism.EVENTFD) {
            throw new IllegalArgumentException("a kernel ring map is waited on in a real epoll_wait (EVENTFD), not " + mechanism);
        }
        return new EpollWaitSet();
    }

    /**
     * Wake-ups consumers received from this map: times {@code epoll_wait} reported it readable.
     * (The kernel does not count the wake-ups it sends.)
     */
    public long wakeupsReceived() {
        return wakeups.sum();
    }

    void countWakeup() {
        wakeups.increment();
    }

    @Override
    public void attach(EpollWaitSet w) {
        watchers.addIfAbsent(w);
    }

    @Override
    public void detach(EpollWaitSet w) {
        watchers.remove(w);
    }

    /** Unmaps, closes the fd and wakes every consumer waiting on this ring. Idempotent. */
    @Override
    public synchronized void close() {
        if (!arena.scope().isAlive()) {
            return;
        }
        arena.close();
        for (EpollWaitSet w : watchers) {
            w.wake();
        }
        Sys.close(fd);
    }
}
