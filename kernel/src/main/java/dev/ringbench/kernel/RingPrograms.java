package dev.ringbench.kernel;

import static dev.ringbench.kernel.BpfAsm.ADD;
import static dev.ringbench.kernel.BpfAsm.BPF_DW;
import static dev.ringbench.kernel.BpfAsm.JEQ;
import static dev.ringbench.kernel.BpfAsm.JGE;
import static dev.ringbench.kernel.BpfAsm.JGT;
import static dev.ringbench.kernel.BpfAsm.JNE;
import static dev.ringbench.kernel.BpfAsm.R0;
import static dev.ringbench.kernel.BpfAsm.R1;
import static dev.ringbench.kernel.BpfAsm.R2;
import static dev.ringbench.kernel.BpfAsm.R3;
import static dev.ringbench.kernel.BpfAsm.R4;
import static dev.ringbench.kernel.BpfAsm.R6;
import static dev.ringbench.kernel.BpfAsm.R7;

/**
 * The producer programs: what a BPF program attached to a hook would do, run on demand with
 * {@code BPF_PROG_TEST_RUN}. Each program works on one ring map and one {@link IoMap} (the
 * producer's own), laid out as {@link #LEN} ... {@link #PAYLOAD}:
 *
 * <pre>
 * io +0   u64 len        payload length (output); reserve programs have it built in
 * io +8   u64 flags      commit flags (FLAGS_FROM_IO)
 * io +16  u64 result     the helper's result (output: 0 / -EAGAIN; reserve: 1 = reserved, 0 = NULL)
 * io +24  u64 hits       records committed by this io's programs (counted by the program)
 * io +32  u64 drops      records that did not fit
 * io +40  u64 threshold  SAMPLED: FORCE_WAKEUP when BPF_RB_AVAIL_DATA >= threshold, else NO_WAKEUP
 * io +64  payload bytes
 * </pre>
 *
 * <p>Return value: 0 when the record was committed, 1 when it was dropped, 2 for a bad length.
 * With {@code repeat = N} a program runs N times in one syscall (the kernel benchmark's batches of
 * {@code --rb-batch-cnt}); hits and drops then say what happened to the batch.
 */
public final class RingPrograms {
    public static final int LEN = 0;
    public static final int FLAGS = 8;
    public static final int RESULT = 16;
    public static final int HITS = 24;
    public static final int DROPS = 32;
    public static final int THRESHOLD = 40;
    public static final int PAYLOAD = 64;

    /** Where a program takes its commit flags from. */
    public enum FlagsMode {
        /** The u64 at {@link #FLAGS} (0 = adaptive, NO_WAKEUP, FORCE_WAKEUP). */
        FROM_IO,
        /**
         * The kernel benchmark's {@code --rb-sampled}: {@code bpf_ringbuf_query(BPF_RB_AVAIL_DATA)},
         * then FORCE_WAKEUP if it reached {@link #THRESHOLD} bytes, else NO_WAKEUP.
         */
        SAMPLED
    }

    private RingPrograms() {
    }

    /** io value size for payloads up to {@code maxPayload} bytes. */
    public static int ioSize(int maxPayload) {
        return PAYLOAD + ((maxPayload + 7) & ~7);
    }

    /**
     * {@code bpf_ringbuf_output(rb, io + PAYLOAD, io.len, flags)}: one program for every length
     * up to {@code maxPayload} (the verifier checks the length against the io value's bounds).
     */
    public static BpfAsm output(int ringFd, IoMap io, int maxPayload, FlagsMode mode) {
        checkIo(io, maxPayload);
        BpfAsm a = new BpfAsm();
        a.ldMapValue(R6, io.fd(), 0);
        flags(a, ringFd, mode);                       // r7 = flags
        a.ldx(BPF_DW, R3, R6, LEN);
        a.jmp(JGT, R3, maxPayload, "bad");            // bounds r3 for the verifier
        a.movReg(R2, R6).alu(ADD, R2, PAYLOAD);
        a.movReg(R4, R7);
        a.ldMap(R1, ringFd);
        a.call(Bpf.FN_RINGBUF_OUTPUT);
        a.stx(BPF_DW, R6, RESULT, R0);
        a.jmp(JNE, R0, 0, "drop");
        count(a, HITS).mov(R0, 0).exit();
        a.bind("drop");
        count(a, DROPS).mov(R0, 1).exit();
        a.bind("bad");
        a.mov(R0, 2).exit();
        return a;
    }

    /**
     * {@code bpf_ringbuf_reserve(rb, size, 0)}, copy {@code size} payload bytes from the io value
     * into the record, then {@code bpf_ringbuf_submit} (or {@code bpf_ringbuf_discard}) with the
     * mode's flags. The size is a constant, as the verifier requires of {@code bpf_ringbuf_reserve}:
     * one program per record size.
     */
    public static BpfAsm reserveCommit(int ringFd, IoMap io, int size, boolean discard, FlagsMode mode) {
        checkIo(io, size);
        BpfAsm a = new BpfAsm();
        a.ldMapValue(R6, io.fd(), 0);
        a.ldMap(R1, ringFd).mov(R2, size).mov(R3, 0);
        a.call(Bpf.FN_RINGBUF_RESERVE);
        a.jmp(JEQ, R0, 0, "drop");
        a.movReg(BpfAsm.R8, R0);                      // the record, callee-saved
        a.copy(BpfAsm.R8, 0, R6, PAYLOAD, size, R1);
        a.st(BPF_DW, R6, RESULT, 1);
        flags(a, ringFd, mode);                       // r7 = flags (may call query)
        a.movReg(R1, BpfAsm.R8).movReg(R2, R7);
        a.call(discard ? Bpf.FN_RINGBUF_DISCARD : Bpf.FN_RINGBUF_SUBMIT);
        count(a, HITS).mov(R0, 0).exit();
        a.bind("drop");
        a.st(BPF_DW, R6, RESULT, 0);
        count(a, DROPS).mov(R0, 1).exit();
        return a;
    }

    /** r7 = the commit flags; r6 = io. May call {@code bpf_ringbuf_query} (clobbers r0-r5). */
    private static void flags(BpfAsm a, int ringFd, FlagsMode mode) {
        if (mode == FlagsMode.FROM_IO) {
            a.ldx(BPF_DW, R7, R6, FLAGS);
            return;
        }
        BpfAsm.Label force = a.label("force");
        BpfAsm.Label done = a.label("flags_done");
        a.ldMap(R1, ringFd).mov(R2, 0);               // BPF_RB_AVAIL_DATA
        a.call(Bpf.FN_RINGBUF_QUERY);
        a.ldx(BPF_DW, R1, R6, THRESHOLD);
        a.jmpReg(JGE, R0, R1, force);
        a.mov(R7, 1).ja(done);                        // BPF_RB_NO_WAKEUP
        a.bind(force).mov(R7, 2);                     // BPF_RB_FORCE_WAKEUP
        a.bind(done);
    }

    /** io[off] += 1 (each io belongs to one producer thread: a plain add). */
    private static BpfAsm count(BpfAsm a, int off) {
        a.ldx(BPF_DW, R1, R6, off).alu(ADD, R1, 1).stx(BPF_DW, R6, off, R1);
        return a;
    }

    private static void checkIo(IoMap io, int maxPayload) {
        if (maxPayload < 0 || ioSize(maxPayload) > io.valueSize()) {
            throw new IllegalArgumentException("io map of " + io.valueSize() + " bytes cannot hold " + maxPayload
                    + " payload bytes");
        }
    }
}
