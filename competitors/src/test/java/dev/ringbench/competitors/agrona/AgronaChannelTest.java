package dev.ringbench.competitors.agrona;

import static dev.ringbench.competitors.AdapterRace.*;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelCounters;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour of the Agrona adapter: many-to-one and one-to-one rings, claims, aborts, copies. */
class AgronaChannelTest {
    private static final ChannelConfig SMALL = ChannelConfig.defaults().withCapacityBytes(4096).withMaxRecordLength(64);

    @Test
    void offersFromSeveralProducersArriveWholeAndInOrder() throws Exception {
        try (Channel ch = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL.withProducers(3))) {
            race(ch, 20_000, false); // producers 0 and 2 offer native segments, producer 1 a byte[]
        }
    }

    @Test
    void claimedRecordsArriveAndDiscardsNeverDo() throws Exception {
        try (Channel ch = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL.withProducers(3))) {
            race(ch, 20_000, true);
        }
    }

    @Test
    void oneToOneCarriesOneProducersRecords() throws Exception {
        try (Channel ch = ChannelKind.AGRONA_ONE_TO_ONE.create(SMALL)) {
            race(ch, 20_000, true);
        }
        try (Channel ch = ChannelKind.AGRONA_ONE_TO_ONE.create(SMALL)) {
            race(ch, 20_000, false);
        }
    }

    @Test
    void oneToOneRejectsTwoProducers() {
        assertThrows(IllegalArgumentException.class, () -> ChannelKind.AGRONA_ONE_TO_ONE.create(SMALL.withProducers(2)));
    }

    @Test
    void shapeAndCapabilities() {
        try (Channel m = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL); Channel o = ChannelKind.AGRONA_ONE_TO_ONE.create(SMALL)) {
            for (Channel ch : new Channel[] {m, o}) {
                var c = ch.capabilities();
                assertTrue(c.variableLength() && c.reserveCommit() && c.discard() && c.globalOrder());
                assertFalse(c.blockingConsumer());
                assertEquals(ch == m, c.multiProducer());
                assertEquals(4096 + RingBufferDescriptor.TRAILER_LENGTH, ch.memoryBytes());
                assertEquals(512, ((AgronaChannel) ch).maxMsgLength(), "capacity / 8");
                assertEquals("BackoffIdleStrategy", ch.waitStrategy());
            }
        }
        // the config allows capacity / 4; Agrona carries capacity / 8
        assertThrows(IllegalArgumentException.class, () -> ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL.withMaxRecordLength(513)));
        try (Channel ch = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL.withMaxRecordLength(512))) {
            assertTrue(ch.producer(0).tryClaim(512));
            ch.producer(0).commit();
            assertEquals(1, ch.poll((d, o, l) -> { }, 1));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"AGRONA_MANY_TO_ONE", "AGRONA_ONE_TO_ONE"})
    void fullRingCountsDropsAndRecovers(ChannelKind kind) {
        try (Channel ch = kind.create(SMALL)) {
            ChannelProducer p = ch.producer(0);
            MemorySegment src = Arena.ofAuto().allocate(64);
            long delivered = 0;
            for (int round = 0; round < 3; round++) {
                int accepted = 0;
                while (p.offer(src, 0, 56)) { // 56 + 8-byte header = 64 bytes
                    accepted++;
                }
                if (round == 0) { // 4 KiB hold 64 such records; one-to-one keeps 8 bytes free to pre-zero the next header
                    assertEquals(kind == ChannelKind.AGRONA_MANY_TO_ONE ? 64 : 63, accepted);
                } else {
                    assertTrue(accepted > 0);
                }
                assertFalse(p.tryClaim(56), "a claim fails as the offer did");
                assertEquals(accepted, ch.poll((d, o, l) -> assertEquals(56, l), Integer.MAX_VALUE),
                        "poll reads across the end of the buffer");
                assertTrue(p.tryClaim(0), "room again");
                p.commit();
                assertEquals(1, ch.poll((d, o, l) -> assertEquals(0, l), 10));
                delivered += accepted + 1;
            }
            ChannelCounters c = ch.counters();
            assertEquals(6, c.drops());
            assertEquals(delivered, c.delivered());
            assertEquals(0, c.wakeups());
        }
    }

    /** Every kind of source segment reaches the consumer byte for byte. */
    @Test
    void offerCopiesNativeByteArrayAndOtherHeapSources() {
        try (Channel ch = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL); Arena arena = Arena.ofConfined()) {
            byte[] expected = new byte[40];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (byte) (i * 7 + 1);
            }
            MemorySegment nat = arena.allocate(48);
            MemorySegment.copy(MemorySegment.ofArray(expected), 0, nat, 8, 40);
            byte[] padded = new byte[48];
            System.arraycopy(expected, 0, padded, 8, 40);
            long[] longs = new long[6];
            MemorySegment.copy(MemorySegment.ofArray(expected), 0, MemorySegment.ofArray(longs), 8, 40);
            MemorySegment[] sources = {
                nat, MemorySegment.ofArray(padded), MemorySegment.ofArray(padded).asSlice(4), MemorySegment.ofArray(longs)};
            long[] offsets = {8, 8, 4, 8};
            ChannelProducer p = ch.producer(0);
            for (int i = 0; i < sources.length; i++) {
                assertTrue(p.offer(sources[i], offsets[i], 40));
            }
            AtomicInteger seen = new AtomicInteger();
            assertEquals(4, ch.poll((d, o, l) -> {
                assertArrayEquals(expected, d.asSlice(o, l).toArray(ValueLayout.JAVA_BYTE));
                seen.incrementAndGet();
            }, 10));
            assertEquals(4, seen.get());
            assertThrows(IndexOutOfBoundsException.class, () -> p.offer(nat, 16, 40), "past the source's end");
            assertThrows(IllegalArgumentException.class, () -> p.offer(nat, 0, 65));
        }
    }

    @Test
    void claimedRecordIsWrittenInPlaceAndAbortedOneSkipped() {
        try (Channel ch = ChannelKind.AGRONA_ONE_TO_ONE.create(SMALL)) {
            ChannelProducer p = ch.producer(0);
            assertTrue(p.tryClaim(4));
            p.buffer().set(ValueLayout.JAVA_INT_UNALIGNED, p.offset(), 0xdead);
            p.abort();
            assertThrows(IllegalStateException.class, p::commit, "nothing claimed");
            assertTrue(p.tryClaim(4));
            p.buffer().set(ValueLayout.JAVA_INT_UNALIGNED, p.offset(), 0xbeef);
            p.commit();
            AtomicInteger value = new AtomicInteger();
            assertEquals(1, ch.poll((d, o, l) -> value.set(d.get(ValueLayout.JAVA_INT_UNALIGNED, o)), 10));
            assertEquals(0xbeef, value.get());
        }
    }

    @Test
    void awaitTimesOutWithZero() {
        try (Channel ch = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL)) {
            assertEquals(0, ch.await((d, o, l) -> { }, 16, 0));
            assertEquals(0, ch.await((d, o, l) -> { }, 16, TimeUnit.MILLISECONDS.toNanos(5)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"AGRONA_MANY_TO_ONE", "AGRONA_ONE_TO_ONE"})
    void shutdownReleasesAWaitingConsumer(ChannelKind kind) throws Exception {
        try (Channel ch = kind.create(SMALL)) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread t = awaitOnce(ch, (d, o, l) -> { }, -1, started, result); // no timeout at all
            assertTrue(started.await(10, TimeUnit.SECONDS));
            awaitParked(t); // backed off into parkNanos
            ch.shutdown();
            t.join(10_000);
            assertFalse(t.isAlive(), "shutdown did not release the consumer");
            assertEquals(-1, result.get());
            assertEquals(-1, ch.await((d, o, l) -> { }, 16, -1), "later awaits return at once");
        }
    }

    @Test
    void recordsWrittenBeforeShutdownAreStillDelivered() {
        try (Channel ch = ChannelKind.AGRONA_MANY_TO_ONE.create(SMALL)) {
            MemorySegment src = MemorySegment.ofArray(new byte[16]);
            for (int i = 0; i < 3; i++) {
                assertTrue(ch.producer(0).offer(src, 0, 16));
            }
            ch.shutdown();
            assertEquals(3, ch.await((d, o, l) -> { }, 16, -1));
            assertEquals(-1, ch.await((d, o, l) -> { }, 16, -1));
        }
    }
}
