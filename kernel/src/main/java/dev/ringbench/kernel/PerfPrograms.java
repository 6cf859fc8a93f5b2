package dev.ringbench.kernel;

import static dev.ringbench.kernel.BpfAsm.ADD;
import static dev.ringbench.kernel.BpfAsm.BPF_DW;
import static dev.ringbench.kernel.BpfAsm.JGT;
import static dev.ringbench.kernel.BpfAsm.JNE;
import static dev.ringbench.kernel.BpfAsm.R0;
import static dev.ringbench.kernel.BpfAsm.R1;
import static dev.ringbench.kernel.BpfAsm.R2;
import static dev.ringbench.kernel.BpfAsm.R3;
import static dev.ringbench.kernel.BpfAsm.R4;
import static dev.ringbench.kernel.BpfAsm.R5;
import static dev.ringbench.kernel.BpfAsm.R6;

/**
 * The perf-buffer producer, a raw tracepoint program (so that {@code BPF_PROG_TEST_RUN} can run it
 * on the CPU whose ring a producer owns): {@code bpf_perf_event_output(ctx, map, BPF_F_CURRENT_CPU,
 * io + PAYLOAD - 4, io.len + 4)}. The sample
 * is {@code [u32 len][payload]}: the kernel pads {@code raw_size} to keep records 8-aligned, so a
 * consumer needs the exact length from the sample itself, as real programs put it in their
 * struct; Java writes that u32 at {@link #LEN_PREFIX}. Same io layout as
 * {@link RingPrograms}: {@code len} in, {@code result} (0, or -ENOSPC when the CPU's ring is
 * full and the sample is lost) and {@code hits}/{@code drops} out. Returns 0 when the sample was
 * written, 1 when not, 2 for a bad length.
 */
public final class PerfPrograms {
    /** Offset in the io value of the u32 length that precedes the payload in each sample. */
    public static final int LEN_PREFIX = RingPrograms.PAYLOAD - 4;

    private PerfPrograms() {
    }

    /** The program, to be loaded as {@link Bpf#BPF_PROG_TYPE_RAW_TRACEPOINT} and run with {@link TestRun#runOnCpu}. */
    public static BpfAsm output(int perfMapFd, IoMap io, int maxPayload) {
        if (RingPrograms.ioSize(maxPayload) > io.valueSize()) {
            throw new IllegalArgumentException("io map too small for " + maxPayload + " payload bytes");
        }
        BpfAsm a = new BpfAsm();
        // r1 = ctx (the raw tracepoint arguments) on entry: the helper's first argument
        a.ldMapValue(R6, io.fd(), 0);
        a.ldx(BPF_DW, R5, R6, RingPrograms.LEN);
        a.jmp(JGT, R5, maxPayload, "bad");
        a.alu(ADD, R5, 4);                             // the u32 length prefix too
        a.movReg(R4, R6).alu(ADD, R4, LEN_PREFIX);
        a.ldImm64(R3, Bpf.BPF_F_CURRENT_CPU);
        a.ldMap(R2, perfMapFd);
        a.call(Bpf.FN_PERF_EVENT_OUTPUT);
        a.stx(BPF_DW, R6, RingPrograms.RESULT, R0);
        a.jmp(JNE, R0, 0, "drop");
        a.ldx(BPF_DW, R1, R6, RingPrograms.HITS).alu(ADD, R1, 1).stx(BPF_DW, R6, RingPrograms.HITS, R1);
        a.mov(R0, 0).exit();
        a.bind("drop");
        a.ldx(BPF_DW, R1, R6, RingPrograms.DROPS).alu(ADD, R1, 1).stx(BPF_DW, R6, RingPrograms.DROPS, R1);
        a.mov(R0, 1).exit();
        a.bind("bad");
        a.mov(R0, 2).exit();
        return a;
    }
}
