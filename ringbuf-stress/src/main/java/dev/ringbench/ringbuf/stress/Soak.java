package dev.ringbench.ringbuf.stress;

import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.LockEra;
import dev.ringbench.ringbuf.RawSampleCallback;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.UserRingBuf;
import dev.ringbench.ringbuf.UserRingBufProducer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The soak run ({@code scripts/soak.sh MINUTES}): many minutes of multi-producer traffic through
 * the port, every record checksummed.
 *
 * <ul>
 *   <li>Two kernel-style rings of 256 KiB: ring 0 with the 6.15 lock and libbpf's consumer loop,
 *       ring 1 with the 5.8 lock and the batched loop. {@code P} producer threads (default 4)
 *       write to both, mixing reserve/submit, reserve/discard, output, the three wake-up flag
 *       choices and payloads of 8 to 1024 bytes; one consumer thread per ring polls.</li>
 *   <li>One user ring of 64 KiB: a user-space producer thread, a "kernel" drain thread.</li>
 * </ul>
 * Each record carries its producer, its per-(producer, ring) sequence number, its length and a
 * checksum of its payload, which is derived from those. The consumers check every record: the
 * checksum and the payload, and that each producer's sequence numbers arrive strictly increasing.
 * At the end every producer's committed count must equal what was consumed from it: a lost,
 * duplicated, reordered or corrupted record fails the run (exit 1).
 */
public final class Soak {
    private static final int HDR = 24; // producer (4), length (4), seq (8), checksum (8)
    private static final int RINGS = 2;

    private final int producers;
    private final long deadline;
    private final BpfRingBuf[] rings = new BpfRingBuf[RINGS];
    /** Committed (submitted or output) records per producer per ring. */
    private final AtomicLong[][] committed;
    private final long[][] consumed;
    private final long[][] lastSeq;
    private final LongAdder reserveFull = new LongAdder();
    private final LongAdder discarded = new LongAdder();
    private final AtomicLong corrupt = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong bytesMoved = new AtomicLong();
    private final AtomicLong userMoved = new AtomicLong();
    private final AtomicLong userCorrupt = new AtomicLong();
    private volatile boolean producing = true;
    /** Set once every producer thread has finished: consumers then drain what is left and stop. */
    private volatile boolean producersDone;
    private final AtomicLong userLost = new AtomicLong();

    private Soak(int producers, long nanos) {
        this.producers = producers;
        this.deadline = System.nanoTime() + nanos;
        rings[0] = BpfRingBuf.create(256 * 1024, 0, LockEra.RESILIENT_6_15);
        rings[1] = BpfRingBuf.create(256 * 1024, 0, LockEra.SPINLOCK_5_8);
        committed = new AtomicLong[producers][RINGS];
        consumed = new long[producers][RINGS];
        lastSeq = new long[producers][RINGS];
        for (int p = 0; p < producers; p++) {
            for (int r = 0; r < RINGS; r++) {
                committed[p][r] = new AtomicLong();
                lastSeq[p][r] = -1;
            }
        }
    }

    /** The checksum over the header fields and payload; the payload bytes are a function of them too. */
    static long checksum(int producer, long seq, int len) {
        long h = 0x9E3779B97F4A7C15L * (producer + 1) ^ seq * 0xC2B2AE3D27D4EB4FL ^ len;
        return h ^ (h >>> 29);
    }

    static byte payloadByte(long sum, int i) {
        return (byte) (sum >>> ((i & 7) * 8) ^ i);
    }

    static void write(MemorySegment a, long off, int producer, long seq, int len) {
        long sum = checksum(producer, seq, len);
        a.set(JAVA_INT, off, producer);
        a.set(JAVA_INT, off + 4, len);
        a.set(JAVA_LONG, off + 8, seq);
        a.set(JAVA_LONG, off + 16, sum);
        for (int i = HDR; i < len; i++) {
            a.set(JAVA_BYTE, off + i, payloadByte(sum, i));
        }
    }

    /** Checks one record; returns its producer or -1 when corrupt. */
    static int verify(MemorySegment d, long off, int length, long[] seqOut) {
        if (length < HDR) {
            return -1;
        }
        int producer = d.get(JAVA_INT, off);
        int len = d.get(JAVA_INT, off + 4);
        long seq = d.get(JAVA_LONG, off + 8);
        long sum = d.get(JAVA_LONG, off + 16);
        if (len != length || sum != checksum(producer, seq, len)) {
            return -1;
        }
        for (int i = HDR; i < len; i++) {
            if (d.get(JAVA_BYTE, off + i) != payloadByte(sum, i)) {
                return -1;
            }
        }
        seqOut[0] = seq;
        return producer;
    }

    private void produce(int p) {
        SplittableRandom rnd = new SplittableRandom(p * 7919L + System.nanoTime());
        long[] seq = new long[RINGS];
        MemorySegment scratch = Arena.ofConfined().allocate(1024);
        while (producing) {
            int r = rnd.nextInt(RINGS);
            BpfRingBuf rb = rings[r];
            int len = HDR + rnd.nextInt(1024 - HDR + 1); // 24..1024 bytes
            int how = rnd.nextInt(16);
            long flags = switch (rnd.nextInt(8)) {
                case 0 -> BpfRingBuf.BPF_RB_NO_WAKEUP;
                case 1 -> BpfRingBuf.BPF_RB_FORCE_WAKEUP;
                default -> 0;
            };
            if (how == 0) { // output: copy from a scratch buffer
                write(scratch, 0, p, seq[r], len);
                if (rb.output(scratch.asSlice(0, len), flags) != 0) {
                    full();
                    continue;
                }
                committed[p][r].incrementAndGet();
                seq[r]++;
            } else {
                long h = rb.reserve(len);
                if (h == 0) {
                    full();
                    continue;
                }
                if (how == 1) { // discarded: the consumer must never see it; seq not consumed
                    write(rb.sampleArea(), rb.sampleOffset(h), p, -1, len);
                    rb.discard(h, flags);
                    discarded.increment();
                    continue;
                }
                write(rb.sampleArea(), rb.sampleOffset(h), p, seq[r], len);
                rb.submit(h, flags);
                committed[p][r].incrementAndGet();
                seq[r]++;
            }
        }
    }

    private void full() {
        reserveFull.increment();
        LockSupport.parkNanos(20_000);
    }

    private void consume(int r, Ring.Mode mode) {
        long[] seq = new long[1];
        RawSampleCallback cb = (d, off, length) -> {
            int p = verify(d, off, length, seq);
            if (p < 0 || p >= producers) {
                corrupt.incrementAndGet();
                return 0;
            }
            if (seq[0] <= lastSeq[p][r]) {
                outOfOrder.incrementAndGet();
            }
            lastSeq[p][r] = seq[0];
            consumed[p][r]++;
            bytesMoved.addAndGet(length);
            return 0;
        };
        try (RingBufConsumer c = RingBufConsumer.create(rings[r], cb, mode)) {
            while (!producersDone) {
                int n = c.poll(10);
                if (n < 0) {
                    throw new IllegalStateException("poll returned " + n);
                }
            }
            // drain what is left once the producers stopped
            while (c.consume() > 0) {
                Thread.onSpinWait();
            }
        }
    }

    private void userRing() throws InterruptedException {
        try (UserRingBuf ring = UserRingBuf.create(64 * 1024); UserRingBufProducer prod = UserRingBufProducer.create(ring)) {
            long[] expect = {0};
            boolean[] userDone = {false};
            Object lock = new Object();
            Thread drainer = Thread.ofPlatform().name("user-drain").start(() -> {
                long[] seq = new long[1];
                UserRingBuf.DrainCallback cb = s -> {
                    int p = verify(s, 0, (int) s.byteSize(), seq);
                    if (p != 99 || seq[0] != expect[0]) {
                        userCorrupt.incrementAndGet();
                    }
                    expect[0] = seq[0] + 1;
                    userMoved.incrementAndGet();
                    return 0;
                };
                while (true) {
                    boolean done;
                    synchronized (lock) {
                        done = userDone[0];
                    }
                    if (done) {
                        break;
                    }
                    if (ring.drain(cb, 0) == 0) {
                        LockSupport.parkNanos(50_000);
                    }
                }
                while (ring.drain(cb, 0) > 0) {
                    Thread.onSpinWait();
                }
            });
            SplittableRandom rnd = new SplittableRandom(42);
            long seq = 0;
            while (producing) {
                int len = HDR + rnd.nextInt(512);
                long h = prod.reserveBlocking(len, 100);
                if (h < 0) {
                    continue;
                }
                MemorySegment s = prod.sample(h);
                write(s, 0, 99, seq++, len);
                prod.submit(h);
            }
            synchronized (lock) {
                userDone[0] = true;
            }
            drainer.join();
            userLost.set(seq - userMoved.get());
        }
    }

    private int run() throws InterruptedException {
        long start = System.nanoTime();
        Thread[] ps = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            final int id = p;
            ps[p] = Thread.ofPlatform().name("producer-" + p).start(() -> produce(id));
        }
        Thread c0 = Thread.ofPlatform().name("consumer-libbpf").start(() -> consume(0, Ring.Mode.LIBBPF));
        Thread c1 = Thread.ofPlatform().name("consumer-batched").start(() -> consume(1, Ring.Mode.BATCHED));
        Thread user = Thread.ofPlatform().name("user-producer").start(() -> {
            try {
                userRing();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long nextReport = start + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            if (System.nanoTime() >= nextReport) {
                report(start, false);
                nextReport += TimeUnit.SECONDS.toNanos(30);
            }
        }
        producing = false;
        for (Thread t : ps) {
            t.join();
        }
        producersDone = true;
        c0.join();
        c1.join();
        user.join();
        return report(start, true);
    }

    private int report(long start, boolean last) {
        long secs = Math.max(1, (System.nanoTime() - start) / 1_000_000_000L);
        long moved = 0;
        long lost = 0;
        for (int p = 0; p < producers; p++) {
            for (int r = 0; r < RINGS; r++) {
                moved += consumed[p][r];
                if (last) {
                    lost += committed[p][r].get() - consumed[p][r];
                }
            }
        }
        System.out.printf("%s %4d s: %,d records (%,d MB) through 2 rings, %,d rec/s; %,d discarded; "
                        + "%,d reservations found the ring full; user ring %,d records; corrupt %d, out of order %d%s%n",
                last ? "FINAL" : "soak ", secs, moved, bytesMoved.get() >> 20, moved / secs, discarded.sum(), reserveFull.sum(), userMoved.get(), corrupt.get() + userCorrupt.get(),
                outOfOrder.get(), last ? ", lost " + lost + " (user ring " + userLost.get() + ")" : "");
        if (!last) {
            return 0;
        }
        for (int r = 0; r < RINGS; r++) {
            BpfRingBuf rb = rings[r];
            System.out.printf("ring %d (%s, %s): lock contended %,d, backoffs %,d, timeouts %,d; wake-ups sent %,d, "
                            + "coalesced %,d; reserve failures %,d%n", r, rb.lockEra(), r == 0 ? "libbpf loop" : "batched loop",
                    rb.lockContended(), rb.lockBackoffs(), rb.lockTimeouts(), rb.notificationsSent(),
                    rb.notificationsCoalesced(), rb.reserveFailures());
        }
        boolean ok = lost == 0 && userLost.get() == 0 && corrupt.get() == 0 && userCorrupt.get() == 0 && outOfOrder.get() == 0 && moved > 0;
        System.out.println(ok ? "SOAK PASSED: zero losses, zero corrupt, zero out of order"
                : "SOAK FAILED: lost " + lost + " + " + userLost.get() + " (user ring), corrupt " + (corrupt.get() + userCorrupt.get())
                + ", out of order " + outOfOrder.get());
        for (BpfRingBuf rb : rings) {
            rb.close();
        }
        return ok ? 0 : 1;
    }

    /** {@code Soak MINUTES [PRODUCERS]}. */
    public static void main(String[] args) throws InterruptedException {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        int producers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        System.out.printf("soak: %.1f min, %d producers on 2 rings (6.15 lock + libbpf loop, 5.8 lock + batched loop), "
                + "1 user ring; %d CPUs%n", minutes, producers, Runtime.getRuntime().availableProcessors());
        System.exit(new Soak(producers, (long) (minutes * 60e9)).run());
    }
}
