package dev.ringbench.competitors.perfbuf;

import dev.ringbench.competitors.Capabilities;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.RecordHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter: sizes, capabilities, copy-only producers, counters, await and shutdown, allocation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PerfBufChannelTest {
    private static final long WAIT_S = 10;
    private static final RecordHandler IGNORE = (d, o, l) -> { };

    private static ChannelConfig config(int capacity, int producers) {
        return ChannelConfig.defaults().withCapacityBytes(capacity).withProducers(producers).withMaxRecordLength(256);
    }

    @Test
    void eachRingIsCapacityOverProducersRoundedDownToPowerOfTwoPages() {
        assertEquals(16, PerfBufChannel.dataPagesPerRing(64 * 1024, 1));
        assertEquals(4, PerfBufChannel.dataPagesPerRing(64 * 1024, 3), "21845 bytes: 5 pages, down to 4");
        assertEquals(1, PerfBufChannel.dataPagesPerRing(64 * 1024, 32), "at least one page");
        assertEquals(128, PerfBufChannel.dataPagesPerRing(512 * 1024, 1), "the kernel benchmark's 128 pages");
        try (Channel ch = ChannelKind.PERFBUF.create(config(64 * 1024, 3))) {
            assertInstanceOf(PerfBufChannel.class, ch);
            assertEquals(3, ch.producers());
            assertEquals(3L * (4096 + 4 * 4096), ch.memoryBytes(), "control and data pages of every ring");
        }
    }

    @Test
    void maxRecordLengthIsCappedByTheRing() {
        ChannelConfig c = ChannelConfig.defaults().withCapacityBytes(64 * 1024).withProducers(16).withMaxRecordLength(8192);
        try (Channel ch = ChannelKind.PERFBUF.create(c)) {
            assertEquals(4096 - 44, ch.maxRecordLength());
        }
        try (Channel ch = ChannelKind.PERFBUF.create(config(64 * 1024, 1))) {
            assertEquals(256, ch.maxRecordLength());
        }
    }

    @Test
    void capabilitiesAndWaitStrategy() {
        try (Channel ch = ChannelKind.PERFBUF.create(config(16 * 1024, 2))) {
            assertEquals(new Capabilities(true, false, false, false, true, true), ch.capabilities());
            assertEquals("perf: wakeup_events=1", ch.waitStrategy());
        }
        try (Channel ch = ChannelKind.PERFBUF.create(config(16 * 1024, 2).withPerfWakeup(1, 512))) {
            assertEquals("perf: watermark=512 bytes", ch.waitStrategy());
        }
        try (Channel ch = ChannelKind.PERFBUF.create(config(16 * 1024, 2).withPerfWakeup(8, 0))) {
            assertEquals("perf: wakeup_events=8", ch.waitStrategy());
        }
    }

    @Test
    void reserveCommitIsUnsupportedWithAClearMessage() {
        try (Channel ch = ChannelKind.PERFBUF.create(config(16 * 1024, 1))) {
            ChannelProducer p = ch.producer(0);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> p.tryClaim(8));
            assertTrue(e.getMessage().contains("copy-only"), e.getMessage());
            assertThrows(UnsupportedOperationException.class, p::buffer);
            assertThrows(UnsupportedOperationException.class, p::offset);
            assertThrows(UnsupportedOperationException.class, p::commit);
            assertThrows(UnsupportedOperationException.class, p::abort);
        }
    }

    @Test
    void badOfferIsRejectedLoudly() {
        try (Channel ch = ChannelKind.PERFBUF.create(config(128 * 1024, 1)); Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(70_000);
            assertThrows(IllegalArgumentException.class, () -> ch.producer(0).offer(s, 0, -1));
            assertThrows(IllegalArgumentException.class, () -> ch.producer(0).offer(s, 0, 66_000));
            assertThrows(IndexOutOfBoundsException.class, () -> ch.producer(0).offer(s, 69_999, 8));
            assertEquals(0, ch.counters().drops());
            assertEquals(0, ch.poll(IGNORE, 100));
        }
    }

    @Test
    void fullRingDropsAndTheConsumerIsToldByALostRecord() {
        try (Channel ch = ChannelKind.PERFBUF.create(config(4096, 1)); Arena a = Arena.ofConfined()) {
            ChannelProducer p = ch.producer(0);
            MemorySegment s = a.allocate(8);
            long sent = 0;
            while (p.offer(s, 0, 8)) {
                sent++;
            }
            assertFalse(p.offer(s, 0, 8));
            assertEquals(2, ch.counters().drops());
            assertEquals(0, ch.counters().lostReported());
            assertEquals(sent, ch.poll(IGNORE, Integer.MAX_VALUE));
            assertTrue(p.offer(s, 0, 8));
            assertEquals(1, ch.poll(IGNORE, 10));
            ChannelCounters c = ch.counters();
            assertEquals(sent + 1, c.delivered());
            assertEquals(2, c.lostReported());
            assertEquals(sent + 1, c.notifications(), "wakeup_events=1: one per sample");
            assertEquals(0, c.wakeups(), "nobody slept");
            assertEquals(0, c.nmiFailures());
        }
    }

    @Test
    void watermarkConfigDrivesWakeups() {
        try (Channel ch = ChannelKind.PERFBUF.create(config(4096, 1).withPerfWakeup(1, 256)); Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            for (int i = 0; i < 22; i++) { // 24-byte records: 528 bytes
                assertTrue(ch.producer(0).offer(s, 0, 8));
            }
            assertEquals(2, ch.counters().notifications());
        }
    }

    @Test
    void awaitDeliversWokenRecordsAndEachProducerKeepsItsOrder() throws Exception {
        int producers = 3;
        int perProducer = 10_000;
        try (Channel ch = ChannelKind.PERFBUF.create(config(16 * 1024, producers))) {
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int i = 0; i < producers; i++) {
                int id = i;
                running.add(CompletableFuture.runAsync(() -> {
                    try (Arena a = Arena.ofConfined()) {
                        MemorySegment s = a.allocate(12);
                        for (long seq = 0; seq < perProducer; seq++) {
                            s.set(JAVA_INT_UNALIGNED, 0, id);
                            s.set(JAVA_LONG_UNALIGNED, 4, seq);
                            while (!ch.producer(id).offer(s, 0, 12)) {
                                Thread.onSpinWait();
                            }
                        }
                    }
                }));
            }
            long[] next = new long[producers];
            List<String> errors = new ArrayList<>();
            long[] seen = {0};
            RecordHandler h = (d, off, len) -> {
                int id = d.get(JAVA_INT_UNALIGNED, off);
                long seq = d.get(JAVA_LONG_UNALIGNED, off + 4);
                if (len != 12 || seq != next[id]++) {
                    errors.add(id + "/" + seq + " len " + len);
                }
                seen[0]++;
            };
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (seen[0] < (long) producers * perProducer && System.nanoTime() < deadline) {
                assertTrue(ch.await(h, 256, TimeUnit.MILLISECONDS.toNanos(20)) >= 0);
            }
            for (CompletableFuture<Void> f : running) {
                f.get(WAIT_S, TimeUnit.SECONDS);
            }
            assertEquals(List.of(), errors);
            assertEquals((long) producers * perProducer, seen[0]);
            assertEquals(seen[0], ch.counters().delivered());
            assertEquals(ch.counters().drops(), ch.counters().lostReported(), "every drop reported by a LOST record");
        }
    }

    @Test
    void awaitWithoutAWakeupTimesOutWithTheDataStillThere() {
        try (Channel ch = ChannelKind.PERFBUF.create(config(4096, 1).withPerfWakeup(4, 0)); Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8);
            assertTrue(ch.producer(0).offer(s, 0, 8));
            assertEquals(0, ch.await(IGNORE, 100, TimeUnit.MILLISECONDS.toNanos(20)));
            assertEquals(0, ch.counters().wakeups());
            assertEquals(1, ch.poll(IGNORE, 100), "poll drains whatever is there");
        }
    }

    @Test
    void shutdownReleasesAWaitingConsumerAndAwaitDrainsThenReturnsMinusOne() throws Exception {
        try (Channel ch = ChannelKind.PERFBUF.create(config(16 * 1024, 2).withPerfWakeup(100, 0)); Arena a = Arena.ofShared()) {
            MemorySegment s = a.allocate(8);
            assertTrue(ch.producer(1).offer(s, 0, 8)); // no wake-up: wakeup_events=100
            CountDownLatch entered = new CountDownLatch(1);
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
                entered.countDown();
                return ch.await(IGNORE, 100, -1);
            });
            assertTrue(entered.await(WAIT_S, TimeUnit.SECONDS));
            ch.shutdown();
            int first = waiting.get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(1, first, "released by shutdown, it delivers what is left");
            assertEquals(-1, ch.await(IGNORE, 100, -1), "then -1: shut down and empty");
            assertEquals(1, ch.counters().delivered());
        }
    }

    @Test
    void interruptedAwaitReturnsZero() throws Exception {
        try (Channel ch = ChannelKind.PERFBUF.create(config(16 * 1024, 1))) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                Thread.currentThread().interrupt();
                f.complete(ch.await(IGNORE, 100, -1));
            });
            t.start();
            assertEquals(0, f.get(WAIT_S, TimeUnit.SECONDS));
            t.join();
        }
    }

    /** Offer and poll allocate nothing per record (thread allocation counter, after a JIT warm-up). */
    @Test
    void steadyPathAllocatesNothingPerRecord() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Channel ch = ChannelKind.PERFBUF.create(config(64 * 1024, 2)); Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(64);
            long[] sum = {0};
            RecordHandler h = (d, off, len) -> sum[0] += d.get(JAVA_LONG_UNALIGNED, off);
            Runnable batch = () -> {
                for (int i = 0; i < 500; i++) {
                    s.set(JAVA_LONG_UNALIGNED, 0, i);
                    ch.producer(i & 1).offer(s, 0, 8 + (i % 50));
                }
                ch.poll(h, Integer.MAX_VALUE);
            };
            for (int i = 0; i < 400; i++) {
                batch.run();
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) { // half a million records
                batch.run();
            }
            long used = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(used < 64 * 1024, used + " bytes allocated for 500,000 records");
            assertEquals(1400L * (499 * 500 / 2), sum[0]);
            assertEquals(1400L * 500, ch.counters().delivered());
        }
    }
}
