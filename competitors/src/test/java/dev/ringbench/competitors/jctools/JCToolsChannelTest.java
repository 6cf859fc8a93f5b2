package dev.ringbench.competitors.jctools;

import static dev.ringbench.competitors.AdapterRace.*;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Behaviour of the JCTools adapter: both queues, several producers, one consumer, pooled events. */
class JCToolsChannelTest {
    /** 4 KiB, 64-byte records: 80-byte slots, a queue of 32. */
    private static final ChannelConfig SMALL = ChannelConfig.defaults().withCapacityBytes(4096).withMaxRecordLength(64);

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"JCTOOLS_MPSC", "JCTOOLS_MPSC_BLOCKING"})
    void offersFromSeveralProducersArriveWholeAndInOrder(ChannelKind kind) throws Exception {
        try (Channel ch = kind.create(SMALL.withProducers(3))) {
            race(ch, 20_000, false);
            if (kind == ChannelKind.JCTOOLS_MPSC) {
                assertEquals(0, ch.counters().wakeups(), "the spinning consumer is never woken");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"JCTOOLS_MPSC", "JCTOOLS_MPSC_BLOCKING"})
    void shapeCapabilitiesAndUnsupportedOperations(ChannelKind kind) {
        try (Channel ch = kind.create(SMALL.withProducers(2))) {
            var c = ch.capabilities();
            assertFalse(c.variableLength() || c.reserveCommit() || c.discard());
            assertTrue(c.globalOrder() && c.multiProducer());
            assertEquals(kind == ChannelKind.JCTOOLS_MPSC_BLOCKING, c.blockingConsumer());
            assertEquals(32, ((JCToolsChannel) ch).slots());
            assertEquals(2L * 33 * 80, ch.memoryBytes(), "two pools of slots + 1 events of 80 bytes");
            ChannelProducer p = ch.producer(0);
            assertThrows(UnsupportedOperationException.class, () -> p.tryClaim(8));
            assertThrows(UnsupportedOperationException.class, p::buffer);
            assertThrows(UnsupportedOperationException.class, p::offset);
            assertThrows(UnsupportedOperationException.class, p::commit);
            assertThrows(UnsupportedOperationException.class, p::abort);
            assertThrows(IllegalArgumentException.class, () -> p.offer(MemorySegment.ofArray(new byte[65]), 0, 65));
        }
    }

    /** One producer fills the whole queue before its pool runs dry; the others still have theirs. */
    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"JCTOOLS_MPSC", "JCTOOLS_MPSC_BLOCKING"})
    void fullQueueCountsDropsAndRecovers(ChannelKind kind) {
        try (Channel ch = kind.create(SMALL.withProducers(2))) {
            int slots = ((JCToolsChannel) ch).slots();
            MemorySegment src = Arena.ofAuto().allocate(64);
            ChannelProducer a = ch.producer(0);
            ChannelProducer b = ch.producer(1);
            for (int round = 0; round < 3; round++) { // events go back to the pool and come round again
                int accepted = 0;
                while (a.offer(src, 0, round)) {
                    accepted++;
                }
                assertEquals(slots, accepted, "the pool outlasts the queue");
                assertFalse(b.offer(src, 0, 1), "full for everyone");
                AtomicInteger lengths = new AtomicInteger();
                assertEquals(slots, ch.poll((d, o, l) -> lengths.addAndGet(l), Integer.MAX_VALUE));
                assertEquals(slots * round, lengths.get());
                assertTrue(b.offer(src, 0, 1), "room again");
                assertEquals(1, ch.poll((d, o, l) -> { }, 10));
            }
            ChannelCounters c = ch.counters();
            assertEquals(6, c.drops());
            assertEquals(3L * (slots + 1), c.delivered());
        }
    }

    @Test
    void blockingConsumerIsWokenByAnOfferAndCountsIt() throws Exception {
        try (Channel ch = ChannelKind.JCTOOLS_MPSC_BLOCKING.create(SMALL)) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread t = awaitOnce(ch, (d, o, l) -> { }, TimeUnit.SECONDS.toNanos(60), started, result);
            assertTrue(started.await(10, TimeUnit.SECONDS));
            awaitParked(t); // parked in poll(timeout, NANOSECONDS)
            assertTrue(ch.producer(0).offer(MemorySegment.ofArray(new byte[4]), 0, 4));
            t.join(10_000);
            if (t.isAlive()) {
                ch.shutdown();
                fail("the offer did not wake the consumer");
            }
            assertEquals(1, result.get());
            assertEquals(1, ch.counters().wakeups());
            assertEquals(1, ch.counters().notifications(), "the offer took the parked mark");
            assertEquals(1, ch.counters().delivered());
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"JCTOOLS_MPSC", "JCTOOLS_MPSC_BLOCKING"})
    void awaitTimesOutWithZero(ChannelKind kind) {
        try (Channel ch = kind.create(SMALL)) {
            assertEquals(0, ch.await((d, o, l) -> { }, 16, 0));
            assertEquals(0, ch.await((d, o, l) -> { }, 16, TimeUnit.MILLISECONDS.toNanos(5)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"JCTOOLS_MPSC", "JCTOOLS_MPSC_BLOCKING"})
    void shutdownReleasesAWaitingConsumer(ChannelKind kind) throws Exception {
        try (Channel ch = kind.create(SMALL)) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread t = awaitOnce(ch, (d, o, l) -> { }, -1, started, result); // no timeout at all
            assertTrue(started.await(10, TimeUnit.SECONDS));
            awaitParked(t);
            ch.shutdown();
            t.join(10_000);
            assertFalse(t.isAlive(), "shutdown did not release the consumer");
            assertEquals(-1, result.get());
            assertEquals(-1, ch.await((d, o, l) -> { }, 16, -1), "later awaits return at once");
            assertEquals(0, ch.counters().delivered(), "the shutdown sentinel is never delivered");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"JCTOOLS_MPSC", "JCTOOLS_MPSC_BLOCKING"})
    void recordsOfferedBeforeShutdownAreStillDelivered(ChannelKind kind) {
        try (Channel ch = kind.create(SMALL)) {
            MemorySegment src = MemorySegment.ofArray(new byte[16]);
            for (int i = 0; i < 3; i++) {
                assertTrue(ch.producer(0).offer(src, 0, 16));
            }
            ch.shutdown();
            assertEquals(3, ch.await((d, o, l) -> { }, 16, -1));
            assertEquals(-1, ch.await((d, o, l) -> { }, 16, -1));
            assertEquals(3, ch.counters().delivered());
        }
    }
}
