package dev.ringbench.kernel;

import dev.ringbench.ringbuf.RawSampleCallback;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.os.WakeMechanism;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The kernel benchmark's batch programs: one test run emits a whole batch inside the kernel. */
class BenchProgramsTest {
    @BeforeEach
    void kernel() {
        KernelAssumptions.assumeKernel();
    }

    @Test
    void oneRunEmitsTheBatchAndCountsWhatDidNotFitAsDrops() {
        for (boolean output : new boolean[] {false, true}) {
            try (KernelRingBuf rb = KernelRingBuf.create(4096); IoMap io = IoMap.create(RingPrograms.ioSize(8));
                 BpfProgram p = BpfProgram.load(Bpf.BPF_PROG_TYPE_RAW_TRACEPOINT,
                         BenchPrograms.ringbuf(rb.fd(), io, 300, output, 0), "rb_bench");
                 TestRun run = new TestRun()) {
                MemorySegment v = io.value();
                v.set(JAVA_LONG, RingPrograms.PAYLOAD, BenchPrograms.SAMPLE_VAL);
                assertEquals(0, run.runOnCpu(p, -1));
                // 16 bytes a record; a ring holds at most size - 8 bytes: 255 records of 4096
                assertEquals(255 * 16, rb.producerPage().get(JAVA_LONG, 0), "output " + output);
                assertEquals(45, v.get(JAVA_LONG, RingPrograms.DROPS));
                long[] sum = new long[2];
                RawSampleCallback cb = (data, off, len) -> {
                    sum[0] += data.get(JAVA_LONG, off);
                    sum[1]++;
                    return 0;
                };
                try (RingBufConsumer c = RingBufConsumer.create(rb, cb, Ring.Mode.BATCHED, WakeMechanism.EVENTFD)) {
                    assertEquals(255, c.consume());
                }
                assertEquals(255 * BenchPrograms.SAMPLE_VAL, sum[0]);
            }
        }
    }

    @Test
    void sampledProgramWakesTheSleepingConsumerOnlyOnceTheThresholdIsReached() throws Exception {
        try (KernelRingBuf rb = KernelRingBuf.create(512 * 1024); IoMap io = IoMap.create(RingPrograms.ioSize(8));
             // wake when 100 records (1600 bytes) are available; a batch of 50 stays below it
             BpfProgram p = BpfProgram.load(Bpf.BPF_PROG_TYPE_RAW_TRACEPOINT,
                     BenchPrograms.ringbuf(rb.fd(), io, 50, false, 100 * 16), "rb_sampled");
             TestRun run = new TestRun();
             RingBufConsumer c = RingBufConsumer.create(rb, (d, o, l) -> 0, Ring.Mode.LIBBPF, WakeMechanism.EVENTFD)) {
            int[] got = new int[1];
            Thread t = new Thread(() -> got[0] = c.poll(5_000));
            t.start();
            Thread.sleep(200); // the consumer is asleep in epoll_wait on an empty ring
            assertEquals(0, run.runOnCpu(p, -1));
            t.join(300);
            assertEquals(true, t.isAlive(), "50 records sent NO_WAKEUP only: the consumer must still sleep");
            assertEquals(0, run.runOnCpu(p, -1)); // 100 records: the last commits FORCE_WAKEUP
            t.join(2_000);
            assertEquals(false, t.isAlive());
            assertEquals(100, got[0]);
            assertEquals(1, c.wakeups());
        }
    }

    @Test
    void perfProgramWritesTheBatchToTheCallersCpuRing() {
        try (PerfEventArray arr = PerfEventArray.create(1, 1, 0); IoMap io = IoMap.create(RingPrograms.ioSize(8));
             BpfProgram p = BpfProgram.load(Bpf.BPF_PROG_TYPE_RAW_TRACEPOINT, BenchPrograms.perfbuf(arr.fd(), io, 20), "pb_bench");
             TestRun run = new TestRun()) {
            int cpu = arr.rings().get(0).cpu();
            assertEquals(0, run.runOnCpu(p, cpu));
            // one sample: 8-byte header, u32 raw_size, 8 bytes, padded to 24
            assertEquals(20 * 24, arr.rings().get(0).controlPage().get(JAVA_LONG, 1024));
            assertEquals(0, io.value().get(JAVA_LONG, RingPrograms.DROPS));
            assertEquals(0, run.runOnCpu(BpfProgram.load(Bpf.BPF_PROG_TYPE_RAW_TRACEPOINT,
                    BenchPrograms.perfbuf(arr.fd(), io, 200), "pb_bench_big"), cpu));
            // 4096 bytes hold 170 samples: 20 + 150 of 200, 50 dropped
            assertEquals(50, io.value().get(JAVA_LONG, RingPrograms.DROPS));
        }
    }

    @Test
    void badBatchIsRefusedWithItsLimits() {
        try (IoMap io = IoMap.create(RingPrograms.ioSize(8))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BenchPrograms.ringbuf(3, io, 0, false, 0));
            assertEquals("batchCnt must be in [1, 4096]: 0", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> BenchPrograms.perfbuf(3, io, BenchPrograms.MAX_BATCH + 1));
        }
    }
}
