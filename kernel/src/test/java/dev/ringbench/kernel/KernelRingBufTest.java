package dev.ringbench.kernel;

import dev.ringbench.os.Errno;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
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
    void reserveDiscardAndSampledProgramsBehaveAsThePortsHelpers() {
        try (KernelRingBuf rb = KernelRingBuf.create(4096); IoMap io = IoMap.create(RingPrograms.ioSize(64));
             BpfProgram submit = BpfProgram.load(RingPrograms.reserveCommit(rb.fd(), io, 24, false, RingPrograms.FlagsMode.SAMPLED), "sub");
             BpfProgram discard = BpfProgram.load(RingPrograms.reserveCommit(rb.fd(), io, 24, true, RingPrograms.FlagsMode.FROM_IO), "dis");
             TestRun run = new TestRun();
             dev.ringbench.ringbuf.BpfRingBuf port = dev.ringbench.ringbuf.BpfRingBuf.create(4096)) {
            MemorySegment v = io.value();
            v.set(JAVA_LONG, RingPrograms.THRESHOLD, 64);
            for (int i = 0; i < 24; i++) {
                v.set(JAVA_BYTE, RingPrograms.PAYLOAD + i, (byte) (i + 1));
            }
            MemorySegment payload = v.asSlice(RingPrograms.PAYLOAD, 24);
            assertEquals(0, run.run(discard, 1));
            long h = port.reserve(24);
            MemorySegment.copy(payload, 0, port.sampleArea(), port.sampleOffset(h), 24);
            port.discard(h, 0);
            // a batch of 200 through repeat: 4096 bytes hold 4088, so 127 of 32 bytes fit with the discarded one
            assertEquals(1, run.run(submit, 200), "the last run of the batch was a drop");
            int placed = 0;
            for (int i = 0; i < 200; i++) {
                long flags = port.query(dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_AVAIL_DATA) + 32 >= 64 + 32 ? 2 : 1;
                long hh = port.reserve(24);
                if (hh != 0) {
                    MemorySegment.copy(payload, 0, port.sampleArea(), port.sampleOffset(hh), 24);
                    port.submit(hh, flags);
                    placed++;
                }
            }
            assertEquals(placed, v.get(JAVA_LONG, RingPrograms.HITS) - 1);
            assertEquals(200 - placed, v.get(JAVA_LONG, RingPrograms.DROPS));
            assertEquals(-1, rb.producerPage().mismatch(port.producerPage()));
            assertEquals(-1, rb.data().asSlice(0, 4096).mismatch(port.data().asSlice(0, 4096)));
            assertEquals(1 << 30 | 24, rb.data().get(JAVA_INT, 0), "the first record is DISCARDed");
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
