package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import dev.ringbench.os.PollWaiter;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults: callbacks that throw while producers keep going, a producer that dies
 * between reserve and commit, and a waiting consumer closed or interrupted under a finite
 * timeout. The single-threaded basics are in {@link ConsumerSpecTest}
 * ({@code callbackThatThrowsMidBatchConsumesThatRecordOnly}, {@code closeWhileWaitingReturnsEbadf},
 * {@code interruptWhileWaitingReturnsEintr}); these add concurrency, the wrap, {@link Error}s,
 * {@code poll}/{@code consumeN}, and the stall diagnostic.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultTest {
    private static final long PAGE = 4096;
    private static final long REC = 16; // a 4-byte payload

    private static final class Boom extends RuntimeException {
        Boom(int v) {
            super("callback failed at " + v, null, false, false);
        }
    }

    private static final class BoomError extends Error {
        BoomError(int v) {
            super("callback error at " + v, null, false, false);
        }
    }

    private static long put(BpfRingBuf rb, int value) {
        long h = rb.reserve(4);
        if (h != 0) {
            rb.sampleArea().set(JAVA_INT, rb.sampleOffset(h), value);
            rb.submit(h, 0);
        }
        return h;
    }

    // ---------------------------------------------------------------------------------------------
    // A callback that throws in the middle of a batch

    /**
     * A producer thread writes 0..N-1 through a one-page ring (so it wraps ~60 times) while the
     * consumer's callback throws on every 7th value, alternating a RuntimeException and an Error,
     * through poll, consume and consumeN. Every record arrives exactly once, in order: the one
     * that threw counts as consumed, nothing after it is lost or delivered again.
     */
    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void throwingCallbackUnderConcurrentProductionLosesAndRepeatsNothing(Ring.Mode mode) throws Exception {
        final int n = 4000;
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            List<Integer> got = new ArrayList<>(n);
            RawSampleCallback cb = (d, off, len) -> {
                int v = d.get(JAVA_INT, off);
                got.add(v);
                if (v % 7 == 3) {
                    if ((v / 7) % 2 == 0) {
                        throw new Boom(v);
                    }
                    throw new BoomError(v);
                }
                return 0;
            };
            Thread producer = Thread.ofPlatform().name("producer").start(() -> {
                for (int i = 0; i < n; ) {
                    if (put(rb, i) != 0) {
                        i++;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
            int thrown = 0;
            try (RingBufConsumer c = RingBufConsumer.create(rb, cb, mode)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (int call = 0; got.size() < n; call++) {
                    assertTrue(System.nanoTime() < deadline, "stuck after " + got.size() + " records");
                    int before = got.size();
                    try {
                        int r = switch (call % 3) {
                            case 0 -> c.poll(5);
                            case 1 -> c.consume();
                            default -> c.consumeN(50);
                        };
                        assertTrue(r >= 0, "consuming call returned " + r);
                        assertEquals(got.size() - before, r, "count returned = callbacks made");
                    } catch (Boom | BoomError e) {
                        thrown++;
                        int last = got.get(got.size() - 1);
                        assertEquals("callback " + (e instanceof Error ? "error" : "failed") + " at " + last,
                                e.getMessage(), "the callback's own throwable reaches the caller");
                        // the record that threw is consumed: consumer_pos is past it
                        assertTrue(c.ring(0).consumerPos() >= (long) got.size() * REC);
                    }
                }
            }
            producer.join();
            assertEquals(n, got.size());
            for (int i = 0; i < n; i++) {
                if (got.get(i) != i) {
                    fail("record " + i + " arrived as " + got.get(i) + " (lost or repeated)");
                }
            }
            assertEquals((n + 3) / 7, thrown, "every throwing record threw once");
            assertEquals(rb.query(BpfRingBuf.BPF_RB_PROD_POS), rb.query(BpfRingBuf.BPF_RB_CONS_POS));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // A producer that dies between reserve and commit

    /** Reserves one record on a thread that then ends without committing it. */
    private static long reserveAndDie(BpfRingBuf rb) throws Exception {
        CompletableFuture<Long> h = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("dying-producer").start(() -> h.complete(rb.reserve(4)));
        t.join();
        long handle = h.get();
        assertNotEquals(0, handle);
        return handle;
    }

    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void deadProducerStallsTheConsumerAsInTheKernelAndTheDiagnosticSaysWhereAndHowLong(Ring.Mode mode)
            throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            List<Integer> got = new ArrayList<>();
            RawSampleCallback cb = (d, off, len) -> got.add(d.get(JAVA_INT, off)) ? 0 : -1;
            try (RingBufConsumer c = RingBufConsumer.create(rb, cb, mode)) {
                Ring ring = c.ring(0);
                assertEquals(Ring.NOT_STALLED, ring.stalledPosition());
                assertEquals(0, ring.stalledNanos());

                put(rb, 0);
                put(rb, 1);
                long dead = reserveAndDie(rb);          // record 2 at position 32, never committed
                long deadPos = dead - RingBufDescriptor.HDR_SZ;
                for (int v = 3; v < 10; v++) {
                    assertNotEquals(0, put(rb, v));     // committed after it
                }

                assertEquals(2, c.consume());
                assertEquals(List.of(0, 1), got, "stops at the BUSY record, as the kernel's consumer");
                assertEquals(deadPos, ring.consumerPos());
                assertEquals(deadPos, ring.stalledPosition());
                long t0 = ring.stalledNanos();
                assertTrue(t0 > 0);
                Thread.sleep(30);
                assertEquals(0, c.consume());
                assertEquals(0, c.poll(20), "level-triggered: ready (unconsumed bytes), but nothing to read");
                assertEquals(deadPos, ring.stalledPosition(), "the same record, still BUSY");
                long t1 = ring.stalledNanos();
                assertTrue(t1 >= t0 + TimeUnit.MILLISECONDS.toNanos(30),
                        "measured from the first time a consume call found it BUSY: " + t0 + " then " + t1);

                // The kernel's rule holds: pending_pos cannot pass the BUSY record, so once the ring
                // wraps onto it every other producer's reservation fails.
                int more = 0;
                while (put(rb, 100 + more) != 0) {
                    more++;
                }
                // at most size - 8 bytes from pending_pos (the dead record): 255 records, 8 already there
                assertEquals((PAGE - 8) / REC - 8, more, "reservations up to the dead record, then none");
                assertEquals(List.of(0, 1), got);
                assertEquals(deadPos, ring.stalledPosition());

                // Nothing changed the behaviour: once someone commits the record, everything flows.
                rb.sampleArea().set(JAVA_INT, rb.sampleOffset(dead), 2);
                rb.submit(dead, 0);
                assertEquals(Ring.NOT_STALLED, ring.stalledPosition());
                assertEquals(0, ring.stalledNanos());
                assertEquals(8 + more, c.consume());
                List<Integer> want = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
                for (int i = 0; i < more; i++) {
                    want.add(100 + i);
                }
                assertEquals(want, got);
                assertEquals(Ring.NOT_STALLED, ring.stalledPosition());
            }
        }
    }

    @Test
    void stallDiagnosticFollowsTheNextStallAndClearsWhenPassed() throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE);
             RingBufConsumer c = RingBufConsumer.create(rb, (d, off, len) -> 0, Ring.Mode.LIBBPF)) {
            Ring ring = c.ring(0);
            long h1 = rb.reserve(4);
            put(rb, 1);
            long h2 = rb.reserve(4);
            assertEquals(0, c.consume());
            assertEquals(0, ring.stalledPosition());
            rb.submit(h1, 0);
            assertEquals(Ring.NOT_STALLED, ring.stalledPosition(), "committed: no longer BUSY");
            assertEquals(2, c.consume());
            assertEquals(2 * REC, ring.stalledPosition(), "now stopped at the second BUSY record");
            rb.discard(h2, 0);
            assertEquals(0, c.consume());
            assertEquals(Ring.NOT_STALLED, ring.stalledPosition());
            assertEquals(0, ring.stalledNanos());
        }
    }

    @Test
    void consumingBehindAStalledRecordAllocatesNothing() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE);
             RingBufConsumer c = RingBufConsumer.create(rb, (d, off, len) -> 0, Ring.Mode.LIBBPF)) {
            reserveAndDie(rb);
            Ring ring = c.ring(0);
            for (int i = 0; i < 20_000; i++) { // warm up
                c.consume();
                ring.stalledPosition();
            }
            long me = Thread.currentThread().threadId();
            long before = threads.getThreadAllocatedBytes(me);
            for (int i = 0; i < 100_000; i++) {
                c.consume();
            }
            long after = threads.getThreadAllocatedBytes(me);
            // one object per call would be >= 1.6 MB; allow the JIT's own few hundred bytes
            assertTrue(after - before < 16_000,
                    (after - before) + " bytes allocated by 100,000 consume calls stalled behind a BUSY record");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // close() and interrupt while a consumer waits with a finite timeout

    private static Thread startPoller(RingBufConsumer c, int timeoutMs, CompletableFuture<long[]> result) {
        return Thread.ofPlatform().daemon().name("poller").start(() -> {
            long t0 = System.nanoTime();
            int r = c.poll(timeoutMs);
            result.complete(new long[] {r, System.nanoTime() - t0, Thread.currentThread().isInterrupted() ? 1 : 0});
        });
    }

    private static void awaitParked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(LockSupport.getBlocker(t) instanceof PollWaiter)) {
            assertTrue(System.nanoTime() < deadline, "poll never went to sleep");
            Thread.yield();
        }
    }

    @Test
    void closeDuringATimedPollReturnsEbadfPromptly() throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE)) {
            RingBufConsumer c = RingBufConsumer.create(rb, (d, off, len) -> 0, Ring.Mode.LIBBPF);
            CompletableFuture<long[]> res = new CompletableFuture<>();
            Thread t = startPoller(c, 30_000, res);
            awaitParked(t);
            long closedAt = System.nanoTime();
            c.close();
            long[] r = res.get(5, TimeUnit.SECONDS);
            assertEquals(Errno.EBADF, r[0]);
            assertTrue(System.nanoTime() - closedAt < TimeUnit.SECONDS.toNanos(2), "returned promptly, not at the 30 s timeout");
            assertEquals(Errno.EBADF, c.poll(0), "and every later call says so");
            assertEquals(Errno.EBADF, c.consume());
        }
    }

    @Test
    void closingTheRingUnderAConsumerStalledBehindADeadProducerEndsItsPoll() throws Exception {
        BpfRingBuf rb = BpfRingBuf.create(PAGE);
        try (RingBufConsumer c = RingBufConsumer.create(rb, (d, off, len) -> 0, Ring.Mode.BATCHED)) {
            reserveAndDie(rb);
            assertEquals(0, c.poll(10), "stalled: ready but nothing to read");
            AtomicLong last = new AtomicLong(1);
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().daemon().start(() -> {
                try {
                    long r;
                    do {
                        r = c.poll(1000); // spins: the BUSY record keeps the ring readable
                    } while (r == 0);
                    last.set(r);
                    thrown.complete(null);
                } catch (Throwable e) {
                    thrown.complete(e);
                }
            });
            Thread.sleep(50);
            rb.close();
            t.join(5000);
            assertTrue(!t.isAlive(), "poll loop ended");
            Throwable e = thrown.get();
            // Either poll noticed the close (-EBADF) or the unmapping caught it mid-read: the
            // documented IllegalStateException of any access after close. Never a hang or a crash.
            assertTrue(e == null ? last.get() == Errno.EBADF : e instanceof IllegalStateException,
                    "poll ended with " + (e == null ? "result " + last.get() : e.toString()));
        }
    }

    @Test
    void interruptDuringATimedPollReturnsEintrPromptlyAndKeepsTheInterrupt() throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(PAGE);
             RingBufConsumer c = RingBufConsumer.create(rb, (d, off, len) -> 0, Ring.Mode.LIBBPF)) {
            CompletableFuture<long[]> res = new CompletableFuture<>();
            Thread t = startPoller(c, 30_000, res);
            awaitParked(t);
            t.interrupt();
            long[] r = res.get(5, TimeUnit.SECONDS);
            assertEquals(Errno.EINTR, r[0]);
            assertTrue(r[1] < TimeUnit.SECONDS.toNanos(5), "returned promptly, not at the 30 s timeout");
            assertEquals(1, r[2], "the thread's interrupt status is kept, as for other blocking calls");
            // the consumer still works afterwards
            put(rb, 7);
            assertEquals(1, c.poll(1000));
        }
    }
}
