package dev.ringbench.benches.kernelbench;

import dev.ringbench.ringbuf.RawSampleCallback;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.RingSource;
import dev.ringbench.os.WakeMechanism;

import java.lang.foreign.MemorySegment;

/**
 * {@code rb-libbpf} and {@code rb-custom}: the port's {@link RingBufConsumer} over the port's ring
 * or a live kernel map, with libbpf's loop ({@code consumer_pos} stored after every record) or the
 * kernel benchmark's own ({@link Ring.Mode#BATCHED}: once per pass, as
 * {@code ringbuf_custom_process_ring}). {@link #poll} is {@code ring_buffer__poll}, or for the custom
 * consumer {@code epoll_wait} then the custom loop: the same wait, then a different loop.
 */
final class RingConsumer implements BenchConsumer, RawSampleCallback {
    private final RingBufConsumer consumer;

    RingConsumer(RingSource ring, Ring.Mode mode, WakeMechanism wake) {
        this.consumer = RingBufConsumer.create(ring, this, mode, wake);
    }

    /** {@code buf_process_sample}: the kernel bench counts in the loop; the count is poll's return. */
    @Override
    public int onSample(MemorySegment data, long offset, int length) {
        return 0;
    }

    @Override
    public int poll(int timeoutMs) {
        int n = consumer.poll(timeoutMs);
        if (n < 0) {
            throw new IllegalStateException("ring_buffer__poll failed: errno " + n);
        }
        return n;
    }

    @Override
    public long wakeups() {
        return consumer.wakeups();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
