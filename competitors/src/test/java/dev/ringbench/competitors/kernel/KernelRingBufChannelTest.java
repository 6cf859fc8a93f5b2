package dev.ringbench.competitors.kernel;

import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.WakeupPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The kernel ring buffer adapter beyond the conformance suite: reserve mode, batches, wake-up policies. */
class KernelRingBufChannelTest {
    @BeforeEach
    void kernel() {
        String why = ChannelKind.KERNEL_RINGBUF_LIBBPF.unavailableReason();
        assumeTrue(why == null, () -> "real kernel unavailable: " + why);
    }

    private static ChannelConfig config(WakeupPolicy p, int n) {
        return ChannelConfig.defaults().withCapacityBytes(64 * 1024).withMaxRecordLength(64).withWakeup(p, n);
    }

    @Test
    void reserveModeAndBatchesDeliverEveryRecord() {
        try (Channel ch = ChannelKind.KERNEL_RINGBUF_BATCHED.create(config(WakeupPolicy.ADAPTIVE, 1));
             Arena a = Arena.ofConfined()) {
            KernelRingBufProducer p = (KernelRingBufProducer) ch.producer(0);
            MemorySegment src = a.allocate(64);
            List<Long> got = new ArrayList<>();
            for (long i = 0; i < 100; i++) {
                src.set(JAVA_LONG, 0, i);
                p.useReserve(i % 2 == 0);
                assertTrue(p.offer(src, 0, 8 + (int) (i % 5) * 8));
            }
            src.set(JAVA_LONG, 0, 1000);
            assertEquals(500, p.offerBatch(src, 0, 8, 500)); // one syscall, repeat = 500
            while (ch.poll((d, o, l) -> got.add(d.get(JAVA_LONG.withByteAlignment(1), o)), 10_000) > 0) {
                // drain
            }
            assertEquals(600, got.size());
            for (int i = 0; i < 100; i++) {
                assertEquals(i, got.get(i));
            }
            assertEquals(1000L, got.get(599));
            assertEquals(600, p.hits());
            assertEquals(600, ch.counters().delivered());
        }
    }

    @Test
    void aBatchThatDoesNotFitIsCountedAsDrops() {
        try (Channel ch = ChannelKind.KERNEL_RINGBUF_LIBBPF.create(config(WakeupPolicy.NO_WAKEUP, 1).withCapacityBytes(4096));
             Arena a = Arena.ofConfined()) {
            KernelRingBufProducer p = (KernelRingBufProducer) ch.producer(0);
            // 4096 bytes hold at most 4088: 255 records of 16 bytes
            assertEquals(255, p.offerBatch(a.allocate(8), 0, 8, 300));
            assertEquals(45, ch.counters().drops());
        }
    }

    @ParameterizedTest
    @EnumSource(value = WakeupPolicy.class)
    void everyPolicyWakesOrTimesOutAsItShould(WakeupPolicy policy) throws Exception {
        try (Channel ch = ChannelKind.KERNEL_RINGBUF_LIBBPF.create(config(policy, 4)); Arena a = Arena.ofShared()) {
            KernelRingBufProducer p = (KernelRingBufProducer) ch.producer(0);
            MemorySegment src = a.allocate(8);
            int[] n = {0};
            // the consumer is asleep (ring empty); 5 records are offered; does a wake-up arrive?
            Thread producer = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 5; i++) {
                    p.offer(src, 0, 8);
                }
            });
            producer.start();
            long t0 = System.nanoTime();
            int r = ch.await((d, o, l) -> n[0]++, 100, TimeUnit.MILLISECONDS.toNanos(1500));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            producer.join();
            boolean woken = r > 0 && ms < 1400;
            // NO_WAKEUP never wakes; EVERY_NTH(4) wakes on the 4th; SAMPLED(4) on the 5th: as in the kernel
            // benchmark's output mode, the query runs before bpf_ringbuf_output, so the 5th record is the
            // first to see 4 * 16 bytes available
            assertEquals(policy != WakeupPolicy.NO_WAKEUP, woken, policy + ": await returned " + r + " after " + ms + " ms");
            while (ch.poll((d, o, l) -> n[0]++, 100) > 0) {
                // drain
            }
            assertEquals(5, n[0]);
            if (policy != WakeupPolicy.NO_WAKEUP) {
                assertTrue(ch.counters().wakeups() >= 1);
            }
        }
    }
}
