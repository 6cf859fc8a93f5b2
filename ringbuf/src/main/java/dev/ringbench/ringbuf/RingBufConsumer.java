package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import dev.ringbench.os.WakeMechanism;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * libbpf's {@code struct ring_buffer}: one consumer of one or more rings, used by one thread at a
 * time ({@code tools/lib/bpf/ringbuf.c}, libbpf 1.6).
 *
 * <p>{@link #poll(int)} is {@code ring_buffer__poll}: it waits, like {@code epoll_wait} on the
 * rings' fds registered level-triggered, until some ring holds unconsumed bytes, then processes
 * every ready ring. It returns at once when a ring is ready on entry, and otherwise sleeps until a
 * wake-up (never re-checking on a timer: a commit made with NO_WAKEUP, or one the adaptive rule
 * decides not to signal, leaves it asleep until the timeout).
 *
 * <p>Errors: a negative callback value is returned at once (the record is consumed); -EINTR when
 * the waiting thread is interrupted; -EBADF once this consumer or one of its rings is closed;
 * -EINVAL when a ring's consumer_pos was set to something that is not a record.
 *
 * <p>The rings are {@link RingSource}s: the port's {@link BpfRingBuf}, or a real kernel ring map
 * (module {@code kernel}), consumed by this same code; for kernel maps {@link #poll} sleeps in a
 * real {@code epoll_wait} on the map fds. One consumer takes rings of one kind only.
 */
public final class RingBufConsumer implements AutoCloseable {
    /** {@code ring_buffer_sample_fn}: the payload as a read-only segment. */
    @FunctionalInterface
    public interface SampleCallback {
        /**
         * @return 0 or positive to go on; negative stops and is returned (the record still counts
         *         as consumed)
         */
        int onSample(MemorySegment sample);
    }

    private Ring[] rings = new Ring[0];
    /** The consumer's epoll instance, made by the first ring added (port wait queues or a kernel epoll fd). */
    private RingWaitSet waitSet;
    private final IntSupplier anyReady = this::anyReady;
    private volatile boolean closed;

    private RingBufConsumer() {
    }

    /** {@code ring_buffer__new}: a consumer of {@code ring} with libbpf's loop. */
    public static RingBufConsumer create(RingSource ring, SampleCallback cb) {
        RingBufConsumer c = new RingBufConsumer();
        c.addOrThrow(ring, adapt(cb), Ring.Mode.LIBBPF);
        return c;
    }

    /** {@code ring_buffer__new} with the allocation-free callback and a chosen loop. */
    public static RingBufConsumer create(RingSource ring, RawSampleCallback cb, Ring.Mode mode) {
        RingBufConsumer c = new RingBufConsumer();
        c.addOrThrow(ring, cb, mode);
        return c;
    }

    /**
     * {@code ring_buffer__new} with the allocation-free callback, a chosen loop, and the way a
     * sleeping {@link #poll} is woken ({@link RingSource#newWaitSet(WakeMechanism)}).
     *
     * @throws IllegalArgumentException when the ring cannot be waited on that way
     */
    public static RingBufConsumer create(RingSource ring, RawSampleCallback cb, Ring.Mode mode, WakeMechanism wake) {
        RingBufConsumer c = new RingBufConsumer();
        if (ring != null) {
            c.waitSet = ring.newWaitSet(wake);
        }
        c.addOrThrow(ring, cb, mode);
        return c;
    }

    private void addOrThrow(RingSource ring, RawSampleCallback cb, Ring.Mode mode) {
        int err = add(ring, cb, mode);
        if (err != 0) {
            throw new IllegalArgumentException("cannot consume this ring: errno " + err
                    + (ring == null || cb == null ? " (null ring or callback)" : " (ring closed)"));
        }
    }

    private static RawSampleCallback adapt(SampleCallback cb) {
        if (cb == null) {
            return null;
        }
        return (data, offset, length) -> cb.onSample(data.asSlice(offset, length));
    }

    /**
     * {@code ring_buffer__add}: 0, or -EINVAL for a null ring or callback (or a ring whose kind,
     * port or kernel map, differs from the first ring's: their waits cannot be mixed), -EBADF if closed.
     */
    public int add(RingSource ring, SampleCallback cb) {
        return add(ring, adapt(cb), Ring.Mode.LIBBPF);
    }

    /** {@code ring_buffer__add} with the allocation-free callback and a chosen loop. */
    public int add(RingSource ring, RawSampleCallback cb, Ring.Mode mode) {
        if (ring == null || cb == null || mode == null) {
            return Errno.EINVAL;
        }
        if (closed || !ring.isOpen()) {
            return Errno.EBADF;
        }
        if (waitSet == null) {
            waitSet = ring.newWaitSet();
        }
        int err = waitSet.add(ring);
        if (err != 0) {
            return err; // -EINVAL: port rings and kernel rings cannot share one consumer
        }
        Ring r = new Ring(ring, cb, mode);
        Ring[] next = Arrays.copyOf(rings, rings.length + 1);
        next[rings.length] = r;
        rings = next;
        return 0;
    }

    /**
     * {@code ring_buffer__poll}.
     *
     * @param timeoutMs negative waits forever (as epoll_wait), 0 does not wait
     * @return records handled, or the first negative callback value, or a negative errno
     */
    public int poll(int timeoutMs) {
        int w = waitSet.await(anyReady, timeoutMs < 0 ? -1 : timeoutMs);
        if (w != RingWaitSet.READY) {
            return w == RingWaitSet.TIMED_OUT ? 0 : w;
        }
        long res = 0;
        for (Ring r : rings) {
            if (!r.ready()) {
                continue;
            }
            long err = r.processRing(Integer.MAX_VALUE);
            if (err < 0) {
                return (int) err;
            }
            res += err;
        }
        return Ring.clamp(res);
    }

    private int anyReady() {
        try {
            for (Ring r : rings) {
                if (!r.map().isOpen()) {
                    return Errno.EBADF;
                }
                if (r.ready()) {
                    return 1;
                }
            }
            return 0;
        } catch (IllegalStateException closedMeanwhile) {
            return Errno.EBADF; // the ring was unmapped between the check and the read
        }
    }

    /** {@code ring_buffer__consume}: every ring, without waiting. */
    public int consume() {
        if (closed) {
            return Errno.EBADF;
        }
        long res = 0;
        for (Ring r : rings) {
            long err = r.processRing(Integer.MAX_VALUE);
            if (err < 0) {
                return (int) err;
            }
            res += err;
        }
        return Ring.clamp(res);
    }

    /** {@code ring_buffer__consume_n}: at most {@code n} records in total. */
    public int consumeN(long n) {
        if (closed) {
            return Errno.EBADF;
        }
        if (n < 0) {
            return Errno.EINVAL;
        }
        long res = 0;
        for (Ring r : rings) {
            if (n == 0) {
                break;
            }
            long err = r.processRing(n);
            if (err < 0) {
                return (int) err;
            }
            res += err;
            n -= err;
        }
        return Ring.clamp(res);
    }

    /** Wake-ups this consumer received ({@link RingWaitSet#wakeups()}); 0 before the first ring is added. */
    public long wakeups() {
        RingWaitSet w = waitSet;
        return w == null ? 0 : w.wakeups();
    }

    /** {@code ring_buffer__ring}: the ring added {@code index}-th, or null if there is none. */
    public Ring ring(int index) {
        Ring[] rs = rings;
        return index >= 0 && index < rs.length ? rs[index] : null;
    }

    /** Number of rings added. */
    public int ringCount() {
        return rings.length;
    }

    /** {@code ring_buffer__free}: a thread waiting in {@link #poll} returns -EBADF. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (waitSet != null) {
            waitSet.close();
            for (Ring r : rings) {
                waitSet.remove(r.map());
            }
        }
    }
}
