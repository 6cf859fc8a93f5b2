package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_CONS_POS;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_PROD_POS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many producers, one consumer (spec section 5: "records become visible in reservation order, even
 * across producers", and section 7's consumer). More producer threads than the 2 cores here.
 *
 * <p>Payload of a reserved record ({@code size} bytes, 0..200, truncated when shorter): handle (8),
 * producer id (4), per-producer sequence (4), then a pattern of (producer, seq). Producers log every
 * successful reservation (handle, size, checksum, discarded); the consumer logs what it receives.
 * The check then walks the ring from position 0: every reservation must follow the previous one
 * without a gap, and the consumer must have received exactly the submitted ones, in that order,
 * with the producer's size and checksum.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiProducerTest {
    private static final long RING = 16 * 1024;
    private static final int PER_PRODUCER = 50_000;
    private static final int MAX_PAYLOAD = 200;
    private static final long RUN_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    static Stream<Arguments> matrix() {
        List<Arguments> args = new ArrayList<>();
        for (int producers : new int[] {2, 4, 8}) {
            for (LockEra era : LockEra.values()) {
                for (Ring.Mode mode : Ring.Mode.values()) {
                    args.add(Arguments.of(producers, era, mode));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} producers, {1}, {2}")
    @MethodSource("matrix")
    void reservationsArriveCompleteAndInReservationOrder(int producers, LockEra era, Ring.Mode mode)
            throws Exception {
        try (BpfRingBuf rb = BpfRingBuf.create(RING, 0, era)) {
            Log[] logs = run(rb, mode, producers, false, (p, log, r) -> reserveLoop(rb, p, log, r, false));
            verifyChain(rb, logs, run.consumerLog);
        }
    }

    /** Records made with output() carry no handle: the consumer checks contiguity and content itself. */
    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void outputFromManyProducersArrivesCompleteAndInOrder(Ring.Mode mode) throws Exception {
        int producers = 4;
        try (BpfRingBuf rb = BpfRingBuf.create(RING)) {
            Log[] logs = run(rb, mode, producers, true, (p, log, r) -> outputLoop(rb, p, log, r));
            ConsumerLog got = run.consumerLog;
            assertEquals(producers * PER_PRODUCER, got.count);
            long pos = 0;
            for (int k = 0; k < got.count; k++) {
                assertEquals(pos + 8, got.handle[k], "record " + k + " follows the previous one");
                pos += RingBufDescriptor.recordSize(got.len[k]);
            }
            assertEquals(pos, rb.query(BPF_RB_PROD_POS));
            assertEquals(pos, rb.query(BPF_RB_CONS_POS));
            for (Log log : logs) {
                assertEquals(PER_PRODUCER, log.count);
            }
        }
    }

    /** Under the 5.8 lock an NMI reservation fails when the lock is held; nothing else may go wrong. */
    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void nmiReservationsMixedInUnderSpinlock58(Ring.Mode mode) throws Exception {
        int producers = 4;
        try (BpfRingBuf rb = BpfRingBuf.create(RING, 0, LockEra.SPINLOCK_5_8)) {
            Log[] logs = run(rb, mode, producers, false, (p, log, r) -> reserveLoop(rb, p, log, r, true));
            verifyChain(rb, logs, run.consumerLog);
            long nmiCalls = Arrays.stream(logs).mapToLong(l -> l.nmiCalls).sum();
            long nmiNulls = Arrays.stream(logs).mapToLong(l -> l.nmiNulls).sum();
            assertEquals(nmiCalls, rb.nmiAttempts());
            assertTrue(rb.nmiFailures() <= nmiNulls, rb.nmiFailures() + " lock failures > " + nmiNulls + " NULLs");
            long successes = Arrays.stream(logs).mapToLong(l -> l.count).sum();
            assertEquals(producers * (long) PER_PRODUCER, successes + nmiNulls);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Producers

    @FunctionalInterface
    private interface ProducerBody {
        void produce(int p, Log log, Run run);
    }

    /** Reserve, fill, submit or (sometimes) discard; a NULL from a plain reserve is retried. */
    private static void reserveLoop(BpfRingBuf rb, int p, Log log, Run run, boolean nmiMix) {
        MemorySegment area = rb.sampleArea();
        for (int seq = 0; seq < PER_PRODUCER && !run.abort; seq++) {
            int size = sizeOf(p, seq, 0);
            long h;
            if (nmiMix && seq % 3 == 0) {
                log.nmiCalls++;
                h = rb.reserveNmi(size);
                if (h == 0) {
                    log.nmiNulls++; // a drop, as a BPF program in NMI would count it
                    continue;
                }
            } else {
                h = reserveRetrying(rb, size, run);
                if (h == 0) {
                    return;
                }
            }
            long sum = fill(area, rb.sampleOffset(h), h, p, seq, size);
            boolean discard = mix(p, seq) % 13 == 0;
            if (discard) {
                rb.discard(h, 0);
            } else {
                rb.submit(h, 0);
            }
            log.add(h, size, sum, discard);
        }
    }

    private static long reserveRetrying(BpfRingBuf rb, int size, Run run) {
        for (int tries = 0; ; tries++) {
            long h = rb.reserve(size);
            if (h != 0 || run.abort) {
                return h;
            }
            backOff(tries);
        }
    }

    /** output() with payload (producer, seq, pattern), 8..200 bytes; -EAGAIN is retried. */
    private static void outputLoop(BpfRingBuf rb, int p, Log log, Run run) {
        byte[] buf = new byte[MAX_PAYLOAD];
        MemorySegment src = MemorySegment.ofArray(buf);
        for (int seq = 0; seq < PER_PRODUCER && !run.abort; seq++) {
            int size = sizeOf(p, seq, 8);
            for (int i = 0; i < size; i++) {
                buf[i] = outputByte(p, seq, i);
            }
            for (int tries = 0; ; tries++) {
                long r = rb.output(src.asSlice(0, size), 0);
                if (r == 0) {
                    break;
                }
                assertEquals(Errno.EAGAIN, r);
                if (run.abort) {
                    return;
                }
                backOff(tries);
            }
            log.count++;
        }
    }

    private static void backOff(int tries) {
        if (tries < 32) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Payload

    private static int mix(int p, int seq) {
        int x = p * 0x9E3779B1 + seq * 0x85EBCA77;
        x ^= x >>> 15;
        x *= 0x2C1B3C6D;
        x ^= x >>> 13;
        return x & 0x7FFF_FFFF;
    }

    private static int sizeOf(int p, int seq, int min) {
        return min + mix(p, seq) % (MAX_PAYLOAD + 1 - min);
    }

    private static byte pattern(int p, int seq, int i) {
        return (byte) (mix(p, seq) * 31 + i * 7);
    }

    /** Byte i of a reserved record's payload: handle, producer, seq (little-endian), then pattern. */
    private static byte reservedByte(long h, int p, int seq, int i) {
        if (i < 8) {
            return (byte) (h >>> (8 * i));
        } else if (i < 12) {
            return (byte) (p >>> (8 * (i - 8)));
        } else if (i < 16) {
            return (byte) (seq >>> (8 * (i - 12)));
        }
        return pattern(p, seq, i);
    }

    private static byte outputByte(int p, int seq, int i) {
        if (i < 4) {
            return (byte) (p >>> (8 * i));
        } else if (i < 8) {
            return (byte) (seq >>> (8 * (i - 4)));
        }
        return pattern(p, seq, i);
    }

    private static long fill(MemorySegment area, long off, long h, int p, int seq, int size) {
        long sum = FNV_BASIS;
        for (int i = 0; i < size; i++) {
            byte b = reservedByte(h, p, seq, i);
            area.set(JAVA_BYTE, off + i, b);
            sum = fnv(sum, b);
        }
        return sum;
    }

    private static final long FNV_BASIS = 0xCBF29CE484222325L;

    private static long fnv(long sum, byte b) {
        return (sum ^ (b & 0xFF)) * 0x100000001B3L;
    }

    private static long littleEndian(MemorySegment d, long off, int from, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (d.get(JAVA_BYTE, off + from + i) & 0xFF);
        }
        return v;
    }

    // ---------------------------------------------------------------------------------------------
    // Logs and the run

    /** One producer's successful reservations, in its program order. Written by that producer only. */
    private static final class Log {
        long[] handle = new long[1024];
        int[] size = new int[1024];
        long[] sum = new long[1024];
        boolean[] discarded = new boolean[1024];
        int count;
        long nmiCalls;
        long nmiNulls;

        void add(long h, int s, long c, boolean d) {
            if (count == handle.length) {
                int n = count * 2;
                handle = Arrays.copyOf(handle, n);
                size = Arrays.copyOf(size, n);
                sum = Arrays.copyOf(sum, n);
                discarded = Arrays.copyOf(discarded, n);
            }
            handle[count] = h;
            size[count] = s;
            sum[count] = c;
            discarded[count] = d;
            count++;
        }

        long submitted() {
            long n = 0;
            for (int i = 0; i < count; i++) {
                n += discarded[i] ? 0 : 1;
            }
            return n;
        }
    }

    /**
     * What the consumer received, with the handle rebuilt from the sample's offset: records in
     * the ring at once lie less than {@code size} apart, so the next handle is the first position
     * after the previous one with that offset. Checks per-producer order as it goes.
     */
    private static final class ConsumerLog implements RawSampleCallback {
        final long mask;
        final boolean output;
        final long[] handle;
        final int[] len;
        final long[] sum;
        final int[] lastSeq;
        volatile int count;

        ConsumerLog(long mask, boolean output, int producers, int capacity) {
            this.mask = mask;
            this.output = output;
            this.handle = new long[capacity];
            this.len = new int[capacity];
            this.sum = new long[capacity];
            this.lastSeq = new int[producers];
            Arrays.fill(lastSeq, -1);
        }

        @Override
        public int onSample(MemorySegment d, long off, int length) {
            int k = count;
            long prev = k == 0 ? 0 : handle[k - 1];
            long h = prev + ((off - prev) & mask);
            if (h == prev) {
                fail("record " + k + " has the previous record's offset");
            }
            long s = FNV_BASIS;
            for (int i = 0; i < length; i++) {
                s = fnv(s, d.get(JAVA_BYTE, off + i));
            }
            if (output) {
                checkOutput(d, off, length, k);
            } else {
                checkReserved(d, off, length, h, k);
            }
            handle[k] = h;
            len[k] = length;
            sum[k] = s;
            count = k + 1;
            return 0;
        }

        private void checkReserved(MemorySegment d, long off, int length, long h, int k) {
            int n = Math.min(length, 8);
            long mask8 = n == 8 ? -1L : (1L << (8 * n)) - 1;
            assertEquals(h & mask8, littleEndian(d, off, 0, n), "record " + k + ": embedded handle");
            if (length >= 16) {
                checkSeq((int) littleEndian(d, off, 8, 4), (int) littleEndian(d, off, 12, 4), k, false);
            }
        }

        private void checkOutput(MemorySegment d, long off, int length, int k) {
            int p = (int) littleEndian(d, off, 0, 4);
            int seq = (int) littleEndian(d, off, 4, 4);
            checkSeq(p, seq, k, true);
            assertEquals(sizeOf(p, seq, 8), length, "record " + k + ": length");
            for (int i = 8; i < length; i++) {
                if (d.get(JAVA_BYTE, off + i) != outputByte(p, seq, i)) {
                    fail("record " + k + " (producer " + p + ", seq " + seq + "): byte " + i + " corrupt");
                }
            }
        }

        /** Per-producer order: strictly increasing, and without gaps when nothing can be dropped. */
        private void checkSeq(int p, int seq, int k, boolean exact) {
            assertTrue(p >= 0 && p < lastSeq.length, "record " + k + ": producer id " + p);
            if (exact ? seq != lastSeq[p] + 1 : seq <= lastSeq[p]) {
                fail("record " + k + ": producer " + p + " seq " + seq + " after " + lastSeq[p]);
            }
            lastSeq[p] = seq;
        }
    }

    /** State shared by one run's threads. */
    private static final class Run {
        volatile boolean abort;
        ConsumerLog consumerLog;
    }

    private Run run;

    /** Starts the producers together and consumes with poll on this thread until all arrived. */
    private Log[] run(BpfRingBuf rb, Ring.Mode mode, int producers, boolean output, ProducerBody body)
            throws Exception {
        run = new Run();
        run.consumerLog = new ConsumerLog(rb.size() - 1, output, producers, producers * PER_PRODUCER);
        Log[] logs = new Log[producers];
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(producers);
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int id = p;
            logs[p] = new Log();
            threads[p] = Thread.ofPlatform().name("producer-" + p).start(() -> {
                try {
                    start.await();
                    body.produce(id, logs[id], run);
                } catch (Throwable t) {
                    errors.add(t);
                    run.abort = true;
                } finally {
                    done.countDown();
                }
            });
        }
        try (RingBufConsumer c = RingBufConsumer.create(rb, run.consumerLog, mode)) {
            start.countDown();
            consumeUntilAllArrived(c, logs, done, output, errors);
        } finally {
            run.abort = true;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertTrue(errors.isEmpty(), () -> "producer failed: " + errors.peek());
        return logs;
    }

    private void consumeUntilAllArrived(RingBufConsumer c, Log[] logs, CountDownLatch done, boolean output,
                                        Queue<Throwable> errors) {
        long deadline = System.nanoTime() + RUN_DEADLINE_NANOS;
        long expected = -1;
        while (expected < 0 || run.consumerLog.count < expected) {
            int r = c.poll(100);
            assertTrue(r >= 0, "poll returned " + r);
            if (!errors.isEmpty()) {
                fail("producer failed", errors.peek());
            }
            if (expected < 0 && done.getCount() == 0) {
                expected = Arrays.stream(logs).mapToLong(l -> output ? l.count : l.submitted()).sum();
            }
            if (System.nanoTime() > deadline) {
                fail("consumer got " + run.consumerLog.count + " of " + expected + " records in time");
            }
        }
        assertEquals(0, c.consume(), "nothing beyond the records produced");
    }

    /**
     * Walks the ring from position 0 over every successful reservation, in handle (= reservation)
     * order: each must start where the previous ended, and the consumer must have received exactly
     * the submitted ones, in this order, with their size and checksum.
     */
    private static void verifyChain(BpfRingBuf rb, Log[] logs, ConsumerLog got) {
        Map<Long, long[]> byHandle = new HashMap<>(); // handle -> {producer, index}
        int reservations = 0;
        for (int p = 0; p < logs.length; p++) {
            for (int i = 0; i < logs[p].count; i++) {
                byHandle.put(logs[p].handle[i], new long[] {p, i});
                reservations++;
            }
        }
        assertEquals(reservations, byHandle.size(), "a handle was returned twice");
        long pos = 0;
        int k = 0;
        for (int n = 0; n < reservations; n++) {
            long[] at = byHandle.get(pos + 8);
            assertNotNull(at, "no reservation at position " + pos + ": a gap");
            Log log = logs[(int) at[0]];
            int i = (int) at[1];
            if (!log.discarded[i]) {
                assertTrue(k < got.count, "submitted record at " + pos + " never arrived");
                assertEquals(pos + 8, got.handle[k], "arrival " + k + " out of reservation order");
                assertEquals(log.size[i], got.len[k], "arrival " + k + ": length");
                assertEquals(log.sum[i], got.sum[k], "arrival " + k + ": checksum");
                k++;
            }
            pos += RingBufDescriptor.recordSize(log.size[i]);
        }
        assertEquals(got.count, k, "records arrived that were never submitted");
        assertEquals(pos, rb.query(BPF_RB_PROD_POS));
        assertEquals(pos, rb.query(BPF_RB_CONS_POS));
    }
}
