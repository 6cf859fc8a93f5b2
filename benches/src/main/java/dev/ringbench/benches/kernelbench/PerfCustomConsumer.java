package dev.ringbench.benches.kernelbench;

import dev.ringbench.perfbuf.PerfRingSource;
import dev.ringbench.perfbuf.PerfWaitSet;
import dev.ringbench.os.WakeMechanism;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_HEAD_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.DATA_TAIL_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.HDR_SIZE_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.HDR_TYPE_OFFSET;
import static dev.ringbench.perfbuf.PerfBufDescriptor.PERF_RECORD_SAMPLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code pb-custom} ({@code perfbuf_custom_consumer}): {@code epoll_wait} on the rings, then for each
 * ready ring a hand-written loop: {@code data_head} (acquire), walk the headers to it counting
 * {@code PERF_RECORD_SAMPLE}s, store {@code data_tail} (release) once. Like the original it trusts
 * the headers (it is the benchmark's consumer, not the library's), and reads no payload.
 */
final class PerfCustomConsumer implements BenchConsumer {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final PerfRingSource[] rings;
    private final PerfWaitSet waitSet;
    private final boolean[] ready;
    private final MemorySegment[] control;
    private final MemorySegment[] data;
    private final long[] mask;

    PerfCustomConsumer(PerfRingSource[] rings, WakeMechanism wake) {
        this.rings = rings.clone();
        this.waitSet = rings[0].newWaitSet(wake);
        int n = rings.length;
        ready = new boolean[n];
        control = new MemorySegment[n];
        data = new MemorySegment[n];
        mask = new long[n];
        for (int i = 0; i < n; i++) {
            int err = waitSet.add(i, rings[i]);
            if (err != 0) {
                waitSet.close();
                throw new IllegalArgumentException("cannot watch perf ring " + i + ": errno " + err);
            }
            control[i] = rings[i].controlPage();
            data[i] = rings[i].dataPages();
            mask[i] = rings[i].dataSize() - 1;
        }
    }

    @Override
    public int poll(int timeoutMs) {
        int cnt = waitSet.await(ready, timeoutMs);
        if (cnt < 0) {
            throw new IllegalStateException("perf epoll failed: errno " + cnt);
        }
        int hits = 0;
        for (int i = 0; i < ready.length; i++) {
            if (ready[i]) {
                ready[i] = false;
                hits += drain(i);
            }
        }
        return hits;
    }

    private int drain(int i) {
        MemorySegment c = control[i];
        MemorySegment d = data[i];
        long m = mask[i];
        // ring_buffer_read_head: pairs with the producer's release of data_head
        long head = (long) LONG.getAcquire(c, DATA_HEAD_OFFSET);
        long tail = (long) LONG.get(c, DATA_TAIL_OFFSET); // only this consumer writes it
        int hits = 0;
        while (head != tail) {
            long at = tail & m; // 8-aligned: a header never straddles the end
            int size = Short.toUnsignedInt(d.get(JAVA_SHORT, at + HDR_SIZE_OFFSET));
            if (d.get(JAVA_INT, at + HDR_TYPE_OFFSET) == PERF_RECORD_SAMPLE) {
                hits++;
            }
            if (size == 0) {
                throw new IllegalStateException("perf ring " + i + ": zero-sized record at " + tail);
            }
            tail += size;
        }
        // ring_buffer_write_tail: pairs with the producer's acquire of data_tail before it reuses space
        LONG.setRelease(c, DATA_TAIL_OFFSET, tail);
        return hits;
    }

    @Override
    public long wakeups() {
        return waitSet.wakeups();
    }

    @Override
    public void close() {
        waitSet.close();
        Arrays.fill(ready, false);
    }
}
