package dev.ringbench.benches.kernelbench;

import dev.ringbench.kernel.BenchPrograms;
import dev.ringbench.kernel.Bpf;
import dev.ringbench.kernel.BpfProgram;
import dev.ringbench.kernel.IoMap;
import dev.ringbench.kernel.PerfEventArray;
import dev.ringbench.kernel.RingPrograms;
import dev.ringbench.kernel.TestRun;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code bench_perfbuf} in the live kernel: {@link BenchPrograms#perfbuf} per producer, one
 * {@code BPF_PROG_TEST_RUN} per batch on the caller's CPU, whose ring ({@code BPF_F_CURRENT_CPU})
 * receives the samples, as with fentry.
 */
final class KernelPerfTrigger implements Trigger {
    private final IoMap[] io;
    private final BpfProgram[] progs;
    private final TestRun[] runs;
    private final int batch;

    KernelPerfTrigger(PerfEventArray array, BenchPoint p) {
        int n = p.producers();
        this.batch = p.batch();
        io = new IoMap[n];
        progs = new BpfProgram[n];
        runs = new TestRun[n];
        try {
            for (int i = 0; i < n; i++) {
                io[i] = IoMap.create(RingPrograms.ioSize(8));
                io[i].value().set(JAVA_LONG, RingPrograms.PAYLOAD, BenchPrograms.SAMPLE_VAL);
                progs[i] = BpfProgram.load(Bpf.BPF_PROG_TYPE_RAW_TRACEPOINT,
                        BenchPrograms.perfbuf(array.fd(), io[i], batch), "bench_perfbuf");
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
            throw new IllegalStateException("BPF_PROG_TEST_RUN(bench_perfbuf) returned " + r);
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
                + " (raw tracepoint program, loop inside the kernel, BPF_F_CURRENT_CPU; fentry on getpgid is not available here)";
    }

    @Override
    public void close() {
        closeAll(runs, progs, io);
    }

    static void closeAll(TestRun[] runs, BpfProgram[] progs, IoMap[] io) {
        for (int i = 0; i < io.length; i++) {
            if (runs[i] != null) {
                runs[i].close();
            }
            if (progs[i] != null) {
                progs[i].close();
            }
            if (io[i] != null) {
                io[i].close();
            }
        }
    }
}
