package dev.ringbench.os;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link MappedMemory}'s close protocol: checked access ends, the memory is freed, the range stays
 * mapped (zero pages) for unchecked accesses that raced the close, and it is unmapped once
 * unreachable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MappedMemoryTest {
    private static final long LENGTH = 3 * 4096;

    /** The /proc/self/maps lines whose range contains {@code address}. */
    static List<String> mappingsAt(long address) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> {
            String[] range = l.substring(0, l.indexOf(' ')).split("-");
            return Long.compareUnsigned(Long.parseUnsignedLong(range[0], 16), address) <= 0
                    && Long.compareUnsigned(address, Long.parseUnsignedLong(range[1], 16)) < 0;
        }).toList();
    }

    @Test
    void closeEndsCheckedAccessFreesTheMemoryAndKeepsTheRangeMapped() throws IOException {
        MappedMemory m = MappedMemory.anonymous(LENGTH);
        MemorySegment s = m.segment();
        assertEquals(0, s.address() % 4096, "page aligned");
        s.set(JAVA_LONG, 8, 42);
        assertEquals(42, MappedAtomics.loadLong(s, 8));
        assertFalse(m.isClosed());
        m.close();
        m.close(); // idempotent
        assertTrue(m.isClosed());
        assertFalse(m.isOpen());
        assertThrows(IllegalStateException.class, () -> s.get(JAVA_LONG, 8), "checked access after close");
        for (long page = 0; page < LENGTH; page += 4096) {
            List<String> at = mappingsAt(s.address() + page);
            assertEquals(1, at.size(), "still mapped");
            assertTrue(at.getFirst().split("\\s+")[1].startsWith("rw"), at.toString());
        }
        if (MappedAtomics.UNCHECKED) { // a late unchecked access: zero pages, no fault
            assertEquals(0, MappedAtomics.loadLong(s, 8), "the old memory is gone");
            MappedAtomics.storeLong(s, 16, 7);
        }
    }

    @Test
    void aClosedUnreachableRangeIsUnmapped() throws Exception {
        long base = closedBase();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!mappingsAt(base).isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(mappingsAt(base).isEmpty(), "unmapped by the cleaner: " + mappingsAt(base));
    }

    private static long closedBase() {
        MappedMemory m = MappedMemory.anonymous(LENGTH);
        m.close();
        return m.segment().address();
    }
}
