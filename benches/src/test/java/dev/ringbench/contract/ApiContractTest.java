package dev.ringbench.contract;

import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.UserRingBuf;
import dev.ringbench.ringbuf.UserRingBufProducer;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code outside the {@code ringbuf} module, written against {@code ../shared/spec/ringbuf-api.md}
 * exactly as it is printed: every name and signature of the contract, with the declared types.
 * If the port drifts from the contract, this stops compiling.
 */
class ApiContractTest {

    @Test
    void bpfRingBufContract() {
        long noWakeup = BpfRingBuf.BPF_RB_NO_WAKEUP;
        long force = BpfRingBuf.BPF_RB_FORCE_WAKEUP;
        long overwrite = BpfRingBuf.BPF_F_RB_OVERWRITE;
        long[] selectors = {BpfRingBuf.BPF_RB_AVAIL_DATA, BpfRingBuf.BPF_RB_RING_SIZE, BpfRingBuf.BPF_RB_CONS_POS,
                BpfRingBuf.BPF_RB_PROD_POS, BpfRingBuf.BPF_RB_OVERWRITE_POS};
        assertEquals(1, noWakeup);
        assertEquals(2, force);
        assertEquals(1L << 19, overwrite);
        assertEquals(5, selectors.length);

        BpfRingBuf ring = BpfRingBuf.create(4096);
        BpfRingBuf ow = BpfRingBuf.create(4096, BpfRingBuf.BPF_F_RB_OVERWRITE);
        long handle = ring.reserve(8);
        assertNotEquals(0, handle);
        MemorySegment sample = ring.sample(handle);
        assertEquals(8, sample.byteSize());
        sample.set(ValueLayout.JAVA_LONG, 0, 42L);
        ring.submit(handle, 0);
        ring.discard(ring.reserve(8), noWakeup);
        try (Arena a = Arena.ofConfined()) {
            long rc = ring.output(a.allocate(8), 0);
            assertEquals(0, rc);
        }
        long avail = ring.query(BpfRingBuf.BPF_RB_AVAIL_DATA);
        assertEquals(48, avail);
        MemorySegment cons = ring.consumerPage();
        MemorySegment prod = ring.producerPage();
        MemorySegment data = ring.data();
        assertTrue(prod.isReadOnly() && data.isReadOnly() && !cons.isReadOnly());

        RingBufConsumer.SampleCallback cb = s -> s.byteSize() == 8 ? 0 : -1;
        RingBufConsumer consumer = RingBufConsumer.create(ring, cb);
        int added = consumer.add(ow, cb);
        assertEquals(0, added);
        int polled = consumer.poll(0);
        assertEquals(2, polled);
        int consumed = consumer.consume();
        int consumedN = consumer.consumeN(1L);
        assertEquals(0, consumed + consumedN);
        Ring r = consumer.ring(0);
        assertNotNull(r);
        long a = r.availDataSize();
        long size = r.size();
        long c = r.consumerPos();
        long p = r.producerPos();
        int rc = r.consume();
        int rn = r.consumeN(5L);
        assertEquals(0, a);
        assertEquals(4096, size);
        assertEquals(p, c);
        assertEquals(0, rc + rn);
        consumer.close();
        ring.close();
        ow.close();
    }

    @Test
    void userRingBufContract() {
        UserRingBuf ring = UserRingBuf.create(4096);
        UserRingBufProducer producer = UserRingBufProducer.create(ring);
        long h = producer.reserve(8);
        assertTrue(h > 0);
        producer.sample(h).set(ValueLayout.JAVA_LONG, 0, 7L);
        producer.submit(h);
        producer.discard(producer.reserveBlocking(8, 0));
        UserRingBuf.DrainCallback cb = s -> 0L;
        long drained = ring.drain(cb, 0);
        assertEquals(1, drained);
        MemorySegment cons = ring.consumerPage();
        MemorySegment prod = ring.producerPage();
        MemorySegment data = ring.data();
        assertTrue(cons.isReadOnly() && !prod.isReadOnly() && !data.isReadOnly());
        ring.close();
    }
}
