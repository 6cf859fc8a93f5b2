package dev.ringbench.kernel;

import static dev.ringbench.kernel.BpfAsm.ADD;
import static dev.ringbench.kernel.BpfAsm.BPF_DW;
import static dev.ringbench.kernel.BpfAsm.JEQ;
import static dev.ringbench.kernel.BpfAsm.JGE;
import static dev.ringbench.kernel.BpfAsm.LSH;
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
 * The kernel side of a user ring: a program calling {@code bpf_user_ringbuf_drain(map, cb, NULL,
 * flags)}, with the callback as a static subprogram referenced by {@code ld_imm64 BPF_PSEUDO_FUNC}.
 * The callback records each sample in the io map: {@code bpf_dynptr_read} of its first 8 bytes and
 * that call's result (0, or -E2BIG for a sample shorter than 8 bytes; the sample's exact length
 * needs the {@code bpf_dynptr_size} kfunc, which would need BTF, so it is not recorded).
 *
 * <pre>
 * io +0   s64 drain result (samples drained, or -errno)
 * io +8   u64 callback calls
 * io +16  u64 stop after this many calls (callback returns 1); 0 = never
 * io +24  u64 drain flags
 * io +64  per sample i (i < 64): s64 dynptr_read result @ 64 + 16 i, u64 first 8 bytes @ 72 + 16 i
 * </pre>
 */
public final class UserRingPrograms {
    public static final int RESULT = 0;
    public static final int CALLS = 8;
    public static final int STOP_AFTER = 16;
    public static final int FLAGS = 24;
    public static final int SAMPLES = 64;
    public static final int MAX_RECORDED = 64;
    public static final int IO_SIZE = SAMPLES + 16 * MAX_RECORDED;

    private UserRingPrograms() {
    }

    public static BpfAsm drain(int userRingFd, IoMap io) {
        if (io.valueSize() < IO_SIZE) {
            throw new IllegalArgumentException("io map too small: " + io.valueSize() + " < " + IO_SIZE);
        }
        BpfAsm a = new BpfAsm();
        BpfAsm.Label cb = a.label("callback");
        // main program
        a.ldMapValue(R6, io.fd(), 0);
        a.ldMap(R1, userRingFd);
        a.ldFunc(R2, cb);
        a.mov(R3, 0);                                  // callback_ctx = NULL
        a.ldx(BPF_DW, R4, R6, FLAGS);
        a.call(Bpf.FN_USER_RINGBUF_DRAIN);
        a.stx(BPF_DW, R6, RESULT, R0);
        a.mov(R0, 0).exit();

        // long callback(struct bpf_dynptr *sample, void *ctx)
        a.function(cb, 2);
        a.movReg(R6, R1);                              // the sample's dynptr
        a.ldMapValue(R7, io.fd(), 0);
        a.ldx(BPF_DW, R8, R7, CALLS);                  // i = calls++
        a.movReg(R1, R8).alu(ADD, R1, 1).stx(BPF_DW, R7, CALLS, R1);
        a.jmp(JGE, R8, MAX_RECORDED, "stop_check");
        a.movReg(R9, R8).alu(LSH, R9, 4);              // 16 bytes per recorded sample
        a.movReg(R1, R7).aluReg(ADD, R1, R9).alu(ADD, R1, SAMPLES + 8);
        a.mov(R2, 8).movReg(R3, R6).mov(R4, 0).mov(R5, 0);
        a.call(Bpf.FN_DYNPTR_READ);                    // first 8 bytes
        a.movReg(R1, R7).aluReg(ADD, R1, R9);
        a.stx(BPF_DW, R1, SAMPLES, R0);
        a.bind("stop_check");
        a.ldx(BPF_DW, R1, R7, STOP_AFTER);
        a.jmp(JEQ, R1, 0, "go_on");
        a.ldx(BPF_DW, R2, R7, CALLS);
        a.jmpReg(JGE, R2, R1, a.at("stop"));
        a.bind("go_on");
        a.mov(R0, 0).exit();
        a.bind("stop");
        a.mov(R0, 1).exit();
        return a;
    }
}
