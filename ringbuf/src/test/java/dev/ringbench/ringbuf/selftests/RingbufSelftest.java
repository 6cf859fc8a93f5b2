package dev.ringbench.ringbuf.selftests;

import static dev.ringbench.ringbuf.selftests.SelftestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.RingBufConsumer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Port of tools/testing/selftests/bpf/prog_tests/ringbuf.c (Linux 6.19, test_ringbuf()).
 * The BPF programs (progs/test_ringbuf*.c) become the nested *Prog classes; one {@code run()}
 * stands for one getpgid() syscall that fires the attached program.
 * Not ported: skeleton open/load/attach and the pid filter (only this test "calls getpgid"),
 * ring__map_fd() (no fds), and the mprotect(PROT_EXEC)/mremap checks (no MemorySegment equivalent).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RingbufSelftest {
    static final int EDONE = 7777;

    private final List<Runnable> closers = new ArrayList<>();
    private final AtomicInteger sampleCnt = new AtomicInteger();
    private final List<String> cbErrors = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() {
        for (int i = closers.size() - 1; i >= 0; i--) closers.get(i).run();
    }

    private BpfRingBuf newRing(long size, long flags) {
        BpfRingBuf rb = BpfRingBuf.create(size, flags);
        closers.add(rb::close);
        return rb;
    }

    private RingBufConsumer newConsumer(BpfRingBuf rb, java.util.function.ToIntFunction<MemorySegment> cb) {
        RingBufConsumer c = RingBufConsumer.create(rb, cb::applyAsInt);
        closers.add(c::close);
        return c;
    }

    /** prog_tests/ringbuf.c: process_sample(). */
    private int processSample(MemorySegment s) {
        sampleCnt.incrementAndGet();
        switch (seq(s)) {
            case 0:
                if (value(s) != 333) cbErrors.add("sample1_value: exp 333, got " + value(s));
                return 0;
            case 1:
                if (value(s) != 777) cbErrors.add("sample2_value: exp 777, got " + value(s));
                return -EDONE;
            default:
                return 0; // we don't care about the rest
        }
    }

    /** progs/test_ringbuf.c: test_ringbuf(). */
    static final class TestRingbufProg {
        final BpfRingBuf ringbuf;
        long value, flags;                                   // inputs
        long total, discarded, dropped;                      // outputs
        long availData, ringSize, consPos, prodPos;
        long seq;                                            // inner state

        TestRingbufProg(BpfRingBuf ringbuf) { this.ringbuf = ringbuf; }

        void run() {
            long h = ringbuf.reserve(SAMPLE_SIZE);
            if (h == 0) { dropped++; return; }
            MemorySegment sample = ringbuf.sample(h);
            setPid(sample, PID);
            setCurrentComm(sample);
            setValue(sample, value);
            setSeq(sample, (int) seq++);
            total++;
            if ((seq(sample) & 1) != 0) {
                ringbuf.output(sample, flags);   // copy from reserved sample to a new one...
                ringbuf.discard(h, flags);       // ...and then discard reserved sample
                discarded++;
            } else {
                ringbuf.submit(h, flags);
            }
            availData = ringbuf.query(BpfRingBuf.BPF_RB_AVAIL_DATA);
            ringSize = ringbuf.query(BpfRingBuf.BPF_RB_RING_SIZE);
            consPos = ringbuf.query(BpfRingBuf.BPF_RB_CONS_POS);
            prodPos = ringbuf.query(BpfRingBuf.BPF_RB_PROD_POS);
        }

        /** prog_tests/ringbuf.c: trigger_samples(). */
        void triggerSamples() {
            dropped = 0; total = 0; discarded = 0;
            value = 333; run();   // trigger exactly two samples
            value = 777; run();
        }
    }

    private void assertBpfSideOk(TestRingbufProg skel) {
        assertEquals(0, skel.dropped, "err_dropped");
        assertEquals(2, skel.total, "err_total");
        assertEquals(1, skel.discarded, "err_discarded");
    }

    /** prog_tests/ringbuf.c: ringbuf_subtest() with progs/test_ringbuf.c. */
    @Test
    void ringbuf() throws Exception {
        BpfRingBuf rb = newRing(PAGE_SIZE, 0);

        // mmap permissions, as views: consumer page read-write, producer page and data read-only.
        MemorySegment consPage = rb.consumerPage();
        assertFalse(consPage.isReadOnly(), "rw_cons_pos");
        assertTrue(consPage.byteSize() >= 8 && consPage.byteSize() <= PAGE_SIZE,
                "rw_extend: the writable view must not reach past the consumer page");
        assertWriteRejected(rb.producerPage(), 0, "wr_prod_pos");
        assertWriteRejected(rb.data(), 0, "wr_data_page_one");
        assertWriteRejected(rb.data(), PAGE_SIZE, "wr_data_page_two");
        assertEquals(2 * PAGE_SIZE, rb.data().byteSize(), "ro data pages: mapped twice");
        assertEquals(0, rb.producerPage().get(ValueLayout.JAVA_LONG, 0), "ro_prod_pos");

        TestRingbufProg skel = new TestRingbufProg(rb);
        RingBufConsumer ringbuf = newConsumer(rb, this::processSample);

        skel.triggerSamples();
        var ring = ringbuf.ring(0);
        assertNotNull(ring, "ring_buffer__ring_idx_0");

        // 2 submitted + 1 discarded records
        assertEquals(3 * REC_SZ, skel.availData, "err_avail_size");
        assertEquals(PAGE_SIZE, skel.ringSize, "err_ring_size");
        assertEquals(0, skel.consPos, "err_cons_pos");
        assertEquals(3 * REC_SZ, skel.prodPos, "err_prod_pos");

        // the same through the ring object
        assertEquals(3 * REC_SZ, ring.availDataSize(), "ring_avail_size");
        assertEquals(PAGE_SIZE, ring.size(), "ring_ring_size");
        assertEquals(0, ring.consumerPos(), "ring_cons_pos");
        assertEquals(3 * REC_SZ, ring.producerPos(), "ring_prod_pos");

        // poll for samples; -EDONE is used as an indicator that we are done
        assertEquals(-EDONE, ringbuf.poll(-1), "err_done");
        assertEquals(2, sampleCnt.getAndSet(0), "cnt");

        // we expect extra polling to return nothing
        assertEquals(0, ringbuf.poll(0), "extra_samples");
        assertEquals(0, sampleCnt.getAndSet(0), "cnt");
        assertBpfSideOk(skel);

        // now validate consumer position is updated and returned
        skel.triggerSamples();
        assertEquals(3 * REC_SZ, skel.consPos, "err_cons_pos");
        assertTrue(ringbuf.poll(-1) > 0, "poll_err");
        assertEquals(2, sampleCnt.getAndSet(0), "cnt");

        // start poll in background w/ long timeout
        FutureTask<Integer> bg = new FutureTask<>(() -> ringbuf.poll(10000));
        Thread thread = new Thread(bg, "bg_poll");
        thread.setDaemon(true);
        thread.start();

        // turn off notifications now
        skel.flags = BpfRingBuf.BPF_RB_NO_WAKEUP;
        awaitBlocked(thread); // instead of usleep(50000): the poller is asleep
        skel.triggerSamples();
        assertStillBlocked(bg, "try_join: NO_WAKEUP commits must not wake the poller");

        assertBpfSideOk(skel);
        assertEquals(0, sampleCnt.getAndSet(0), "cnt");

        // clear flags to return to "adaptive" notification mode; the consumer is now behind,
        // so no notification should be triggered
        skel.flags = 0;
        skel.triggerSamples();
        assertStillBlocked(bg, "try_join: adaptive commits behind the consumer must not wake it");
        assertEquals(0, sampleCnt.getAndSet(0), "cnt: still no samples, because consumer is behind");

        skel.dropped = 0; skel.total = 0; skel.discarded = 0;
        skel.value = 333;
        skel.run();
        skel.flags = BpfRingBuf.BPF_RB_FORCE_WAKEUP; // now force notifications
        skel.value = 777;
        skel.run();

        // now we should get a pending notification (generous bound: the poll must return at all)
        int bgRet = bg.get(30, TimeUnit.SECONDS);
        assertTrue(bgRet > 0, "bg_ret: " + bgRet);

        // there could still be non-notified samples (the reserved-then-discarded record was BUSY
        // while the forced wake-up ran), so consume them here
        assertTrue(ringbuf.consume() >= 0, "rb_consume");
        assertTrue(ring.consume() >= 0, "ring_consume");

        // 3 rounds, 2 samples each
        assertEquals(6, sampleCnt.getAndSet(0), "cnt");
        assertBpfSideOk(skel);
        assertEquals(List.of(), cbErrors);
    }

    /** progs/test_ringbuf_n.c: test_ringbuf_n(). */
    static final class TestRingbufNProg {
        final BpfRingBuf ringbuf;
        long value, seq;
        TestRingbufNProg(BpfRingBuf ringbuf) { this.ringbuf = ringbuf; }

        void run() {
            long h = ringbuf.reserve(SAMPLE_SIZE);
            if (h == 0) return;
            MemorySegment sample = ringbuf.sample(h);
            setPid(sample, PID);
            setSeq(sample, (int) seq++);
            setValue(sample, value);
            setCurrentComm(sample);
            ringbuf.submit(h, 0);
        }
    }

    /** prog_tests/ringbuf.c: ringbuf_n_subtest() with progs/test_ringbuf_n.c. */
    @Test
    void ringbuf_n() {
        final int nTotSamples = 32, nSamples = 4;
        final long sampleValue = 42L;
        BpfRingBuf rb = newRing(PAGE_SIZE, 0);
        RingBufConsumer ringbuf = newConsumer(rb, s -> {
            if (value(s) != sampleValue) cbErrors.add("sample_value: " + value(s));
            return 0;
        });
        TestRingbufNProg skel = new TestRingbufNProg(rb);

        skel.value = sampleValue;
        for (int i = 0; i < nTotSamples; i++) skel.run();

        // consume all samples from the ring buffer in batches of N_SAMPLES
        for (int i = 0, err; i < nTotSamples; i += err) {
            err = ringbuf.consumeN(nSamples);
            assertEquals(nSamples, err, "rb_consume");
        }
        assertEquals(List.of(), cbErrors);
    }

    /**
     * progs/test_ringbuf_map_key.c: test_ringbuf_mem_map_key(). The verifier point (a reserved
     * sample accepted as a map key argument) has no Java equivalent; the data flow is kept:
     * the reserved sample's bytes are the key, its seq the value.
     */
    static final class TestRingbufMapKeyProg {
        final BpfRingBuf ringbuf;
        final Map<ByteBuffer, Integer> hashMap = new HashMap<>(); // BPF_MAP_TYPE_HASH, 1000 entries
        long seq;
        TestRingbufMapKeyProg(BpfRingBuf ringbuf) { this.ringbuf = ringbuf; }

        static ByteBuffer key(MemorySegment s) { return ByteBuffer.wrap(s.toArray(ValueLayout.JAVA_BYTE)); }

        void run() {
            long h = ringbuf.reserve(SAMPLE_SIZE);
            if (h == 0) return;
            MemorySegment sample = ringbuf.sample(h);
            setPid(sample, PID);
            setCurrentComm(sample);
            setSeq(sample, (int) ++seq);
            setValue(sample, 42);
            hashMap.get(key(sample));                        // 'sample' as a map key
            ByteBuffer sampleCopy = key(sample);
            hashMap.put(sampleCopy, seq(sample));
            ringbuf.submit(h, 0);
        }
    }

    /** prog_tests/ringbuf.c: ringbuf_map_key_subtest() with progs/test_ringbuf_map_key.c. */
    @Test
    void ringbuf_map_key() {
        BpfRingBuf rb = newRing(PAGE_SIZE, 0);
        TestRingbufMapKeyProg skel = new TestRingbufMapKeyProg(rb);
        // process_map_key_sample()
        RingBufConsumer ringbuf = newConsumer(rb, s -> {
            if (seq(s) != 1) return 0;
            if (value(s) != 42) cbErrors.add("sample_value: " + value(s));
            Integer val = skel.hashMap.get(TestRingbufMapKeyProg.key(s));
            if (val == null) cbErrors.add("hash_map bpf_map_lookup_elem: not found");
            else if (val != 1) cbErrors.add("hash_map val: " + val);
            return -EDONE;
        });

        skel.run();
        assertEquals(1, skel.seq, "skel_map_key->bss->seq");
        assertEquals(-EDONE, ringbuf.poll(-1), "ring_buffer__poll");
        assertEquals(List.of(), cbErrors);
    }

    /** progs/test_ringbuf_write.c: test_ringbuf_write(). */
    static final class TestRingbufWriteProg {
        final BpfRingBuf ringbuf;
        long passed, discarded;
        TestRingbufWriteProg(BpfRingBuf ringbuf) { this.ringbuf = ringbuf; }

        void run() {
            long sample1 = ringbuf.reserve(0x30000);
            if (sample1 == 0) return;
            // first one can pass
            long sample2 = ringbuf.reserve(0x30000);
            if (sample2 == 0) {
                ringbuf.discard(sample1, 0);
                discarded++;
                return;
            }
            // second one must not
            passed++;
            ringbuf.sample(sample2).set(INT, 4084, 256);
            ringbuf.discard(sample1, 0);
            ringbuf.discard(sample2, 0);
        }
    }

    /**
     * prog_tests/ringbuf.c: ringbuf_write_subtest() with progs/test_ringbuf_write.c: user space
     * writes a bogus consumer_pos (0x30000); a second 0x30000-byte reservation would overlap the
     * first (still BUSY) one and must fail (CVE-2024-41009, the pending_pos check).
     */
    @Test
    void ringbuf_write() {
        BpfRingBuf rb = newRing(0x40000, 0);
        rb.consumerPage().set(ValueLayout.JAVA_LONG, 0, 0x30000L);
        newConsumer(rb, this::processSample);
        TestRingbufWriteProg skel = new TestRingbufWriteProg(rb);
        skel.discarded = 0;
        skel.passed = 0;

        // trigger exactly two samples
        skel.run();
        skel.run();

        assertEquals(2, skel.discarded, "discarded");
        assertEquals(0, skel.passed, "passed");
    }

    /** progs/test_ringbuf_overwrite.c: test_overwrite_ringbuf(). */
    static final class TestRingbufOverwriteProg {
        final BpfRingBuf ringbuf;
        final long len1, len2, len3, len4, len5;
        long reserve1Fail, reserve2Fail, reserve3Fail, reserve4Fail, reserve5Fail;
        long availData, ringSize, consPos, prodPos, overPos;

        TestRingbufOverwriteProg(BpfRingBuf rb, long l1, long l2, long l3, long l4, long l5) {
            ringbuf = rb; len1 = l1; len2 = l2; len3 = l3; len4 = l4; len5 = l5;
        }

        void run() {
            long rec1 = ringbuf.reserve(len1);
            if (rec1 == 0) { reserve1Fail = 1; return; }
            long rec2 = ringbuf.reserve(len2);
            if (rec2 == 0) { ringbuf.discard(rec1, 0); reserve2Fail = 1; return; }
            long rec3 = ringbuf.reserve(len3);
            if (rec3 == 0) { // expect failure
                reserve3Fail = 1;
            } else {
                ringbuf.discard(rec1, 0);
                ringbuf.discard(rec2, 0);
                ringbuf.discard(rec3, 0);
                return;
            }
            long rec4 = ringbuf.reserve(len4);
            if (rec4 == 0) {
                reserve4Fail = 1;
                ringbuf.discard(rec1, 0);
                ringbuf.discard(rec2, 0);
                return;
            }
            ringbuf.submit(rec1, 0);
            ringbuf.submit(rec2, 0);
            ringbuf.submit(rec4, 0);

            long rec5 = ringbuf.reserve(len5);
            if (rec5 == 0) { reserve5Fail = 1; return; }
            ringbuf.sample(rec5).asSlice(0, len3).fill((byte) 0xdd);
            ringbuf.submit(rec5, 0);

            ringSize = ringbuf.query(BpfRingBuf.BPF_RB_RING_SIZE);
            availData = ringbuf.query(BpfRingBuf.BPF_RB_AVAIL_DATA);
            consPos = ringbuf.query(BpfRingBuf.BPF_RB_CONS_POS);
            prodPos = ringbuf.query(BpfRingBuf.BPF_RB_PROD_POS);
            overPos = ringbuf.query(BpfRingBuf.BPF_RB_OVERWRITE_POS);
        }
    }

    /** prog_tests/ringbuf.c: ringbuf_overwrite_mode_subtest() with progs/test_ringbuf_overwrite.c. */
    @Test
    void ringbuf_overwrite_mode() {
        long size = PAGE_SIZE;
        long len1 = PAGE_SIZE / 2;
        long len2 = PAGE_SIZE / 4;
        long len3 = size - len1 - len2 - HDR_SZ * 3;
        long len4 = len3 - 8;
        long len5 = len3; // retry with len3

        BpfRingBuf rb = newRing(size, BpfRingBuf.BPF_F_RB_OVERWRITE);
        TestRingbufOverwriteProg skel = new TestRingbufOverwriteProg(rb, len1, len2, len3, len4, len5);
        skel.run();

        assertEquals(0, skel.reserve1Fail, "reserve 1");
        assertEquals(0, skel.reserve2Fail, "reserve 2");
        assertEquals(1, skel.reserve3Fail, "reserve 3");
        assertEquals(0, skel.reserve4Fail, "reserve 4");
        assertEquals(0, skel.reserve5Fail, "reserve 5");

        assertEquals(size, skel.ringSize, "check_ring_size");
        assertEquals(len2 + len4 + len5 + 3 * HDR_SZ, skel.availData, "check_avail_size");
        assertEquals(0, skel.consPos, "check_cons_pos");
        assertEquals(len1 + len2 + len4 + len5 + 4 * HDR_SZ, skel.prodPos, "check_prod_pos");
        assertEquals(len1 + HDR_SZ, skel.overPos, "check_over_pos");
    }
}
