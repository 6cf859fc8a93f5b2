package dev.ringbench.benches.kernelbench;

import dev.ringbench.kernel.BenchPrograms;
import dev.ringbench.kernel.Bpf;
import dev.ringbench.kernel.BpfAsm;
import dev.ringbench.kernel.BpfProgram;
import dev.ringbench.kernel.IoMap;
import dev.ringbench.kernel.KernelRingBuf;
import dev.ringbench.kernel.PerfEventArray;
import dev.ringbench.kernel.RingPrograms;
import dev.ringbench.kernel.TestRun;

import java.util.function.Function;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code bench_ringbuf} or {@code bench_perfbuf} in the live kernel ({@link BenchPrograms}: the
 * batch loop inside one program run), one program and io value (its drop counter) per producer,
 * triggered by one {@code BPF_PROG_TEST_RUN} on the caller's CPU, whose perf ring
 * ({@code BPF_F_CURRENT_CPU}) receives perf samples, as with fentry.
 */
final class KernelTrigger implements Trigger {
    private final IoMap[] io;
    private final BpfProgram[] progs;
    private final TestRun[] runs;
    private final String name;
    private final int batch;

    private KernelTrigger(BenchPoint p, String name, Function<IoMap, BpfAsm> program) {
        int n = p.producers();
        this.batch = p.batch();
        this.name = name;
        io = new IoMap[n];
        progs = new BpfProgram[n];
        runs = new TestRun[n];
        try {
            for (int i = 0; i < n; i++) {
                io[i] = IoMap.create(RingPrograms.ioSize(8));
                io[i].value().set(JAVA_LONG, RingPrograms.PAYLOAD, BenchPrograms.SAMPLE_VAL);
                progs[i] = BpfProgram.load(Bpf.BPF_PROG_TYPE_RAW_TRACEPOINT, program.apply(io[i]), name);
                runs[i] = new TestRun();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Producers of the live ring buffer. */
    static KernelTrigger ringbuf(KernelRingBuf rb, BenchPoint p) {
        long wakeupDataSize = p.sampled() ? p.sampleRate() * 16L : 0; // record data + header take 16 bytes
        return new KernelTrigger(p, "bench_ringbuf",
                io -> BenchPrograms.ringbuf(rb.fd(), io, p.batch(), p.useOutput(), wakeupDataSize));
    }

    /** Producers of the live perf buffer. */
    static KernelTrigger perfbuf(PerfEventArray array, BenchPoint p) {
        return new KernelTrigger(p, "bench_perfbuf", io -> BenchPrograms.perfbuf(array.fd(), io, p.batch()));
    }

    @Override
    public void triggerBatch(int producer) {
        long r = runs[producer].runOnCpu(progs[producer], -1);
        if (r != 0) {
            throw new IllegalStateException("BPF_PROG_TEST_RUN(" + name + ") returned " + r);
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
        return "one bpf(BPF_PROG_TEST_RUN) syscall per batch of " + batch + " (" + name
                + ": raw tracepoint program, loop inside the kernel; fentry on getpgid is not available here)";
    }

    @Override
    public void close() {
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
