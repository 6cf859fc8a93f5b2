package dev.ringbench.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * {@link MappedAtomics}: which mode the build's tests run in, that each access does what its
 * {@link Atomics} counterpart does, and that the unchecked mode's bounds are asserted.
 */
class MappedAtomicsTest {
    /**
     * The build's tests run the port unchecked (its fast path is what they test), except in the
     * execution that sets {@value MappedAtomics#CHECKED_PROPERTY}, which must really run checked.
     */
    @Test
    void theModeIsUncheckedUnlessTheCheckedPropertyIsSet() {
        boolean wantChecked = Boolean.getBoolean(MappedAtomics.CHECKED_PROPERTY);
        assertEquals(!wantChecked, MappedAtomics.UNCHECKED, MappedAtomics.mode());
    }

    @Test
    void eachAccessReadsAndWritesTheSegmentsWords() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(64, 64);
            MappedAtomics.storeLong(s, 8, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, MappedAtomics.loadLong(s, 8));
            assertEquals(0x1122334455667788L, MappedAtomics.readOnceLong(s, 8));
            assertEquals(0x1122334455667788L, Atomics.smpLoadAcquireLong(s, 8), "the same word as the checked accessors");
            MappedAtomics.smpStoreReleaseLong(s, 16, -2);
            assertEquals(-2, MappedAtomics.smpLoadAcquireLong(s, 16));
            assertEquals(0x55667788, MappedAtomics.smpLoadAcquireInt(s, 8), "little-endian low half");

            assertEquals(0, MappedAtomics.cmpxchgAcquireLong(s, 24, 0, 7), "witness on success");
            assertEquals(7, MappedAtomics.cmpxchgAcquireLong(s, 24, 0, 9), "witness on failure");
            assertEquals(7, MappedAtomics.loadLong(s, 24), "a failed cmpxchg writes nothing");

            assertEquals(0, MappedAtomics.cmpxchgInt(s, 32, 0, 5));
            assertEquals(5, MappedAtomics.cmpxchgInt(s, 32, 1, 6));
            assertEquals(5, MappedAtomics.smpLoadAcquireInt(s, 32));
        }
    }

    /** Unchecked, an offset outside the segment is caught by the assertion (tests run with -ea), not by a fault. */
    @Test
    void anOffsetOutsideTheSegmentOrMisalignedIsRefused() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(64, 64);
            Class<? extends Throwable> expected = MappedAtomics.UNCHECKED ? AssertionError.class : IndexOutOfBoundsException.class;
            assertThrows(expected, () -> MappedAtomics.loadLong(s, 64));
            assertThrows(expected, () -> MappedAtomics.storeLong(s, -8, 1));
            assertThrows(expected, () -> MappedAtomics.smpLoadAcquireInt(s, 62));
            if (MappedAtomics.UNCHECKED) {
                assertThrows(AssertionError.class, () -> MappedAtomics.cmpxchgAcquireLong(s, 4, 0, 1), "misaligned");
            }
        }
    }

    @Test
    void assertionsAreOnInTheBuildsTests() {
        boolean on = false;
        assert on = true;
        assumeTrue(on, "run with -ea");
        assertEquals(true, on);
    }
}
