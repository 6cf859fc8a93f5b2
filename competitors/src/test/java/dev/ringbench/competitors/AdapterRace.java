package dev.ringbench.competitors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared by the adapter tests (Agrona, Disruptor, JCTools): records that identify their producer
 * and sequence, a checker for them, and a race of every producer against one consumer.
 */
public final class AdapterRace {
    private AdapterRace() {
    }


    /** Payload length of record {@code seq}: 8..max, varied. */
    public static int lengthOf(int seq, int max) {
        return 8 + (seq * 7) % (max - 8 + 1);
    }

    public static void fill(MemorySegment seg, long off, int len, int producer, int seq) {
        seg.set(ValueLayout.JAVA_INT_UNALIGNED, off, producer);
        seg.set(ValueLayout.JAVA_INT_UNALIGNED, off + 4, seq);
        for (int i = 8; i < len; i++) {
            seg.set(ValueLayout.JAVA_BYTE, off + i, (byte) (producer * 31 + seq + i));
        }
    }

    /** Aborted records in claim mode: every fifth. */
    public static boolean aborted(int seq) {
        return seq % 5 == 0;
    }

    /**
     * Checks every record on the consumer thread: well formed, in order per producer, none lost
     * or duplicated (in claim mode the only gaps allowed are aborted sequences, never delivered).
     */
    public static final class Checker implements RecordHandler {
        public final int[] last;
        final int max;
        final boolean claim;
        public long total;
        public String error;

        public Checker(int producers, int max, boolean claim) {
            this.last = new int[producers];
            java.util.Arrays.fill(last, -1);
            this.max = max;
            this.claim = claim;
        }

        @Override
        public void onRecord(MemorySegment data, long offset, int length) {
            total++;
            if (error != null) {
                return;
            }
            if (length < 8 || length > max) {
                error = "bad length " + length;
                return;
            }
            int p = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
            int seq = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 4);
            if (p < 0 || p >= last.length) {
                error = "bad producer " + p;
                return;
            }
            if (length != lengthOf(seq, max)) {
                error = "producer " + p + " seq " + seq + ": length " + length;
                return;
            }
            for (int i = 8; i < length; i++) {
                if (data.get(ValueLayout.JAVA_BYTE, offset + i) != (byte) (p * 31 + seq + i)) {
                    error = "producer " + p + " seq " + seq + ": corrupt byte " + i;
                    return;
                }
            }
            int prev = last[p];
            boolean ok = claim
                    ? !aborted(seq) && (seq == prev + 1 || (seq == prev + 2 && aborted(prev + 1)))
                    : seq == prev + 1;
            if (!ok) {
                error = "producer " + p + ": seq " + seq + " after " + prev;
            }
            last[p] = seq;
        }
    }

    /**
     * Runs every producer of {@code ch} on its own thread, {@code perProducer} records each (claim
     * mode: reserve, write in place, commit or abort every fifth; else offer from a native or heap
     * source), retrying on drops, against one consumer thread awaiting with {@code await}; then
     * checks the records and the counters.
     */
    public static void race(Channel ch, int perProducer, boolean claim) throws InterruptedException {
        int producers = ch.producers();
        int max = ch.maxRecordLength();
        long kept = claim ? java.util.stream.IntStream.range(0, perProducer).filter(s -> !aborted(s)).count() : perProducer;
        long expected = producers * kept;
        Checker checker = new Checker(producers, max, claim);
        long[] failures = new long[producers];
        Thread consumer = new Thread(() -> {
            while (checker.total < expected) {
                if (ch.await(checker, 64, 1_000_000) < 0) {
                    return;
                }
            }
        }, "consumer");
        Thread[] threads = new Thread[producers];
        for (int id = 0; id < producers; id++) {
            int p = id;
            threads[p] = new Thread(() -> {
                ChannelProducer pr = ch.producer(p);
                MemorySegment src = p % 2 == 0 ? Arena.ofAuto().allocate(max) : MemorySegment.ofArray(new byte[max]);
                long failed = 0;
                for (int seq = 0; seq < perProducer; seq++) {
                    int len = lengthOf(seq, max);
                    if (claim) {
                        while (!pr.tryClaim(len)) {
                            failed++;
                            Thread.yield();
                        }
                        fill(pr.buffer(), pr.offset(), len, p, seq);
                        if (aborted(seq)) {
                            pr.abort();
                        } else {
                            pr.commit();
                        }
                    } else {
                        fill(src, 0, len, p, seq);
                        while (!pr.offer(src, 0, len)) {
                            failed++;
                            Thread.yield();
                        }
                    }
                }
                failures[p] = failed;
            }, "producer-" + p);
        }
        consumer.start();
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join(30_000);
            assertFalse(t.isAlive(), t.getName() + " did not finish");
        }
        consumer.join(30_000);
        if (consumer.isAlive()) {
            ch.shutdown();
            consumer.join(10_000);
            fail("consumer got " + checker.total + " of " + expected + " records; " + checker.error);
        }
        assertNull(checker.error);
        assertEquals(expected, checker.total);
        for (int p = 0; p < producers; p++) {
            int lastSent = claim && aborted(perProducer - 1) ? perProducer - 2 : perProducer - 1;
            assertEquals(lastSent, checker.last[p], "last record of producer " + p);
        }
        ChannelCounters c = ch.counters();
        assertEquals(expected, c.delivered());
        assertEquals(java.util.Arrays.stream(failures).sum(), c.drops(), "every failed claim/offer is one drop");
        assertEquals(0, c.nmiFailures());
        assertEquals(0, c.lostReported());
    }

    /** Waits until {@code t} is parked (WAITING or TIMED_WAITING), or gives up after 10 s. */
    public static void awaitParked(Thread t) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                return;
            }
            Thread.sleep(1);
        }
        fail(t.getName() + " never parked");
    }

    /** Starts a consumer that awaits once with {@code timeoutNanos}; its result lands in {@code result}. */
    public static Thread awaitOnce(Channel ch, RecordHandler h, long timeoutNanos, CountDownLatch started,
                            java.util.concurrent.atomic.AtomicInteger result) {
        Thread t = new Thread(() -> {
            started.countDown();
            result.set(ch.await(h, 16, timeoutNanos));
        }, "awaiting-consumer");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
