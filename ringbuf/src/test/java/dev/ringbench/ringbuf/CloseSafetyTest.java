package dev.ringbench.ringbuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing a ring whose producers access it unchecked ({@code MappedAtomics}, {@code MappedMemory}):
 * close frees the ring's pages but leaves the address range mapped (zero pages), so a reservation
 * that is already past its "is it open?" check cannot fault, and every call after close throws
 * {@link IllegalStateException}. That the range is unmapped once unreachable: {@code MappedMemoryTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloseSafetyTest {
    private static final long SIZE = 4096;

    /** The /proc/self/maps line of the mapping that starts at {@code address}, or "" if none does. */
    private static String mappingStartingAt(long address) throws IOException {
        String start = Long.toHexString(address) + "-";
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.startsWith(start)).findFirst().orElse("");
    }

    private static long baseOf(BpfRingBuf rb) {
        return rb.consumerPage().address() - RingBufDescriptor.CONSUMER_PAGE_OFFSET;
    }

    /** The ring's pages are freed at close (the memfd's mappings are replaced); MappedMemoryTest checks the rest. */
    @Test
    void closeFreesTheRingsPages() throws IOException {
        BpfRingBuf rb = BpfRingBuf.create(SIZE);
        long base = baseOf(rb);
        long secondData = base + RingBufDescriptor.DATA_OFFSET + SIZE;
        assertTrue(mappingStartingAt(base).contains("memfd:bpf_ringbuf"), mappingStartingAt(base));
        assertTrue(mappingStartingAt(secondData).contains("memfd:bpf_ringbuf"), "the data pages' second mapping");
        rb.close();
        assertFalse(mappingStartingAt(base).contains("memfd"), mappingStartingAt(base));
        assertFalse(mappingStartingAt(secondData).contains("memfd"), mappingStartingAt(secondData));
    }

    /**
     * Close maps zero pages over the whole range: for a big ring that range (the data twice) can
     * be larger than the memory the kernel lets one private mapping commit. It is mapped
     * NORESERVE, so the memory is still freed (without it, a 16 GiB ring on this 24 GiB machine
     * kept its memfd pages after close: the remap's ENOMEM was swallowed).
     */
    @Test
    void closeFreesEvenARingWhoseRangeExceedsTheMachinesMemory() throws IOException {
        long total = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).findFirst().orElseThrow();
        // the largest power of two below the machine's memory: the range, the data twice, exceeds it
        long size = Long.highestOneBit(total - 1);
        org.junit.jupiter.api.Assumptions.assumeTrue(size <= RingBufDescriptor.MAX_DATA_SZ, "ring size " + size);
        // strict accounting (vm.overcommit_memory = 2) ignores NORESERVE: such a machine keeps a
        // closed ring's pages until the cleaner unmaps it, which MappedMemory documents
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.readString(Path.of("/proc/sys/vm/overcommit_memory")).trim().equals("2"));
        BpfRingBuf rb = BpfRingBuf.create(size); // sparse: nothing is touched
        long base = baseOf(rb);
        assertTrue(mappingStartingAt(base).contains("memfd:bpf_ringbuf"), mappingStartingAt(base));
        rb.close();
        assertFalse(mappingStartingAt(base).contains("memfd"), "still the ring's pages: " + mappingStartingAt(base));
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
}
