package dev.ringbench.ringbuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing a ring whose producers access it unchecked ({@code MappedAtomics}; RingMemory's
 * "Closing" section): close frees the ring's pages but leaves the address range mapped (zero
 * pages), so a reservation that is already past its "is it open?" check cannot fault; the range
 * is unmapped once the ring is unreachable; every call after close throws
 * {@link IllegalStateException}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloseSafetyTest {
    private static final long SIZE = 4096;

    /** The /proc/self/maps lines whose range contains {@code address}. */
    private static List<String> mappingsAt(long address) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> {
            String[] range = l.substring(0, l.indexOf(' ')).split("-");
            return Long.compareUnsigned(Long.parseUnsignedLong(range[0], 16), address) <= 0
                    && Long.compareUnsigned(address, Long.parseUnsignedLong(range[1], 16)) < 0;
        }).toList();
    }

    private static long baseOf(BpfRingBuf rb) {
        return rb.consumerPage().address() - RingBufDescriptor.CONSUMER_PAGE_OFFSET;
    }

    @Test
    void closeReplacesTheRingsPagesByZeroPagesAndKeepsTheRangeMapped() throws IOException {
        BpfRingBuf rb = BpfRingBuf.create(SIZE);
        long base = baseOf(rb);
        long secondData = base + RingBufDescriptor.DATA_OFFSET + SIZE;
        assertTrue(mappingsAt(base).getFirst().contains("memfd:bpf_ringbuf"), mappingsAt(base).toString());
        assertTrue(mappingsAt(secondData).getFirst().contains("memfd:bpf_ringbuf"), "the data pages' second mapping");
        rb.close();
        for (long a : new long[] {base, secondData}) {
            List<String> m = mappingsAt(a);
            assertEquals(1, m.size(), "still mapped: a late unchecked access cannot fault");
            assertFalse(m.getFirst().contains("memfd"), "the ring's pages are gone: " + m);
            assertTrue(m.getFirst().split("\\s+")[1].startsWith("rw"), m.toString());
        }
    }

    /**
     * The race this protocol exists for, made deterministic: the ring is closed while a
     * reservation holds the lock, after its open check, so everything the reservation still does
     * (the pending_pos walk, the header, producer_pos, the unlock) is an unchecked access to a
     * closed ring. Unmapping on close would crash the JVM here (seen: SIGSEGV with close unmapping).
     */
    @Test
    void closingInsideAReservationNeverFaults() {
        BpfRingBuf rb = BpfRingBuf.create(SIZE);
        for (int i = 0; i < 3; i++) { // records behind, so the pending_pos walk reads headers too
            rb.submit(rb.reserve(8), 0);
        }
        rb.whileLocked = rb::close;
        long h;
        try {
            h = rb.reserve(8); // unchecked: completes on the zero pages
        } catch (IllegalStateException checked) {
            h = 4 * 16 + 8; // checked (-Dringbench.checkedAccess=true): the accesses themselves refuse
        }
        rb.whileLocked = null;
        assertFalse(rb.isOpen());
        long handle = h;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rb.submit(handle, 0));
        assertEquals("ring buffer is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> rb.reserve(8));
    }

    /** Producers that keep reserving and committing while another thread closes: each ends with IllegalStateException. */
    @Test
    void producersRacingCloseEndWithIllegalStateException() throws Exception {
        for (int round = 0; round < 50; round++) {
            BpfRingBuf rb = BpfRingBuf.create(SIZE);
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread[] producers = new Thread[2];
            for (int p = 0; p < producers.length; p++) {
                producers[p] = Thread.ofPlatform().start(() -> {
                    try {
                        while (true) {
                            long h = rb.reserve(8);
                            if (h != 0) {
                                rb.submit(h, BpfRingBuf.BPF_RB_NO_WAKEUP);
                            } else {
                                Thread.onSpinWait();
                            }
                        }
                    } catch (Throwable t) {
                        ended.compareAndSet(null, t);
                    }
                });
            }
            Thread.sleep(1);
            rb.close();
            for (Thread t : producers) {
                t.join(10_000);
                assertFalse(t.isAlive());
            }
            assertTrue(ended.get() instanceof IllegalStateException, String.valueOf(ended.get()));
        }
    }

    /** The range is unmapped once a closed ring is unreachable (its Cleaner). */
    @Test
    void aClosedRingsRangeIsUnmappedOnceUnreachable() throws Exception {
        long base = closedRingBase();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!mappingsAt(base).isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        // another mapping may reuse the address later; right after the cleaner ran nothing does
        assertTrue(mappingsAt(base).isEmpty() || !mappingsAt(base).getFirst().contains("memfd:bpf_ringbuf"),
                mappingsAt(base).toString());
        assertTrue(mappingsAt(base).isEmpty(), "unmapped by the cleaner: " + mappingsAt(base));
    }

    private static long closedRingBase() {
        BpfRingBuf rb = BpfRingBuf.create(SIZE);
        rb.close();
        return baseOf(rb);
    }
}
