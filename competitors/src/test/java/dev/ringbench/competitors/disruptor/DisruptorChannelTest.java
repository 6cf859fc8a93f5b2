package dev.ringbench.competitors.disruptor;

import static dev.ringbench.competitors.AdapterRace.*;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.WaitStrategy;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.RecordHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Behaviour of the Disruptor adapter: every wait strategy, several producers, one consumer. */
class DisruptorChannelTest {
    /** 4 KiB, 64-byte records: 80-byte slots, 32 of them, so producers often find the ring full. */
    private static final ChannelConfig SMALL = ChannelConfig.defaults().withCapacityBytes(4096).withMaxRecordLength(64);

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = "DISRUPTOR_.*", mode = EnumSource.Mode.MATCH_ANY)
    void offersFromSeveralProducersArriveWholeAndInOrder(ChannelKind kind) throws Exception {
        try (Channel ch = kind.create(SMALL.withProducers(3))) {
            race(ch, 5_000, false); // small: BusySpin on 2 cores is oversubscribed
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"DISRUPTOR_BLOCKING", "DISRUPTOR_BUSYSPIN"})
    void claimedRecordsArriveAndDiscardsNeverDo(ChannelKind kind) throws Exception {
        try (Channel ch = kind.create(SMALL.withProducers(3))) {
            race(ch, 5_000, true);
            // Blocking: one notifyAll per publish, commits and aborts alike; BusySpin never signals
            assertEquals(kind == ChannelKind.DISRUPTOR_BLOCKING ? 3 * 5_000 : 0, ch.counters().notifications());
        }
    }

    @Test
    void shapeAndCapabilities() {
        for (ChannelKind kind : ChannelKind.values()) {
            if (kind.library() != ChannelKind.Library.DISRUPTOR) {
                continue;
            }
            try (Channel ch = kind.create(SMALL)) {
                boolean blocking = kind == ChannelKind.DISRUPTOR_BLOCKING || kind == ChannelKind.DISRUPTOR_LITE_BLOCKING;
                var c = ch.capabilities();
                assertFalse(c.variableLength());
                assertTrue(c.reserveCommit() && c.discard() && c.globalOrder() && c.multiProducer());
                assertEquals(blocking, c.blockingConsumer(), kind.name());
                assertEquals(32, ((DisruptorChannel) ch).slots()); // 4096 / (64 + 16) = 51 -> 32
                assertEquals(32 * 80, ch.memoryBytes());
                assertTrue(ch.waitStrategy().endsWith("WaitStrategy"), ch.waitStrategy());
            }
        }
        assertEquals(16, DisruptorChannel.slotBytes(0));
        assertEquals(24, DisruptorChannel.slotBytes(1));
        assertEquals(4, DisruptorChannel.slots(4096, DisruptorChannel.slotBytes(1024))); // 3.9 -> 4: 4160 B, 1.6 % over
        assertEquals(2, DisruptorChannel.slots(4096, 1400)); // 2.9 -> 2: 4 slots would be 37 % over
    }

    @Test
    void slotChannelsHoldTheKernelBenchmarksBatchAtEveryPayload() {
        int cap = ChannelConfig.DEFAULT_CAPACITY;
        for (int payload : new int[] {8, 64, 256, 512, 1024}) {
            int slotBytes = DisruptorChannel.slotBytes(payload);
            int slots = ChannelConfig.slots(cap, slotBytes);
            assertTrue(slots >= 500, payload + " B: " + slots + " slots");
            assertTrue((long) slots * slotBytes <= cap + cap / 32, payload + " B: " + (long) slots * slotBytes + " bytes");
        }
        assertEquals(512, ChannelConfig.slots(cap, DisruptorChannel.slotBytes(1024))); // not 256
        assertEquals(4096, ChannelConfig.slots(cap, DisruptorChannel.slotBytes(64))); // not 8192 (25 % over)
    }

    @Test
    void fullRingCountsDropsAndRecovers() {
        try (Channel ch = ChannelKind.DISRUPTOR_YIELDING.create(SMALL.withMaxRecordLength(0))) {
            int slots = ((DisruptorChannel) ch).slots(); // 4096 / 16 = 256
            ChannelProducer p = ch.producer(0);
            MemorySegment empty = MemorySegment.ofArray(new byte[0]);
            int accepted = 0;
            while (p.offer(empty, 0, 0)) {
                accepted++;
            }
            assertEquals(256, slots);
            assertEquals(slots, accepted);
            assertFalse(p.tryClaim(0));
            assertEquals(2, ch.counters().drops());
            AtomicInteger zeroLength = new AtomicInteger();
            assertEquals(10, ch.poll((d, o, l) -> zeroLength.addAndGet(l == 0 ? 1 : 1000), 10));
            assertEquals(10, zeroLength.get());
            assertEquals(slots - 10, ch.poll((d, o, l) -> { }, Integer.MAX_VALUE));
            assertTrue(p.offer(empty, 0, 0), "room again after the consumer caught up");
            assertEquals(1, ch.poll((d, o, l) -> { }, 10));
            assertEquals(slots + 1, ch.counters().delivered());
            assertEquals(2, ch.counters().drops());
        }
    }

    @Test
    void pollNeverWaitsAndSkipsAnOutstandingClaim() {
        try (Channel ch = ChannelKind.DISRUPTOR_BLOCKING.create(SMALL.withProducers(2))) {
            RecordHandler h = (d, o, l) -> { };
            assertEquals(0, ch.poll(h, 10));
            assertEquals(0, ch.await(h, 10, 0), "timeout 0 is a poll");
            ChannelProducer a = ch.producer(0);
            ChannelProducer b = ch.producer(1);
            assertTrue(a.tryClaim(8)); // claimed, not yet published: blocks the records after it
            assertTrue(b.offer(MemorySegment.ofArray(new byte[8]), 0, 8));
            assertEquals(0, ch.poll(h, 10));
            a.commit();
            assertEquals(2, ch.poll(h, 10));
            assertThrows(IllegalStateException.class, a::commit, "nothing claimed");
            assertThrows(IllegalArgumentException.class, () -> a.tryClaim(65));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = "DISRUPTOR_.*", mode = EnumSource.Mode.MATCH_ANY)
    void shutdownReleasesAWaitingConsumer(ChannelKind kind) throws Exception {
        try (Channel ch = kind.create(SMALL)) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread t = awaitOnce(ch, (d, o, l) -> { }, -1, started, result);
            assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS));
            if (kind == ChannelKind.DISRUPTOR_BLOCKING || kind == ChannelKind.DISRUPTOR_LITE_BLOCKING) {
                awaitParked(t); // really asleep in the wait strategy
            }
            ch.shutdown();
            t.join(10_000);
            assertFalse(t.isAlive(), "shutdown did not release the consumer");
            assertEquals(-1, result.get());
            assertEquals(-1, ch.await((d, o, l) -> { }, 16, 1_000_000_000L), "later awaits return at once");
        }
    }

    @Test
    void recordsPublishedBeforeShutdownAreStillDelivered() {
        try (Channel ch = ChannelKind.DISRUPTOR_SLEEPING.create(SMALL)) {
            MemorySegment src = MemorySegment.ofArray(new byte[16]);
            for (int i = 0; i < 3; i++) {
                assertTrue(ch.producer(0).offer(src, 0, 16));
            }
            ch.shutdown();
            assertEquals(3, ch.await((d, o, l) -> { }, 16, -1));
            assertEquals(-1, ch.await((d, o, l) -> { }, 16, -1));
        }
    }

    @Test
    void awaitDeliversWhatAProducerPublishesLater() throws Exception {
        try (Channel ch = ChannelKind.DISRUPTOR_LITE_BLOCKING.create(SMALL)) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread t = awaitOnce(ch, (d, o, l) -> { }, -1, started, result);
            assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS));
            awaitParked(t);
            assertTrue(ch.producer(0).offer(MemorySegment.ofArray(new byte[4]), 0, 4));
            t.join(10_000);
            if (t.isAlive()) {
                ch.shutdown();
                fail("the publish did not wake the consumer");
            }
            assertEquals(1, result.get());
            assertEquals(1, ch.counters().wakeups());
            assertEquals(1, ch.counters().notifications(), "LiteBlocking: the one publish found the waiter's flag");
        }
    }

    /** The library behaviour the wake-up count relies on: one signalAllWhenBlocking per publish. */
    @Test
    void disruptorSignalsOncePerPublish() {
        AtomicInteger signals = new AtomicInteger();
        WaitStrategy inner = new BusySpinWaitStrategy();
        WaitStrategy counting = new WaitStrategy() {
            @Override
            public long waitFor(long s, Sequence c, Sequence d, com.lmax.disruptor.SequenceBarrier b)
                    throws com.lmax.disruptor.AlertException, InterruptedException, com.lmax.disruptor.TimeoutException {
                return inner.waitFor(s, c, d, b);
            }

            @Override
            public void signalAllWhenBlocking() {
                signals.incrementAndGet();
            }
        };
        RingBuffer<DisruptorEvent> ring = RingBuffer.createMultiProducer(() -> new DisruptorEvent(0), 8, counting);
        for (int i = 0; i < 5; i++) {
            ring.publish(ring.next());
        }
        assertEquals(5, signals.get());
    }
}
