package dev.ringbench.competitors.kernel;

import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.PerProducerCounter;
import dev.ringbench.kernel.Bpf;
import dev.ringbench.kernel.BpfProgram;
import dev.ringbench.kernel.IoMap;
import dev.ringbench.kernel.PerfEventArray;
import dev.ringbench.kernel.PerfPrograms;
import dev.ringbench.kernel.RingPrograms;
import dev.ringbench.kernel.TestRun;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One producer of a {@link KernelPerfBufChannel}: its own io map and program, run with
 * {@code BPF_PROG_TEST_RUN} on its CPU. Copy-only; allocation-free per offer.
 */
final class KernelPerfProducer implements ChannelProducer, AutoCloseable {
    private static final int EINTR = 4;

    private final int cpu;
    private final int id;
    private final int maxPayload;
    private final PerProducerCounter drops;
    private final IoMap io;
    private final MemorySegment value;
    private final TestRun run = new TestRun();
    private final BpfProgram prog;

    KernelPerfProducer(PerfEventArray array, int cpu, int id, int maxPayload, PerProducerCounter drops) {
        this.cpu = cpu;
        this.id = id;
        this.maxPayload = maxPayload;
        this.drops = drops;
        this.io = IoMap.create(RingPrograms.ioSize(maxPayload));
        this.value = io.value();
        try {
            this.prog = BpfProgram.load(Bpf.BPF_PROG_TYPE_RAW_TRACEPOINT, PerfPrograms.output(array.fd(), io, maxPayload),
                    "pb_output");
        } catch (RuntimeException e) {
            io.close();
            run.close();
            throw e;
        }
    }

    @Override
    public boolean tryClaim(int length) {
        throw new UnsupportedOperationException("perf buffers are copy-only: offer");
    }

    @Override
    public MemorySegment buffer() {
        throw new UnsupportedOperationException("perf buffers are copy-only: offer");
    }

    @Override
    public long offset() {
        throw new UnsupportedOperationException("perf buffers are copy-only: offer");
    }

    @Override
    public void commit() {
        throw new UnsupportedOperationException("perf buffers are copy-only: offer");
    }

    @Override
    public void abort() {
        throw new UnsupportedOperationException("perf buffers are copy-only: no discard");
    }

    @Override
    public boolean offer(MemorySegment src, long srcOffset, int length) {
        if (length < 0 || length > maxPayload) {
            throw new IllegalArgumentException("length " + length + " outside [0, " + maxPayload + "]");
        }
        MemorySegment.copy(src, srcOffset, value, RingPrograms.PAYLOAD, length);
        value.set(JAVA_INT, PerfPrograms.LEN_PREFIX, length);
        value.set(JAVA_LONG, RingPrograms.LEN, length);
        long r;
        do {
            r = run.runOnCpu(prog, cpu);
        } while (r == -EINTR);
        if (r < 0) {
            throw new IllegalStateException("BPF_PROG_TEST_RUN on cpu " + cpu + " failed: errno " + -r);
        }
        if (r != 0) {
            drops.increment(id);
            return false;
        }
        return true;
    }

    /** The CPU whose ring this producer writes. */
    int cpu() {
        return cpu;
    }

    @Override
    public void close() {
        prog.close();
        run.close();
        io.close();
    }
}
