package dev.ringbench.competitors.kernel;

import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.kernel.PerfEventArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real perf buffer behind the analogue's consumer: LOST records, wakeup_events, per-CPU rings. */
class KernelPerfBufChannelTest {
    @BeforeEach
    void kernel() {
        String why = ChannelKind.KERNEL_PERFBUF.unavailableReason();
        assumeTrue(why == null, () -> "real kernel unavailable: " + why);
    }

    @Test
    void aFullRingLosesSamplesAndTheKernelReportsThemInALostRecord() {
        int cpus = PerfEventArray.onlineCpuCount();
        ChannelConfig c = ChannelConfig.defaults().withCapacityBytes(4096 * Integer.highestOneBit(Math.max(1, cpus)))
                .withMaxRecordLength(100);
        try (Channel ch = ChannelKind.KERNEL_PERFBUF.create(c); Arena a = Arena.ofConfined()) {
            ChannelProducer p = ch.producer(0);
            MemorySegment src = a.allocate(100);
            long sent = 0;
            while (p.offer(src, 0, 100)) {
                sent++;
            }
            assertTrue(sent > 10, "sent " + sent);
            for (int i = 0; i < 4; i++) {
                assertFalse(p.offer(src, 0, 100));
            }
            assertEquals(5, ch.counters().drops());
            int[] got = {0};
            while (ch.poll((d, o, l) -> got[0]++, 1000) > 0) {
                // drain
            }
            assertEquals(sent, got[0]);
            assertTrue(p.offer(src, 0, 100), "room again; a LOST record goes first");
            while (ch.poll((d, o, l) -> got[0]++, 1000) > 0) {
                // drain
            }
            assertEquals(sent + 1, got[0]);
            assertEquals(5, ch.counters().lostReported(), "the kernel's PERF_RECORD_LOST count");
        }
    }

    @Test
    void wakeupEventsWakesOnTheNthSample() throws Exception {
        ChannelConfig c = ChannelConfig.defaults().withCapacityBytes(64 * 1024).withMaxRecordLength(16).withPerfWakeup(4, 0);
        try (Channel ch = ChannelKind.KERNEL_PERFBUF.create(c); Arena a = Arena.ofShared()) {
            ChannelProducer p = ch.producer(0);
            MemorySegment src = a.allocate(16);
            for (int i = 0; i < 3; i++) {
                assertTrue(p.offer(src, 0, 16));
            }
            long t0 = System.nanoTime();
            assertEquals(0, ch.await((d, o, l) -> { }, 100, TimeUnit.MILLISECONDS.toNanos(300)), "3 of 4: no wake-up");
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(250));
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(200); // the consumer is asleep in epoll_wait by then
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                p.offer(src, 0, 16);
            });
            t.start();
            int[] n = {0};
            int r = ch.await((d, o, l) -> n[0]++, 100, TimeUnit.SECONDS.toNanos(10));
            t.join();
            assertEquals(4, n[0], "the 4th sample woke the consumer, which drained all 4 (await returned " + r + ")");
            assertEquals(1, ch.counters().wakeups(), "the timed-out wait is not one, the woken sleep is");
            assertEquals(ChannelCounters.NOT_OBSERVABLE, ch.counters().notifications());
        }
    }

    @Test
    void eachProducerKeepsItsOrderOnItsCpusRing() throws Exception {
        int producers = Math.max(2, PerfEventArray.onlineCpuCount());
        ChannelConfig c = ChannelConfig.defaults().withCapacityBytes(256 * 1024).withMaxRecordLength(16)
                .withProducers(producers);
        try (Channel ch = ChannelKind.KERNEL_PERFBUF.create(c); Arena a = Arena.ofShared()) {
            int perProducer = 2000;
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < producers; i++) {
                int id = i;
                threads.add(Thread.ofPlatform().start(() -> {
                    MemorySegment src = Arena.ofAuto().allocate(16);
                    for (long s = 0; s < perProducer; s++) {
                        src.set(JAVA_LONG, 0, id);
                        src.set(JAVA_LONG, 8, s);
                        while (!ch.producer(id).offer(src, 0, 16)) {
                            Thread.onSpinWait();
                        }
                    }
                }));
            }
            long[] next = new long[producers];
            long[] total = {0};
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (total[0] < (long) producers * perProducer && System.nanoTime() < deadline) {
                ch.await((d, o, l) -> {
                    int id = (int) d.get(JAVA_LONG.withByteAlignment(1), o);
                    long s = d.get(JAVA_LONG.withByteAlignment(1), o + 8);
                    assertEquals(next[id]++, s, "producer " + id + " out of order");
                    total[0]++;
                }, 1000, TimeUnit.MILLISECONDS.toNanos(100));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals((long) producers * perProducer, total[0]);
            assertEquals(PerfEventArray.onlineCpuCount() * (4096L + ((KernelPerfBufChannel) ch).ringDataSize()),
                    ch.memoryBytes());
        }
    }
}
