package dev.ringbench.kernel;

import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Triggering a program and consuming a real kernel ring allocate nothing per record once warm. */
class KernelSteadyStateAllocationTest {
    private static final java.lang.foreign.ValueLayout.OfLong U64 = JAVA_LONG.withByteAlignment(1);
    @BeforeEach
    void kernel() {
        KernelAssumptions.assumeKernel();
    }

    @Test
    void testRunAndConsumeAllocateNothingPerRecord() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] sum = {0};
        try (KernelRingBuf rb = KernelRingBuf.create(64 * 1024); IoMap io = IoMap.create(RingPrograms.ioSize(64));
             BpfProgram out = BpfProgram.load(RingPrograms.output(rb.fd(), io, 64, RingPrograms.FlagsMode.FROM_IO), "out");
             TestRun run = new TestRun();
             RingBufConsumer c = RingBufConsumer.create(rb, (d, off, len) -> {
                 sum[0] += d.get(U64, off);
                 return 0;
             }, Ring.Mode.LIBBPF)) {
            io.value().set(JAVA_LONG, RingPrograms.LEN, 8);
            io.value().set(JAVA_LONG, RingPrograms.PAYLOAD, 3);
            for (int round = 0; round < 5; round++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 20_000; i++) {
                    run.run(out, 1);
                    if ((i & 63) == 63) {
                        c.poll(0);
                    }
                }
                c.poll(0);
                long allocated = mx.getCurrentThreadAllocatedBytes() - before;
                if (round == 4) {
                    assertTrue(allocated < 20_000, "allocated " + allocated + " bytes for 20000 records");
                }
            }
            assertEquals(5L * 60_000, sum[0]);
        }
    }
}
