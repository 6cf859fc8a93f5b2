package dev.ringbench.benches.kernelbench;

import dev.ringbench.kernel.BenchPrograms;
import dev.ringbench.kernel.Bpf;
import dev.ringbench.kernel.BpfProgram;
import dev.ringbench.kernel.IoMap;
import dev.ringbench.kernel.KernelRingBuf;
import dev.ringbench.kernel.RingPrograms;
import dev.ringbench.kernel.TestRun;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code bench_ringbuf} in the live kernel: {@link BenchPrograms#ringbuf} (the batch loop inside
 * one program run) per producer, with its own io value for the drop counter, triggered by one
 * {@code BPF_PROG_TEST_RUN} on the caller's CPU.
 */
final class KernelRingTrigger implements Trigger {
    private final IoMap[] io;
    private final BpfProgram[] progs;
    private final TestRun[] runs;
    private final int batch;

    KernelRingTrigger(KernelRingBuf rb, BenchPoint p) {
        int n = p.producers();
        this.batch = p.batch();
        io = new IoMap[n];
        progs = new BpfProgram[n];
        runs = new TestRun[n];
        long wakeupDataSize = p.sampled() ? p.sampleRate() * 16L : 0;
        try {
            for (int i = 0; i < n; i++) {
                io[i] = IoMap.create(RingPrograms.ioSize(8));
                io[i].value().set(JAVA_LONG, RingPrograms.PAYLOAD, BenchPrograms.SAMPLE_VAL);
                progs[i] = BpfProgram.load(Bpf.BPF_PROG_TYPE_RAW_TRACEPOINT,
                        BenchPrograms.ringbuf(rb.fd(), io[i], batch, p.useOutput(), wakeupDataSize), "bench_ringbuf");
                runs[i] = new TestRun();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void triggerBatch(int producer) {
        long r = runs[producer].runOnCpu(progs[producer], -1);
        if (r != 0) {
            throw new IllegalStateException("BPF_PROG_TEST_RUN(bench_ringbuf) returned " + r);
        }
    }

    @Override
    public long drops() {
        long sum = 0;
        for (IoMap m : io) {
            sum += m.value().get(JAVA_LONG, RingPrograms.DROPS);
        }
        return sum;
    }

    @Override
    public String description() {
        return "one bpf(BPF_PROG_TEST_RUN) syscall per batch of " + batch
                + " (raw tracepoint program, loop inside the kernel; fentry on getpgid is not available here)";
    }

    @Override
    public void close() {
        KernelPerfTrigger.closeAll(runs, progs, io);
    }
}
