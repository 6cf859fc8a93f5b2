package dev.ringbench.ringbuf.selftests;

import static dev.ringbench.ringbuf.selftests.SelftestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.UserRingBuf;
import dev.ringbench.ringbuf.UserRingBufProducer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Port of tools/testing/selftests/bpf/prog_tests/user_ringbuf.c (Linux 6.19, test_user_ringbuf()):
 * the success_tests[], with progs/user_ringbuf_success.c as {@link UserRingbufSuccessProg}. Each BPF
 * program's syscall trigger (getpgid, prctl/getcwd, getrlimit/prlimit64) becomes a method call.
 *
 * <p>Not ported: the failure tests (progs/user_ringbuf_fail.c via RUN_TESTS / verify_fail()). Each is
 * a program the verifier rejects at load time (bad_access1/2: dynptr pointer arithmetic;
 * write_forbidden, null_context_write/read: stores/loads through the dynptr or a NULL context;
 * discard_dynptr/submit_dynptr: releasing the const dynptr the drain owns; invalid_return: callback
 * returning 2; reinit_dynptr_mem/ringbuf: re-initialising that dynptr). Java has no verifier and no
 * such programs; the runtime rules they imply (bounds of the sample view, no double release) are
 * tested elsewhere. Also not ported: PROT_EXEC mprotect/mremap checks of test_user_ringbuf_mappings.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UserRingbufSelftest {
    static final long C_SAMPLE_SIZE = SAMPLE_SIZE + HDR_SZ;             // 40
    static final long C_RINGBUF_SIZE = 1 << 12;                          // 1 small page
    static final long C_MAX_ENTRIES = C_RINGBUF_SIZE / C_SAMPLE_SIZE;    // 102

    // test_user_ringbuf.h
    static final long TEST_OP_64 = 4;
    static final int TEST_OP_32 = 2;
    static final int TEST_MSG_OP_INC64 = 0, TEST_MSG_OP_INC32 = 1, TEST_MSG_OP_MUL64 = 2,
            TEST_MSG_OP_MUL32 = 3, TEST_MSG_OP_NUM_OPS = 4;
    /** struct test_msg { enum test_msg_op msg_op; union { __s64 operand_64; __s32 operand_32; }; } */
    static final long MSG_SIZE = 16, OFF_OP = 0, OFF_OPERAND = 8;

    private static final VarHandle U64 = ValueLayout.JAVA_LONG.varHandle();
    private static final ValueLayout.OfInt LE_U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** progs/user_ringbuf_success.c. */
    static final class UserRingbufSuccessProg {
        final UserRingBuf userRingbuf;
        final BpfRingBuf kernelRingbuf;
        volatile long err;
        /** err of the C record_sample() callback, kept apart: in C the drain's result overwrites it. */
        volatile long cbErr;
        final AtomicInteger read = new AtomicInteger();
        long kernMutated, userMutated, expectedUserMutated;
        private int numCalls;

        UserRingbufSuccessProg(UserRingBuf u, BpfRingBuf k) { userRingbuf = u; kernelRingbuf = k; }

        long recordSample(MemorySegment dynptr) {
            if (numCalls++ % 2 == 0) {            // bpf_dynptr_read(&stack_sample, ...)
                if (dynptr.byteSize() < SAMPLE_SIZE) { cbErr = 1; return 0; }
                dynptr.asSlice(0, SAMPLE_SIZE).toArray(ValueLayout.JAVA_BYTE);
            } else {                              // bpf_dynptr_data(dynptr, 0, sizeof(*sample))
                if (dynptr.byteSize() < SAMPLE_SIZE) { cbErr = 2; return 0; }
                MemorySegment sample = dynptr.asSlice(0, SAMPLE_SIZE);
                pid(sample); seq(sample); value(sample);
            }
            read.incrementAndGet();
            return 0;
        }

        private void handleSampleMsg(MemorySegment msg) {
            switch (msg.get(INT, OFF_OP)) {
                case TEST_MSG_OP_INC64 -> kernMutated += msg.get(LONG, OFF_OPERAND);
                case TEST_MSG_OP_INC32 -> kernMutated += msg.get(INT, OFF_OPERAND);
                case TEST_MSG_OP_MUL64 -> kernMutated *= msg.get(LONG, OFF_OPERAND);
                case TEST_MSG_OP_MUL32 -> kernMutated *= msg.get(INT, OFF_OPERAND);
                default -> err = 2;
            }
        }

        long readProtocolMsg(MemorySegment dynptr) {
            if (dynptr.byteSize() < MSG_SIZE) { err = 1; return 0; }
            handleSampleMsg(dynptr.asSlice(0, MSG_SIZE));
            return 0;
        }

        int publishNextKernMsg(int index) {
            long h = kernelRingbuf.reserve(MSG_SIZE);
            if (h == 0) { err = 4; return 1; }
            MemorySegment msg = kernelRingbuf.sample(h);
            switch (index % TEST_MSG_OP_NUM_OPS) {
                case TEST_MSG_OP_INC64 -> { msg.set(LONG, OFF_OPERAND, TEST_OP_64); expectedUserMutated += TEST_OP_64; }
                case TEST_MSG_OP_INC32 -> { msg.set(INT, OFF_OPERAND, TEST_OP_32); expectedUserMutated += TEST_OP_32; }
                case TEST_MSG_OP_MUL64 -> { msg.set(LONG, OFF_OPERAND, TEST_OP_64); expectedUserMutated *= TEST_OP_64; }
                default -> { msg.set(INT, OFF_OPERAND, TEST_OP_32); expectedUserMutated *= TEST_OP_32; }
            }
            msg.set(INT, OFF_OP, index % TEST_MSG_OP_NUM_OPS);
            kernelRingbuf.submit(h, 0);
            return 0;
        }

        void publishKernMessages() {
            if (expectedUserMutated != userMutated) { err = 3; return; }
            for (int i = 0; i < 8; i++) if (publishNextKernMsg(i) != 0) break;   // bpf_loop(8, ...)
        }

        /** test_user_ringbuf_protocol(): kick_kernel_read_messages(). */
        void testUserRingbufProtocol() {
            long status = userRingbuf.drain(this::readProtocolMsg, 0);
            if (status < 0) { err = 1; return; }
            publishKernMessages();
        }

        /** test_user_ringbuf(): drain_current_samples(). */
        void testUserRingbuf() {
            err = userRingbuf.drain(this::recordSample, 0);
        }

        /** test_user_ringbuf_epoll(): kick_kernel_cb(). */
        void testUserRingbufEpoll() {
            long numSamples = userRingbuf.drain(s -> { read.incrementAndGet(); return 0; }, 0);
            if (numSamples <= 0) err = 1;
        }
    }

    private UserRingbufSuccessProg skel;
    private UserRingBufProducer ringbuf;

    /** open_load_ringbuf_skel() + load_skel_create_user_ringbuf(). */
    @BeforeEach
    void loadSkelCreateUserRingbuf() {
        skel = new UserRingbufSuccessProg(UserRingBuf.create(C_RINGBUF_SIZE), BpfRingBuf.create(C_RINGBUF_SIZE));
        ringbuf = UserRingBufProducer.create(skel.userRingbuf);
        assertEquals(0, skel.read.get(), "no_reads_after_load");
    }

    @AfterEach
    void destroy() {
        skel.userRingbuf.close();
        skel.kernelRingbuf.close();
    }

    /** write_samples(): returns 0 or the failed reserve's -errno, then kicks a drain. */
    private long writeSamples(long numSamples) {
        long err = 0;
        for (int i = 0; i < numSamples; i++) {
            long h = ringbuf.reserve(SAMPLE_SIZE);
            if (h < 0) { err = h; break; }
            MemorySegment entry = ringbuf.sample(h);
            setPid(entry, PID);
            setSeq(entry, i);
            setValue(entry, (long) i * i);
            setComm(entry, Integer.toUnsignedString(i));
            ringbuf.submit(h);
        }
        skel.testUserRingbuf();
        return err;
    }

    /** test_user_ringbuf_mappings(): consumer page read-only, producer page and data writable. */
    @Test
    void test_user_ringbuf_mappings() {
        MemorySegment cons = skel.userRingbuf.consumerPage();
        assertWriteRejected(cons, 0, "write_cons_pos_protect");
        assertTrue(cons.byteSize() <= PAGE_SIZE, "wr_prod_pos: the consumer view must not extend past its page");
        assertFalse(skel.userRingbuf.producerPage().isReadOnly(), "rw_prod_pos");
        assertFalse(skel.userRingbuf.data().isReadOnly(), "rw_data");
    }

    /** manually_write_test_invalid_sample(): a hand-written header and producer_pos. */
    private void manuallyWriteTestInvalidSample(int size, long producerPos, long err) {
        assertEquals(0, skel.read.get(), "num_samples_before_bad_sample");
        MemorySegment producerPosPtr = skel.userRingbuf.producerPage();
        MemorySegment dataPtr = skel.userRingbuf.data();
        dataPtr.asSlice(0, HDR_SZ).fill((byte) 0);
        dataPtr.set(LE_U32, 0, size);
        U64.setRelease(producerPosPtr, 0L, producerPos + HDR_SZ);   // pairs with the drain's acquire

        skel.testUserRingbuf();
        assertEquals(0, skel.read.get(), "num_samples_after_bad_sample");
        assertEquals(err, skel.err, "err_after_bad_sample");
    }

    /** test_user_ringbuf_post_misaligned(): producer_pos % 8 != 0 -> -EINVAL. */
    @Test
    void test_user_ringbuf_post_misaligned() {
        int size = (1 << 5) + 7;
        manuallyWriteTestInvalidSample(size, size, -EINVAL);
    }

    /** test_user_ringbuf_post_producer_wrong_offset(): record past producer_pos -> -EINVAL. */
    @Test
    void test_user_ringbuf_post_producer_wrong_offset() {
        int size = 1 << 5;
        manuallyWriteTestInvalidSample(size, size - 8, -EINVAL);
    }

    /** test_user_ringbuf_post_larger_than_ringbuf_sz(): record larger than the ring -> -E2BIG. */
    @Test
    void test_user_ringbuf_post_larger_than_ringbuf_sz() {
        int size = (int) C_RINGBUF_SIZE;
        manuallyWriteTestInvalidSample(size, size, -E2BIG);
    }

    /** test_user_ringbuf_basic(). */
    @Test
    void test_user_ringbuf_basic() {
        assertEquals(0, skel.read.get(), "num_samples_read_before");
        assertEquals(0, writeSamples(2), "write_samples");
        assertEquals(2, skel.read.get(), "num_samples_read_after");
        assertEquals(0, skel.cbErr, "record_sample err");
    }

    /** test_user_ringbuf_sample_full_ring_buffer(): one sample filling the ring exactly. */
    @Test
    void test_user_ringbuf_sample_full_ring_buffer() {
        long sample = ringbuf.reserve(C_RINGBUF_SIZE - HDR_SZ);
        assertTrue(sample > 0, "full_sample: " + sample);
        ringbuf.submit(sample);
        assertEquals(0, skel.read.get(), "num_samples_read_before");
        skel.testUserRingbuf();
        assertEquals(1, skel.read.get(), "num_samples_read_after");
    }

    /** test_user_ringbuf_post_alignment_autoadjust(): sizes are rounded up to 8 bytes. */
    @Test
    void test_user_ringbuf_post_alignment_autoadjust() {
        long sample = ringbuf.reserve(SAMPLE_SIZE + 1);
        assertTrue(sample > 0, "reserve_autoaligned: " + sample);
        ringbuf.submit(sample);
        assertEquals(0, skel.read.get(), "num_samples_read_before");
        skel.testUserRingbuf();
        assertEquals(1, skel.read.get(), "num_samples_read_after");
    }

    /** test_user_ringbuf_overfill(): the selftest asserts an error; libbpf's errno is ENOSPC. */
    @Test
    void test_user_ringbuf_overfill() {
        long err = writeSamples(C_MAX_ENTRIES * 5);
        assertEquals(-ENOSPC, err, "write_samples");
        assertEquals(C_MAX_ENTRIES, skel.read.get(), "max_entries");
    }

    /** test_user_ringbuf_discards_properly_ignored(). */
    @Test
    void test_user_ringbuf_discards_properly_ignored() {
        int numDiscarded = 0;
        assertEquals(0, skel.read.get(), "num_samples_read_before");
        while (true) {   // write samples until the buffer is full
            long token = ringbuf.reserve(8);
            if (token < 0) break;
            ringbuf.discard(token);
            numDiscarded++;
        }
        assertTrue(numDiscarded >= 0, "num_discarded");

        // should not read any samples, as they are all discarded
        assertEquals(0, skel.read.get(), "num_pre_kick");
        skel.testUserRingbuf();
        assertEquals(0, skel.read.get(), "num_post_kick");
        assertEquals(0, skel.err, "drain result: discarded samples are not counted (not in the selftest)");

        // now that the ring buffer has been drained, we should be able to reserve another token
        long token = ringbuf.reserve(8);
        assertTrue(token > 0, "new_token: " + token);
        ringbuf.discard(token);
    }

    /** test_user_ringbuf_loop(): 8192 samples in batches of at most c_max_entries. */
    @Test
    void test_user_ringbuf_loop() {
        long totalSamples = 8192, remainingSamples = totalSamples;
        do {
            long currSamples = Math.min(remainingSamples, C_MAX_ENTRIES);
            assertEquals(0, writeSamples(currSamples), "write_samples");
            remainingSamples -= currSamples;
            assertEquals(totalSamples - remainingSamples, skel.read.get(), "current_batched_entries");
        } while (remainingSamples > 0);
        assertEquals(totalSamples, skel.read.get(), "total_batched_entries");
    }

    /** send_test_message(). */
    private int sendTestMessage(int op, long operand64, int operand32) {
        long h = ringbuf.reserve(MSG_SIZE);
        if (h < 0) fail("reserve_msg: " + h);
        MemorySegment msg = ringbuf.sample(h);
        msg.set(INT, OFF_OP, op);
        if (op == TEST_MSG_OP_INC64 || op == TEST_MSG_OP_MUL64) msg.set(LONG, OFF_OPERAND, operand64);
        else msg.set(INT, OFF_OPERAND, operand32);
        ringbuf.submit(h);
        return 0;
    }

    /** handle_kernel_msg(). */
    private int handleKernelMsg(MemorySegment msg) {
        switch (msg.get(INT, OFF_OP)) {
            case TEST_MSG_OP_INC64: skel.userMutated += msg.get(LONG, OFF_OPERAND); return 0;
            case TEST_MSG_OP_INC32: skel.userMutated += msg.get(INT, OFF_OPERAND); return 0;
            case TEST_MSG_OP_MUL64: skel.userMutated *= msg.get(LONG, OFF_OPERAND); return 0;
            case TEST_MSG_OP_MUL32: skel.userMutated *= msg.get(INT, OFF_OPERAND); return 0;
            default: return -EINVAL;
        }
    }

    /** test_user_ringbuf_msg_protocol(): messages both ways, user ring in, kernel ring out. */
    @Test
    void test_user_ringbuf_msg_protocol() {
        RingBufConsumer kernRingbuf = RingBufConsumer.create(skel.kernelRingbuf, this::handleKernelMsg);
        try {
            long expectedKern = 0;
            for (int i = 0; i < 64; i++) {
                int op = i % TEST_MSG_OP_NUM_OPS;
                assertEquals(0, sendTestMessage(op, TEST_OP_64, TEST_OP_32), "send_test_message");
                switch (op) {
                    case TEST_MSG_OP_INC64 -> expectedKern += TEST_OP_64;
                    case TEST_MSG_OP_INC32 -> expectedKern += TEST_OP_32;
                    case TEST_MSG_OP_MUL64 -> expectedKern *= TEST_OP_64;
                    default -> expectedKern *= TEST_OP_32;
                }
                if (i % 8 == 0) {
                    skel.testUserRingbufProtocol();
                    assertEquals(expectedKern, skel.kernMutated, "expected_kern");
                    assertEquals(0, skel.err, "bpf_prog_err");
                    // drain_kernel_messages_buffer()
                    assertEquals(8, kernRingbuf.consume(), "consume_kern_ringbuf");
                    assertEquals(0, skel.err, "consume_kern_ringbuf_err");
                }
            }
        } finally {
            kernRingbuf.close();
        }
    }

    /** test_user_ringbuf_blocking_reserve(). */
    @Test
    void test_user_ringbuf_blocking_reserve() throws InterruptedException {
        int numWritten = 0;
        assertEquals(0, skel.read.get(), "num_samples_read_before");
        while (true) {   // write samples until the buffer is full
            long token = ringbuf.reserve(8);
            if (token < 0) break;
            ringbuf.sample(token).set(LONG, 0, 0xdeadbeefL);
            ringbuf.submit(token);
            numWritten++;
        }
        assertTrue(numWritten >= 0, "num_written");
        // should not have read any samples until the kernel is kicked
        assertEquals(0, skel.read.get(), "num_pre_kick");

        // we correctly time out after 1 second, without a sample (libbpf's errno then is ENOSPC)
        long token = ringbuf.reserveBlocking(8, 1000);
        assertEquals(-ENOSPC, token, "pre_kick_timeout_token");

        // another thread asynchronously kicks the "kernel" to drain, which wakes the producer
        Thread kick = new Thread(skel::testUserRingbufEpoll, "kick_kernel_cb");
        kick.setDaemon(true);
        kick.start();
        token = ringbuf.reserveBlocking(8, 10000);
        assertTrue(token > 0, "block_token: " + token);

        kick.join(TimeUnit.SECONDS.toMillis(30)); // not in the selftest: lets err below be final
        assertFalse(kick.isAlive(), "kick thread finished");
        assertTrue(skel.read.get() > 0, "num_post_kill");
        assertTrue(skel.read.get() <= numWritten, "num_post_kill");
        assertEquals(0, skel.err, "err_post_poll");
        ringbuf.discard(token);

        // not in the selftest: libbpf's reserve_blocking rejects timeouts below -1
        assertEquals(-EINVAL, ringbuf.reserveBlocking(8, -2), "bad timeout");
    }
}
