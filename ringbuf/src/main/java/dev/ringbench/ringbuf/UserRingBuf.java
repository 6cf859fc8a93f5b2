package dev.ringbench.ringbuf;

import dev.ringbench.os.PollWaiter;
import dev.ringbench.os.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static dev.ringbench.os.Atomics.readOnceLong;
import static dev.ringbench.os.Atomics.smpLoadAcquireInt;
import static dev.ringbench.os.Atomics.smpLoadAcquireLong;
import static dev.ringbench.os.Atomics.smpStoreReleaseLong;
import static dev.ringbench.ringbuf.RingBufDescriptor.BUSY_BIT;
import static dev.ringbench.ringbuf.RingBufDescriptor.CONSUMER_POS_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.DISCARD_BIT;
import static dev.ringbench.ringbuf.RingBufDescriptor.DYNPTR_MAX_SIZE;
import static dev.ringbench.ringbuf.RingBufDescriptor.HDR_SZ;
import static dev.ringbench.ringbuf.RingBufDescriptor.PRODUCER_POS_OFFSET;
import static dev.ringbench.ringbuf.RingBufDescriptor.recordSize;

/**
 * {@code BPF_MAP_TYPE_USER_RINGBUF}: user space produces ({@link UserRingBufProducer}), the
 * "kernel" drains ({@link #drain}, the {@code bpf_user_ringbuf_drain} helper, Linux 6.1+).
 *
 * <p>The drain trusts nothing the producer wrote: producer_pos, headers and data are all
 * writable by user space. Every sample is validated before the callback sees it, the sample
 * handed to the callback always lies inside the ring's double-mapped data area, and every
 * malformed input yields the kernel's errno. One drainer at a time: a concurrent drain gets
 * -EBUSY (the busy flag is private to the kernel side, as in {@code struct bpf_ringbuf}).
 *
 * <p>{@link #drain(DrainCallback, long)} allocates a slice per sample;
 * {@link #drainRaw(RawDrainCallback, long)} hands out the read-only data area and an offset instead,
 * allocating nothing.
 */
public final class UserRingBuf implements UserRingSource, AutoCloseable {
    /** {@code BPF_MAX_USER_RINGBUF_SAMPLES}: the most samples one drain call handles. */
    public static final int BPF_MAX_USER_RINGBUF_SAMPLES = 128 * 1024;

    /** {@code bpf_user_ringbuf_drain}'s callback: the sample as a read-only segment. */
    @FunctionalInterface
    public interface DrainCallback {
        /** @return 0 to go on, 1 (any non-zero) to stop after this sample */
        long onSample(MemorySegment sample);
    }

    /** The allocation-free form of {@link DrainCallback}: {@code length} bytes at {@code offset} in {@code data}. */
    @FunctionalInterface
    public interface RawDrainCallback {
        /** @return 0 to go on, 1 (any non-zero) to stop after this sample */
        long onSample(MemorySegment data, long offset, int length);
    }

    private static final long WAKEUP_FLAGS = BpfRingBuf.BPF_RB_NO_WAKEUP | BpfRingBuf.BPF_RB_FORCE_WAKEUP;
    private static final VarHandle BUSY;

    static {
        try {
            BUSY = MethodHandles.lookup().findVarHandle(UserRingBuf.class, "busy", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RingMemory memory;
    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    private final MemorySegment dataReadOnly;
    private final long mask;
    private final WaitQueue waitq;
    /** {@code rb->busy}: one drainer at a time. */
    @SuppressWarnings("unused")
    private volatile int busy;

    private UserRingBuf(long size) {
        this.memory = new RingMemory(size);
        this.consumerPage = memory.consumerPage();
        this.producerPage = memory.producerPage();
        this.data = memory.data();
        this.dataReadOnly = data.asReadOnly();
        this.mask = size - 1;
        this.waitq = new WaitQueue(memory.metaPage());
    }

    /**
     * Creates the map.
     *
     * @throws IllegalArgumentException for a size that is not a power of two, not a multiple of
     *                                  4096, zero or above 64 GiB
     */
    public static UserRingBuf create(long size) {
        BpfRingBuf.checkSize(size);
        return new UserRingBuf(size);
    }

    /**
     * {@code bpf_user_ringbuf_drain}: hands committed samples to {@code cb} in order, at most
     * {@link #BPF_MAX_USER_RINGBUF_SAMPLES} per call (discarded samples count towards the cap).
     *
     * @param flags 0, {@link BpfRingBuf#BPF_RB_NO_WAKEUP} or {@link BpfRingBuf#BPF_RB_FORCE_WAKEUP}
     * @return samples drained (discarded ones not counted); -EINVAL for bad flags, a misaligned
     *         producer_pos or a sample reaching past it; -E2BIG for a sample larger than the ring
     *         or above 2^24 - 1 bytes; -EBUSY when another drain is running
     */
    public long drain(DrainCallback cb, long flags) {
        if (cb == null) {
            return Errno.EINVAL;
        }
        return drainRaw((data, offset, length) -> cb.onSample(data.asSlice(offset, length)), flags);
    }

    /** {@link #drain(DrainCallback, long)} without a slice per sample. */
    public long drainRaw(RawDrainCallback cb, long flags) {
        if ((flags & ~WAKEUP_FLAGS) != 0) {
            return Errno.EINVAL;
        }
        if (cb == null) {
            return Errno.EINVAL;
        }
        // One drainer at a time; pairs with the release store that clears it below.
        if (!BUSY.compareAndSet(this, 0, 1)) {
            return Errno.EBUSY;
        }
        long samples = 0;
        long discarded = 0;
        long ret = 0;
        boolean released = false;
        try {
            for (; samples < BPF_MAX_USER_RINGBUF_SAMPLES && ret == 0; samples++) {
                long peeked = peek();
                if (peeked == Errno.ENODATA) {
                    break;
                } else if (peeked == Errno.EAGAIN) {
                    discarded++;
                    continue;
                } else if (peeked < 0) {
                    return peeked;
                }
                int size = (int) peeked;
                long consPos = readOnceLong(consumerPage, CONSUMER_POS_OFFSET);
                try {
                    ret = cb.onSample(dataReadOnly, (consPos + HDR_SZ) & mask, size);
                } finally {
                    sampleRelease(consPos, size);
                    released = true;
                }
            }
            return samples - discarded;
        } finally {
            // Clear the busy bit only after the positions are stored.
            BUSY.setRelease(this, 0);
            if ((flags & BpfRingBuf.BPF_RB_FORCE_WAKEUP) != 0) {
                waitq.irqWorkQueue();
            } else if ((flags & BpfRingBuf.BPF_RB_NO_WAKEUP) == 0 && (samples > 0 || released)) {
                waitq.irqWorkQueue();
            }
        }
    }

    /**
     * {@code __bpf_user_ringbuf_peek}.
     *
     * @return the sample's size (>= 0); -ENODATA when there is none or it is still BUSY; -EAGAIN
     *         after skipping a discarded sample; -EINVAL or -E2BIG for malformed input
     */
    private long peek() {
        // pairs with the user producer's smp_store_release of producer_pos
        long prodPos = smpLoadAcquireLong(producerPage, PRODUCER_POS_OFFSET);
        if ((prodPos & 7) != 0) {
            return Errno.EINVAL;
        }
        // pairs with our own smp_store_release in sampleRelease
        long consPos = smpLoadAcquireLong(consumerPage, CONSUMER_POS_OFFSET);
        if (Long.compareUnsigned(consPos, prodPos) >= 0) {
            return Errno.ENODATA;
        }
        // pairs with the user producer's atomic exchange of the header in commit
        int hdrLen = smpLoadAcquireInt(data, consPos & mask);
        int flags = hdrLen & (BUSY_BIT | DISCARD_BIT);
        long sampleLen = hdrLen & ~flags & 0xFFFF_FFFFL;
        long totalLen = recordSize(sampleLen);
        // The sample must fit within the region advertised by the producer position.
        if (Long.compareUnsigned(totalLen, prodPos - consPos) > 0) {
            return Errno.EINVAL;
        }
        // The sample must fit within the data region of the ring buffer.
        if (totalLen > mask + 1) {
            return Errno.E2BIG;
        }
        // The sample must fit into a struct bpf_dynptr.
        if (sampleLen > DYNPTR_MAX_SIZE) {
            return Errno.E2BIG;
        }
        if ((flags & DISCARD_BIT) != 0) {
            smpStoreReleaseLong(consumerPage, CONSUMER_POS_OFFSET, consPos + totalLen);
            return Errno.EAGAIN;
        }
        if ((flags & BUSY_BIT) != 0) {
            return Errno.ENODATA;
        }
        return sampleLen;
    }

    /** {@code __bpf_user_ringbuf_sample_release}: pairs with the producer's acquire of consumer_pos. */
    private void sampleRelease(long consPos, int size) {
        smpStoreReleaseLong(consumerPage, CONSUMER_POS_OFFSET, consPos + recordSize(size));
    }

    /** Read-only to the producer: consumer_pos at offset 0. */
    @Override
    public MemorySegment consumerPage() {
        return consumerPage.asReadOnly();
    }

    /** Writable: producer_pos at offset 0. */
    @Override
    public MemorySegment producerPage() {
        return producerPage;
    }

    /** Writable view of the data area, both mappings ({@code 2 * size} bytes). */
    @Override
    public MemorySegment data() {
        return data;
    }

    /** Data area size in bytes. */
    @Override
    public long size() {
        return mask + 1;
    }

    /** Physical and virtual memory this ring holds. */
    public MemoryReport memoryReport() {
        return memory.report();
    }

    /** Producer wake-ups sent by drains. */
    public long notificationsSent() {
        return waitq.sent();
    }

    /** Producer wake-up requests merged into one already pending. */
    public long notificationsCoalesced() {
        return waitq.coalesced();
    }

    long mask() {
        return mask;
    }

    WaitQueue waitQueue() {
        return waitq;
    }

    MemorySegment consumerPageRw() {
        return consumerPage;
    }

    /** Whether a drain is running (tests). */
    boolean drainBusy() {
        return (int) BUSY.getVolatile(this) != 0;
    }

    /** Whether the ring is still mapped. */
    @Override
    public boolean isOpen() {
        return memory.isOpen();
    }

    /** A {@link PollWaiter} on this ring's wait queue, which drains wake; closing it leaves the queue. */
    @Override
    public RingWaitSet newProducerWaitSet() {
        PollWaiter w = new PollWaiter();
        waitq.add(w);
        return new RingWaitSet() {
            @Override
            public int add(RingSource ring) {
                return Errno.EINVAL;
            }

            @Override
            public void remove(RingSource ring) {
            }

            @Override
            public int await(java.util.function.IntSupplier ready, int timeoutMs) {
                return w.await(ready, timeoutMs);
            }

            @Override
            public long wakeups() {
                return w.wakeups();
            }

            @Override
            public void close() {
                w.close();
                waitq.remove(w);
            }
        };
    }

    /** Unmaps the ring and wakes a producer blocked in reserveBlocking (it returns -EBADF). */
    @Override
    public void close() {
        try {
            memory.close();
        } finally {
            waitq.closeAll();
        }
    }
}
