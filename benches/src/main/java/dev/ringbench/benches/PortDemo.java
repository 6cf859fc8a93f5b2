package dev.ringbench.benches;

import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.MemoryReport;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.UserRingBuf;
import dev.ringbench.ringbuf.UserRingBufProducer;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A short, checked demonstration of the port: two producer threads reserve, write and submit
 * sequence-numbered records into one ring while a consumer polls them out; then a user-space
 * producer fills a user ring that the "kernel" side drains. Prints what happened and returns a
 * non-zero status if any record was lost, duplicated or out of order.
 */
final class PortDemo {
    private static final int PRODUCERS = 2;
    private static final int RECORDS_PER_PRODUCER = 200_000;
    private static final long RING_SIZE = 256 * 1024;

    private final PrintStream out;

    PortDemo(PrintStream out) {
        this.out = out;
    }

    int run() throws InterruptedException {
        out.printf("ringbench demo: BPF ring buffer port on Java %s, %d cores%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        int failures = kernelRing();
        failures += userRing();
        out.println(failures == 0 ? "demo OK" : "demo FAILED: " + failures + " problems");
        return failures == 0 ? 0 : 1;
    }

    private int kernelRing() throws InterruptedException {
        try (BpfRingBuf ring = BpfRingBuf.create(RING_SIZE)) {
            long[] nextSeq = new long[PRODUCERS];
            AtomicLong bad = new AtomicLong();
            RingBufConsumer consumer = RingBufConsumer.create(ring, sample -> {
                int producer = sample.get(ValueLayout.JAVA_INT, 0);
                long seq = sample.get(ValueLayout.JAVA_LONG, 8);
                if (producer < 0 || producer >= PRODUCERS || seq != nextSeq[producer]) {
                    bad.incrementAndGet();
                } else {
                    nextSeq[producer]++;
                }
                return 0;
            });
            AtomicLong drops = new AtomicLong();
            Thread[] producers = new Thread[PRODUCERS];
            long start = System.nanoTime();
            for (int p = 0; p < PRODUCERS; p++) {
                int id = p;
                producers[p] = new Thread(() -> produce(ring, id, drops), "producer-" + p);
                producers[p].start();
            }
            long expected = (long) PRODUCERS * RECORDS_PER_PRODUCER;
            long got = 0;
            while (got < expected) {
                int n = consumer.poll(100);
                if (n < 0) {
                    out.println("poll failed: " + n);
                    return 1;
                }
                got += n;
            }
            long nanos = System.nanoTime() - start;
            for (Thread t : producers) {
                t.join();
            }
            consumer.close();
            MemoryReport mem = ring.memoryReport();
            out.printf("ring buffer: %d producers -> 1 consumer, %d records of 16 bytes in %.1f ms (one run, not a benchmark)%n",
                    PRODUCERS, got, nanos / 1e6);
            out.printf("  full-ring retries %d, wake-ups sent %d, coalesced %d, lock waits %d%n",
                    drops.get(), ring.notificationsSent(), ring.notificationsCoalesced(), ring.lockContended());
            out.printf("  memory: %d KiB physical, %d KiB virtual (data pages mapped twice)%n",
                    mem.physicalBytes() / 1024, mem.virtualBytes() / 1024);
            out.printf("  lost, duplicated or out of order: %d%n", bad.get());
            return bad.get() == 0 ? 0 : 1;
        }
    }

    private static void produce(BpfRingBuf ring, int id, AtomicLong drops) {
        MemorySegment area = ring.sampleArea();
        for (long seq = 0; seq < RECORDS_PER_PRODUCER; ) {
            long h = ring.reserve(16);
            if (h == 0) {
                drops.incrementAndGet();
                Thread.onSpinWait();
                continue;
            }
            long off = ring.sampleOffset(h);
            area.set(ValueLayout.JAVA_INT, off, id);
            area.set(ValueLayout.JAVA_LONG, off + 8, seq);
            ring.submit(h, 0);
            seq++;
        }
    }

    private int userRing() {
        try (UserRingBuf ring = UserRingBuf.create(16 * 1024);
             UserRingBufProducer producer = UserRingBufProducer.create(ring)) {
            int submitted = 0;
            int discarded = 0;
            for (int i = 0; ; i++) {
                long h = producer.reserve(24);
                if (h < 0) {
                    break; // -ENOSPC: full
                }
                producer.sample(h).set(ValueLayout.JAVA_LONG, 0, i);
                if (i % 4 == 3) {
                    producer.discard(h);
                    discarded++;
                } else {
                    producer.submit(h);
                    submitted++;
                }
            }
            long[] sum = new long[1];
            long drained = ring.drain(sample -> {
                sum[0]++;
                return 0;
            }, 0);
            out.printf("user ring: producer filled 16 KiB with %d submitted and %d discarded records; drain returned %d%n",
                    submitted, discarded, drained);
            return drained == submitted && sum[0] == submitted ? 0 : 1;
        }
    }
}
