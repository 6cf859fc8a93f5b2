package dev.ringbench.competitors;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * The soak of one channel: every producer thread writes its numbered records as fast as the
 * channel takes them (until each has committed its share: aborted records do not count), one
 * consumer thread awaits them under the channel's own wait strategy, and
 * every record is checked. Used by {@code ChannelSoakTest} (bounded in {@code mvn test}, long in
 * {@code scripts/soak.sh channels}).
 *
 * <h2>Records</h2>
 * A record of producer {@code p} with sequence {@code seq} has a length fixed by {@code (p, seq)}
 * ({@link #lengthOf}: three in four between 16 and 64 bytes, the rest up to 261, some not a
 * multiple of 8); its first 8 bytes hold {@code p}, the length and {@code seq}; every later byte is
 * a checksum stream seeded by that word ({@link #word}), so one flipped, stale or torn byte
 * anywhere is detected. Where the channel can reserve ({@link Capabilities#reserveCommit()}), two
 * in three records are claimed and written in place and one in three offered (copied); where it
 * can discard, every seventh claimed record is aborted instead of committed. Which records are
 * claimed and aborted is a function of {@code seq}, so the checker knows exactly which ones must
 * arrive. A full channel makes the producer retry the same record (the channel counts a drop).
 *
 * <h2>What fails</h2>
 * Per producer, records must arrive in sequence with no gap except aborted ones: a gap is
 * <em>lost</em>, a sequence at or below one already seen is <em>duplicated or reordered</em>, a
 * wrong length, producer or byte is <em>corrupt</em>, an aborted record delivered is
 * <em>discard delivered</em>. At the end the consumer must have exactly every committed record,
 * and the channel's own delivered counter must agree.
 */
final class ChannelSoak {
    /** Largest payload {@link #lengthOf} returns. */
    static final int MAX_LENGTH = 264;
    static final int MIN_LENGTH = 16;
    private static final long SEQ_MASK = (1L << 44) - 1;

    /** What one run moved and found. */
    record Result(ChannelKind kind, int producers, long committed, long delivered, long discarded, long drops,
                  long lost, long duplicatedOrReordered, long corrupt, long discardDelivered, boolean timeCapped,
                  double seconds, String error) {
        boolean clean() {
            return lost == 0 && duplicatedOrReordered == 0 && corrupt == 0 && discardDelivered == 0
                    && delivered == committed && error == null;
        }

        String line() {
            return String.format(Locale.ROOT,
                    "%-24s p=%d delivered %,d of %,d committed; discarded %,d; full-channel retries %,d; "
                            + "lost %d, duplicated/reordered %d, corrupt %d, discard delivered %d; %.1f s, %,.0f records/s%s%s",
                    kind, producers, delivered, committed, discarded, drops, lost, duplicatedOrReordered, corrupt,
                    discardDelivered, seconds, delivered / Math.max(seconds, 1e-9),
                    timeCapped ? " (time cap reached)" : "", error == null ? "" : "; ERROR " + error);
        }
    }

    private ChannelSoak() {
    }

    /** Payload length of record {@code seq} of producer {@code p}: 16..261 bytes, mostly small. */
    static int lengthOf(int p, long seq) {
        int k = (int) ((seq * 0x9E3779B1L + p * 0x85EBCA6BL) >>> 11) & 0xFF;
        return (seq & 3) != 0 ? MIN_LENGTH + 8 * (k % 7) : MIN_LENGTH + 8 * (k % 31) + (k & 1) * 5;
    }

    /** Whether record {@code seq} is claimed and written in place (else offered). */
    static boolean claimed(Capabilities c, long seq) {
        return c.reserveCommit() && seq % 3 != 0;
    }

    /** Whether record {@code seq} is claimed and then aborted (never to be delivered). */
    static boolean aborted(Capabilities c, long seq) {
        return c.discard() && claimed(c, seq) && seq % 7 == 3;
    }

    static long header(int p, int len, long seq) {
        return ((long) p << 56) | ((long) len << 44) | (seq & SEQ_MASK);
    }

    /** Word {@code i} (from 1) of the checksum stream seeded by the header (splitmix64). */
    static long word(long header, int i) {
        long z = header + i * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static void fill(MemorySegment seg, long off, int len, long header) {
        seg.set(JAVA_LONG_UNALIGNED, off, header);
        int i = 8;
        for (; i + 8 <= len; i += 8) {
            seg.set(JAVA_LONG_UNALIGNED, off + i, word(header, i >>> 3));
        }
        if (i < len) {
            long w = word(header, i >>> 3);
            for (; i < len; i++, w >>>= 8) {
                seg.set(JAVA_BYTE, off + i, (byte) w);
            }
        }
    }

    static boolean intact(MemorySegment seg, long off, int len, long header) {
        int i = 8;
        for (; i + 8 <= len; i += 8) {
            if (seg.get(JAVA_LONG_UNALIGNED, off + i) != word(header, i >>> 3)) {
                return false;
            }
        }
        if (i < len) {
            long w = word(header, i >>> 3);
            for (; i < len; i++, w >>>= 8) {
                if (seg.get(JAVA_BYTE, off + i) != (byte) w) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The consumer's check of every record. Consumer thread only; totals read after it ends. */
    static final class Checker implements RecordHandler {
        private final Capabilities caps;
        final long[] next;
        long delivered;
        long lost;
        long duplicatedOrReordered;
        long corrupt;
        long discardDelivered;
        String firstError;

        Checker(Capabilities caps, int producers) {
            this.caps = caps;
            this.next = new long[producers];
        }

        @Override
        public void onRecord(MemorySegment data, long offset, int length) {
            delivered++;
            if (length < 8) {
                error("record of " + length + " bytes");
                corrupt++;
                return;
            }
            long h = data.get(JAVA_LONG_UNALIGNED, offset);
            int p = (int) (h >>> 56);
            int len = (int) (h >>> 44) & 0xFFF;
            long seq = h & SEQ_MASK;
            if (p >= next.length || len != length || len != lengthOf(p, seq) || !intact(data, offset, length, h)) {
                error("corrupt record: length " + length + ", header 0x" + Long.toHexString(h));
                corrupt++;
                return;
            }
            if (aborted(caps, seq)) {
                error("producer " + p + ": aborted record " + seq + " delivered");
                discardDelivered++;
            }
            long want = skipAborted(next[p]);
            if (seq < want) {
                error("producer " + p + ": record " + seq + " after " + (want - 1));
                duplicatedOrReordered++;
                return;
            }
            if (seq > want) {
                long gap = 0;
                for (long s = want; s < seq; s++) {
                    gap += aborted(caps, s) ? 0 : 1;
                }
                if (gap > 0) {
                    error("producer " + p + ": " + gap + " record(s) lost before " + seq);
                    lost += gap;
                }
            }
            next[p] = seq + 1;
        }

        long skipAborted(long s) {
            while (aborted(caps, s)) {
                s++;
            }
            return s;
        }

        private void error(String e) {
            if (firstError == null) {
                firstError = e;
            }
        }
    }

    /**
     * Soaks a new channel of {@code kind} with {@code producers} producers until each committed
     * {@code recordsPerProducer} records (aborted ones not counted) or {@code maxSeconds} passed.
     */
    static Result run(ChannelKind kind, int producers, long recordsPerProducer, double maxSeconds) throws InterruptedException {
        ChannelConfig cfg = ChannelConfig.defaults().withCapacityBytes(256 * 1024).withProducers(producers)
                .withMaxRecordLength(MAX_LENGTH);
        try (Channel ch = kind.create(cfg)) {
            return run(kind, ch, recordsPerProducer, maxSeconds);
        }
    }

    static Result run(ChannelKind kind, Channel ch, long recordsPerProducer, double maxSeconds) throws InterruptedException {
        int n = ch.producers();
        Capabilities caps = ch.capabilities();
        Checker checker = new Checker(caps, n);
        long[] sent = new long[n];        // records attempted (committed or aborted), per producer
        long[] committed = new long[n];
        long[] discarded = new long[n];
        long start = System.nanoTime();
        long deadline = start + (long) (maxSeconds * 1e9);
        AtomicBoolean capped = new AtomicBoolean();
        AtomicBoolean producersDone = new AtomicBoolean();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());

        Thread[] threads = new Thread[n];
        for (int id = 0; id < n; id++) {
            int p = id;
            threads[p] = new Thread(() -> {
                ChannelProducer pr = ch.producer(p);
                MemorySegment src = MemorySegment.ofArray(new long[MAX_LENGTH / 8 + 1]);
                long seq = 0;
                long c = 0;
                long d = 0;
                try {
                    for (; c < recordsPerProducer; seq++) {
                        if ((seq & 1023) == 0 && System.nanoTime() - deadline > 0) {
                            capped.set(true);
                            break;
                        }
                        int len = lengthOf(p, seq);
                        long h = header(p, len, seq);
                        if (claimed(caps, seq)) {
                            for (int spins = 0; !pr.tryClaim(len); spins++) {
                                backOff(spins);
                            }
                            fill(pr.buffer(), pr.offset(), len, h);
                            if (aborted(caps, seq)) {
                                pr.abort();
                                d++;
                            } else {
                                pr.commit();
                                c++;
                            }
                        } else {
                            fill(src, 0, len, h);
                            for (int spins = 0; !pr.offer(src, 0, len); spins++) {
                                backOff(spins);
                            }
                            c++;
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    sent[p] = seq;
                    committed[p] = c;
                    discarded[p] = d;
                }
            }, "soak-producer-" + p);
        }
        long[] expectedTotal = {-1};
        Thread consumer = new Thread(() -> {
            try {
                while (true) {
                    int r = ch.await(checker, 4096, 10_000_000L);
                    if (r < 0) {
                        return;
                    }
                    if (producersDone.get() && checker.delivered >= expectedTotal[0]) {
                        ch.poll(checker, Integer.MAX_VALUE); // anything beyond is a duplicate: count it
                        return;
                    }
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }, "soak-consumer");
        consumer.start();
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long total = 0;
        for (long c : committed) {
            total += c;
        }
        expectedTotal[0] = total;
        producersDone.set(true); // publishes expectedTotal
        double seconds = (System.nanoTime() - start) / 1e9;
        consumer.join(60_000);
        String error = checker.firstError;
        if (consumer.isAlive()) {
            ch.shutdown();
            consumer.join(10_000);
            error = "consumer still waiting 60 s after the producers ended, " + checker.delivered + " of " + total
                    + (error == null ? "" : "; " + error);
        }
        if (!failures.isEmpty()) {
            error = failures.get(0).toString();
        }
        long lost = checker.lost;
        for (int p = 0; p < n; p++) {
            long want = checker.skipAborted(checker.next[p]);
            if (want < sent[p]) {
                long tail = 0;
                for (long s = want; s < sent[p]; s++) {
                    tail += aborted(caps, s) ? 0 : 1;
                }
                lost += tail;
                if (error == null && tail > 0) {
                    error = "producer " + p + ": last " + tail + " record(s) never arrived";
                }
            }
        }
        long counted = ch.counters().delivered();
        if (error == null && counted != checker.delivered) {
            error = "channel counted " + counted + " delivered, the consumer saw " + checker.delivered;
        }
        long disc = 0;
        for (long d : discarded) {
            disc += d;
        }
        return new Result(kind, n, total, checker.delivered, disc, ch.counters().drops(), lost,
                checker.duplicatedOrReordered, checker.corrupt, checker.discardDelivered, capped.get(), seconds, error);
    }

    private static void backOff(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
