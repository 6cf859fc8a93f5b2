package dev.ringbench.kernel;

import dev.ringbench.ringbuf.Errno;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class KernelRingBufTest {
    @BeforeEach
    void kernel() {
        KernelAssumptions.assumeKernel();
    }

    @Test
    void outputProgramFillsTheMapAndThePortConsumerReadsIt() {
        try (KernelRingBuf rb = KernelRingBuf.create(16384); IoMap io = IoMap.create(RingPrograms.ioSize(256));
             BpfProgram out = BpfProgram.load(RingPrograms.output(rb.fd(), io, 256, RingPrograms.FlagsMode.FROM_IO), "out");
             TestRun run = new TestRun()) {
            MemorySegment v = io.value();
            for (int i = 0; i < 5; i++) {
                v.set(JAVA_LONG, RingPrograms.LEN, 3 + i);
                for (int j = 0; j < 3 + i; j++) {
                    v.set(JAVA_BYTE, RingPrograms.PAYLOAD + j, (byte) (i * 10 + j));
                }
                assertEquals(0, run.runOnce(out));
                assertEquals(0, v.get(JAVA_LONG, RingPrograms.RESULT));
            }
            assertEquals(5, v.get(JAVA_LONG, RingPrograms.HITS));
            List<byte[]> got = new ArrayList<>();
            try (RingBufConsumer c = RingBufConsumer.create(rb, s -> {
                got.add(s.toArray(JAVA_BYTE));
                return 0;
            })) {
                assertEquals(5, c.poll(100));
                Ring r = c.ring(0);
                assertEquals(r.producerPos(), r.consumerPos());
            }
            for (int i = 0; i < 5; i++) {
                byte[] want = new byte[3 + i];
                for (int j = 0; j < want.length; j++) {
                    want[j] = (byte) (i * 10 + j);
                }
                assertArrayEquals(want, got.get(i));
            }
        }
    }

    @Test
    void pollSleepsInEpollUntilTheKernelWakesIt() throws Exception {
        try (KernelRingBuf rb = KernelRingBuf.create(16384); IoMap io = IoMap.create(RingPrograms.ioSize(64));
             BpfProgram out = BpfProgram.load(RingPrograms.output(rb.fd(), io, 64, RingPrograms.FlagsMode.FROM_IO), "out");
             TestRun run = new TestRun();
             RingBufConsumer c = RingBufConsumer.create(rb, s -> 0)) {
            assertEquals(0, c.poll(0));
            io.value().set(JAVA_LONG, RingPrograms.LEN, 8);
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                run.runOnce(out);
            });
            t.start();
            long t0 = System.nanoTime();
            assertEquals(1, c.poll(5000));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            t.join();
            org.junit.jupiter.api.Assertions.assertTrue(ms >= 150 && ms < 4000, "woke after " + ms + " ms");
            c.close();
            assertEquals(Errno.EBADF, c.poll(10));
        }
    }
}
