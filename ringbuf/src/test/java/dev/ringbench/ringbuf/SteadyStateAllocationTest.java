package dev.ringbench.ringbuf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steady-state path (reserve, write, submit, consume) allocates nothing per record. Measured
 * with the thread's allocation counter after a warm-up long enough for the JIT; the bound allows a
 * few stray objects per run (class loading, JIT deoptimisation) but not one per record.
 */
class SteadyStateAllocationTest {
    private static final int WARMUP = 300_000;
    private static final int RECORDS = 1_000_000;
    /** Far below one byte per record; any per-record allocation costs at least 16 bytes each. */
    private static final long BOUND = 64 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    private static final class Sum implements RawSampleCallback {
        long sum;

        @Override
        public int onSample(MemorySegment data, long offset, int length) {
            sum += data.get(ValueLayout.JAVA_LONG, offset);
            return 0;
        }
    }

    @ParameterizedTest
    @EnumSource(Ring.Mode.class)
    void reserveWriteSubmitConsumeAllocatesNothingPerRecord(Ring.Mode mode) {
        try (BpfRingBuf rb = BpfRingBuf.create(64 * 1024)) {
            Sum sum = new Sum();
            RingBufConsumer c = RingBufConsumer.create(rb, sum, mode);
            MemorySegment area = rb.sampleArea();
            Runnable batch = () -> {
                for (int i = 0; i < 1000; i++) {
                    long h = rb.reserve(16);
                    area.set(ValueLayout.JAVA_LONG, rb.sampleOffset(h), i);
                    rb.submit(h, 0);
                }
                c.poll(0);
            };
            run(batch, WARMUP / 1000);
            long before = allocated();
            run(batch, RECORDS / 1000);
            long used = allocated() - before;
            assertTrue(used < BOUND, mode + ": " + used + " bytes for " + RECORDS + " records");
            assertEquals((long) (WARMUP + RECORDS) / 1000 * (999 * 1000 / 2), sum.sum);
        }
    }

    @Test
    void outputAndDynptrPathsAllocateNothingPerRecord() {
        try (BpfRingBuf rb = BpfRingBuf.create(64 * 1024); Arena arena = Arena.ofConfined()) {
            Sum sum = new Sum();
            RingBufConsumer c = RingBufConsumer.create(rb, sum, Ring.Mode.LIBBPF);
            MemorySegment payload = arena.allocate(24);
            RingBufDynptr ptr = new RingBufDynptr();
            Runnable batch = () -> {
                for (int i = 0; i < 500; i++) {
                    payload.set(ValueLayout.JAVA_LONG, 0, i);
                    rb.output(payload, 0);
                    rb.reserveDynptr(8, 0, ptr);
                    rb.sampleArea().set(ValueLayout.JAVA_LONG, rb.sampleOffset(ptr.handle()), 0L);
                    rb.submitDynptr(ptr, 0);
                }
                c.consume();
            };
            run(batch, WARMUP / 1000);
            long before = allocated();
            run(batch, RECORDS / 1000);
            long used = allocated() - before;
            assertTrue(used < BOUND, used + " bytes for " + RECORDS + " records");
        }
    }

    private static void run(Runnable batch, int times) {
        for (int i = 0; i < times; i++) {
            batch.run();
        }
    }
}
