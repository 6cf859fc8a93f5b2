package dev.ringbench.kernel;

import dev.ringbench.ringbuf.RingWaitSet;
import dev.ringbench.ringbuf.UserRingSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real {@code BPF_MAP_TYPE_USER_RINGBUF} map (Linux 6.1+), mapped as libbpf's
 * {@code user_ring_buffer__new} maps it: the consumer page read-only (the kernel refuses a
 * writable mapping of it, {@code ringbuf_map_mmap_user}), then the producer page and the
 * twice-mapped data pages read-write. A {@link UserRingSource}: the port's
 * {@link dev.ringbench.ringbuf.UserRingBufProducer} produces into it; a program calling
 * {@code bpf_user_ringbuf_drain} ({@link UserRingPrograms}) drains it.
 */
public final class KernelUserRingBuf implements UserRingSource, Watched, AutoCloseable {
    private static final long PAGE = KernelRingBuf.PAGE;

    private final int fd;
    private final long size;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    private final CopyOnWriteArrayList<EpollWaitSet> watchers = new CopyOnWriteArrayList<>();

    private KernelUserRingBuf(int fd, long size) {
        this.fd = fd;
        this.size = size;
        long cons = 0;
        long rest;
        long restLen = PAGE + 2 * size;
        try {
            cons = Sys.mmapShared(PAGE, Sys.PROT_READ, fd, 0, "user ring buffer consumer page");
            rest = Sys.mmapShared(restLen, Sys.PROT_READ | Sys.PROT_WRITE, fd, PAGE, "user ring buffer producer page and data");
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
        this.consumerPage = MemorySegment.ofAddress(c).reinterpret(PAGE, arena, s -> Sys.munmap(c, PAGE)).asReadOnly();
        MemorySegment rw = MemorySegment.ofAddress(r).reinterpret(restLen, arena, s -> Sys.munmap(r, restLen));
        this.producerPage = rw.asSlice(0, PAGE);
        this.data = rw.asSlice(PAGE, 2 * size);
    }

    /** {@code BPF_MAP_CREATE(BPF_MAP_TYPE_USER_RINGBUF, max_entries = size)} and the mappings. */
    public static KernelUserRingBuf create(long size) {
        Kernel.requireAvailable();
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("user ring buffer size " + size + " is invalid");
        }
        int fd;
        try {
            fd = Bpf.mapCreate(Bpf.BPF_MAP_TYPE_USER_RINGBUF, 0, 0, (int) size, 0, "urb");
        } catch (KernelException e) {
            if (e.errno() == 22) {
                throw new IllegalArgumentException("the kernel rejects user ring buffer size " + size + ": "
                        + e.getMessage(), e);
            }
            throw e;
        }
        return new KernelUserRingBuf(fd, size);
    }

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

    @Override
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    /** epoll on the map fd for {@code EPOLLOUT} ({@code ringbuf_map_poll_user}: room in the ring). */
    @Override
    public RingWaitSet newProducerWaitSet() {
        EpollWaitSet w = new EpollWaitSet();
        int r = w.watch(fd, true, this);
        if (r < 0) {
            w.close();
            throw new KernelException("epoll_ctl(ADD user ring, EPOLLOUT)", -r);
        }
        w.producerOf = this;
        return w;
    }

    @Override
    public void attach(EpollWaitSet w) {
        watchers.addIfAbsent(w);
    }

    @Override
    public void detach(EpollWaitSet w) {
        watchers.remove(w);
    }

    /** Unmaps, closes the fd and wakes a producer blocked in reserveBlocking. Idempotent. */
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
