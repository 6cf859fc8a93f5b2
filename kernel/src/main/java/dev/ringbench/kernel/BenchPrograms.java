package dev.ringbench.kernel;

import static dev.ringbench.kernel.BpfAsm.ADD;
import static dev.ringbench.kernel.BpfAsm.BPF_DW;
import static dev.ringbench.kernel.BpfAsm.JEQ;
import static dev.ringbench.kernel.BpfAsm.JGE;
import static dev.ringbench.kernel.BpfAsm.R0;
import static dev.ringbench.kernel.BpfAsm.R1;
import static dev.ringbench.kernel.BpfAsm.R2;
import static dev.ringbench.kernel.BpfAsm.R3;
import static dev.ringbench.kernel.BpfAsm.R4;
import static dev.ringbench.kernel.BpfAsm.R5;
import static dev.ringbench.kernel.BpfAsm.R6;
import static dev.ringbench.kernel.BpfAsm.R7;
import static dev.ringbench.kernel.BpfAsm.R8;
import static dev.ringbench.kernel.BpfAsm.R9;

/**
 * The kernel benchmark's producer programs ({@code tools/testing/selftests/bpf/progs/ringbuf_bench.c}
 * and {@code perfbuf_bench.c}): one run emits {@code batchCnt} 8-byte records in a loop inside the
 * kernel, counting a drop for each that does not fit. The original attaches them with fentry to
 * {@code getpgid} and triggers a batch with one {@code getpgid()}; fentry cannot be loaded on a
 * kernel without ftrace, so here the same loop is a raw tracepoint program run unattached with
 * {@code BPF_PROG_TEST_RUN} on the caller's CPU ({@link TestRun#runOnCpu}): one {@code bpf(2)}
 * syscall per batch instead of one {@code getpgid(2)}.
 *
 * <p>The batch count and the sampled wake-up threshold are constants in the code, as the original
 * keeps them in {@code .rodata} ({@code const volatile}), so the verifier sees a bounded loop
 * (Linux 5.3+). The io value ({@link RingPrograms}'s layout) holds the drop counter at
 * {@link RingPrograms#DROPS} and {@code sample_val} (42) at {@link RingPrograms#PAYLOAD}; one io
 * per producer thread, so the counter is a plain add where the original uses
 * {@code __sync_add_and_fetch} on one shared counter.
 */
public final class BenchPrograms {
    /** The value every record carries ({@code long sample_val = 42}). */
    public static final long SAMPLE_VAL = 42;
    /** The largest batch a program may loop over (the script's largest is 3000). */
    public static final int MAX_BATCH = 4096;

    private BenchPrograms() {
    }

    /**
     * {@code bench_ringbuf}: {@code batchCnt} times {@code bpf_ringbuf_reserve(8)}, store
     * {@code sample_val}, {@code bpf_ringbuf_submit(flags)}; or, with {@code useOutput},
     * {@code bpf_ringbuf_output(&sample_val, 8, flags)}. Flags: 0, or with
     * {@code wakeupDataSize > 0} ({@code --rb-sampled}) FORCE_WAKEUP when
     * {@code bpf_ringbuf_query(BPF_RB_AVAIL_DATA) >= wakeupDataSize}, else NO_WAKEUP.
     */
    public static BpfAsm ringbuf(int ringFd, IoMap io, int batchCnt, boolean useOutput, long wakeupDataSize) {
        check(io, batchCnt);
        BpfAsm a = new BpfAsm();
        a.ldMapValue(R6, io.fd(), 0);
        a.mov(R9, 0);
        a.bind("loop");
        a.jmp(JGE, R9, batchCnt, "end");
        if (!useOutput) {
            a.ldMap(R1, ringFd).mov(R2, 8).mov(R3, 0);
            a.call(Bpf.FN_RINGBUF_RESERVE);
            a.jmp(JEQ, R0, 0, "drop");
            a.movReg(R8, R0);
            a.ldx(BPF_DW, R1, R6, RingPrograms.PAYLOAD).stx(BPF_DW, R8, 0, R1); // *sample = sample_val
            flags(a, ringFd, wakeupDataSize);                                  // r7
            a.movReg(R1, R8).movReg(R2, R7);
            a.call(Bpf.FN_RINGBUF_SUBMIT);
            a.ja("next");
        } else {
            flags(a, ringFd, wakeupDataSize);
            a.ldMap(R1, ringFd);
            a.movReg(R2, R6).alu(ADD, R2, RingPrograms.PAYLOAD);
            a.mov(R3, 8).movReg(R4, R7);
            a.call(Bpf.FN_RINGBUF_OUTPUT);
            a.jmp(JEQ, R0, 0, "next");
        }
        a.bind("drop");
        return dropAndLoop(a);
    }

    /**
     * {@code bench_perfbuf}: {@code batchCnt} times
     * {@code bpf_perf_event_output(ctx, &perfbuf, BPF_F_CURRENT_CPU, &sample_val, 8)}. The
     * notification rate is the perf event's ({@code wakeup_events}), set when the array is made.
     */
    public static BpfAsm perfbuf(int perfMapFd, IoMap io, int batchCnt) {
        check(io, batchCnt);
        BpfAsm a = new BpfAsm();
        a.movReg(R7, R1);                              // ctx, for the helper
        a.ldMapValue(R6, io.fd(), 0);
        a.mov(R9, 0);
        a.bind("loop");
        a.jmp(JGE, R9, batchCnt, "end");
        a.movReg(R1, R7);
        a.ldMap(R2, perfMapFd);
        a.ldImm64(R3, Bpf.BPF_F_CURRENT_CPU);
        a.movReg(R4, R6).alu(ADD, R4, RingPrograms.PAYLOAD);
        a.mov(R5, 8);
        a.call(Bpf.FN_PERF_EVENT_OUTPUT);
        a.jmp(JEQ, R0, 0, "next");
        return dropAndLoop(a);
    }

    /** "drop": the drop counter (io[DROPS]) += 1; "next": i++ and loop; "end": return 0. */
    private static BpfAsm dropAndLoop(BpfAsm a) {
        a.ldx(BPF_DW, R1, R6, RingPrograms.DROPS).alu(ADD, R1, 1).stx(BPF_DW, R6, RingPrograms.DROPS, R1);
        a.bind("next");
        a.alu(ADD, R9, 1).ja("loop");
        a.bind("end");
        a.mov(R0, 0).exit();
        return a;
    }

    /** r7 = the commit flags ({@code get_flags()}); r6 = io. May call {@code bpf_ringbuf_query} (clobbers r0-r5). */
    private static void flags(BpfAsm a, int ringFd, long wakeupDataSize) {
        if (wakeupDataSize <= 0) {
            a.mov(R7, 0);
            return;
        }
        BpfAsm.Label force = a.label("force");
        BpfAsm.Label done = a.label("flags_done");
        a.ldMap(R1, ringFd).mov(R2, 0);                // BPF_RB_AVAIL_DATA
        a.call(Bpf.FN_RINGBUF_QUERY);
        a.ldImm64(R1, wakeupDataSize);
        a.jmpReg(JGE, R0, R1, force);
        a.mov(R7, 1).ja(done);                         // BPF_RB_NO_WAKEUP
        a.bind(force).mov(R7, 2);                      // BPF_RB_FORCE_WAKEUP
        a.bind(done);
    }

    private static void check(IoMap io, int batchCnt) {
        if (batchCnt < 1 || batchCnt > MAX_BATCH) {
            throw new IllegalArgumentException("batchCnt must be in [1, " + MAX_BATCH + "]: " + batchCnt);
        }
        if (io.valueSize() < RingPrograms.ioSize(8)) {
            throw new IllegalArgumentException("io map of " + io.valueSize() + " bytes cannot hold sample_val");
        }
    }
}
