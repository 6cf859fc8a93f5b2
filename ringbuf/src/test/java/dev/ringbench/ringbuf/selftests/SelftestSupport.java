package dev.ringbench.ringbuf.selftests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the ported selftests share: the selftests' {@code struct sample}, errno values, page size,
 * and the "is this background thread blocked" helpers that replace pthread_tryjoin_np().
 */
final class SelftestSupport {
    private SelftestSupport() {}

    /** getpagesize() in the selftests; the port's rings are multiples of 4096. */
    static final long PAGE_SIZE = 4096;
    /** BPF_RINGBUF_HDR_SZ. */
    static final long HDR_SZ = 8;

    // Errno values, as the port returns them (negated).
    static final int E2BIG = 7, EAGAIN = 11, EBUSY = 16, EINVAL = 22, ENOSPC = 28;

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    /** struct sample { int pid; int seq; long value; char comm[16]; } */
    static final long SAMPLE_SIZE = 32;
    static final long OFF_PID = 0, OFF_SEQ = 4, OFF_VALUE = 8, OFF_COMM = 16, COMM_LEN = 16;
    /** BPF_RINGBUF_HDR_SZ + sizeof(struct sample): one record of the ring. */
    static final long REC_SZ = HDR_SZ + SAMPLE_SIZE;

    /** getpid() of the selftests. */
    static final int PID = (int) ProcessHandle.current().pid();

    static int pid(MemorySegment s) { return s.get(INT, OFF_PID); }
    static int seq(MemorySegment s) { return s.get(INT, OFF_SEQ); }
    static long value(MemorySegment s) { return s.get(LONG, OFF_VALUE); }
    static void setPid(MemorySegment s, int pid) { s.set(INT, OFF_PID, pid); }
    static void setSeq(MemorySegment s, int seq) { s.set(INT, OFF_SEQ, seq); }
    static void setValue(MemorySegment s, long value) { s.set(LONG, OFF_VALUE, value); }

    /** bpf_get_current_comm() / snprintf(comm, ...): at most 15 bytes and a NUL. */
    static void setComm(MemorySegment s, String comm) {
        byte[] b = comm.getBytes(StandardCharsets.US_ASCII);
        int n = (int) Math.min(b.length, COMM_LEN - 1);
        MemorySegment dst = s.asSlice(OFF_COMM, COMM_LEN);
        dst.fill((byte) 0);
        MemorySegment.copy(b, 0, dst, ValueLayout.JAVA_BYTE, 0, n);
    }

    static void setCurrentComm(MemorySegment s) { setComm(s, Thread.currentThread().getName()); }

    /**
     * Waits (generously) until {@code t} sleeps inside a blocking call. Stands in for the selftests'
     * "usleep(50000) and hope the poll thread reached epoll_wait()": here we know it has.
     */
    static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Thread.State st = t.getState();
            if (st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING) return;
            if (st == Thread.State.TERMINATED) fail("background call returned before it was expected to block");
            if (System.nanoTime() > deadline) fail("background call never blocked (state " + st + ")");
            Thread.sleep(1);
        }
    }

    /**
     * pthread_tryjoin_np() == EBUSY after the selftests' usleep(50000): the background call has not
     * returned. Only a false pass is possible if it returns late, never a false failure.
     */
    static void assertStillBlocked(Future<?> f, String what) {
        assertThrows(TimeoutException.class, () -> f.get(50, TimeUnit.MILLISECONDS), what);
    }

    /** A write through a read-only view must throw (the JDK throws IllegalArgumentException or
     *  UnsupportedOperationException, depending on the operation and version), never crash. */
    static void assertWriteRejected(MemorySegment view, long offset, String what) {
        assertTrue(view.isReadOnly(), what + ": view should be read-only");
        RuntimeException e = assertThrows(RuntimeException.class, () -> view.set(ValueLayout.JAVA_BYTE, offset, (byte) 1), what);
        assertTrue(e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException,
                what + ": unexpected exception " + e);
    }
}
