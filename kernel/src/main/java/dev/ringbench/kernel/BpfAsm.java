package dev.ringbench.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A tiny eBPF assembler: just what the suite's programs need, each instruction encoded as the
 * kernel reads it ({@code include/uapi/linux/bpf.h}, {@code struct bpf_insn}, 8 bytes,
 * little-endian):
 *
 * <pre>
 * byte 0      opcode  = class (3 bits) | size+mode (ld/st) or op+source (alu/jmp)
 * byte 1      dst_reg (low nibble) | src_reg (high nibble)
 * bytes 2-3   off     (s16): memory offset, or jump distance in instructions from the next one
 * bytes 4-7   imm     (s32): immediate, helper id, or map fd / subprogram distance for ld_imm64
 * </pre>
 *
 * <p>{@code ld_imm64} takes two slots: the second carries the upper 32 bits in its imm. With
 * {@code src_reg = BPF_PSEUDO_MAP_FD} the verifier replaces the fd with the map's address; with
 * {@code BPF_PSEUDO_MAP_VALUE} with the address of the value of an array map's single element,
 * plus the offset in the second slot's imm; with {@code BPF_PSEUDO_FUNC} with the address of the
 * subprogram {@code imm + 1} instructions after this one (a callback for helpers such as
 * {@code bpf_user_ringbuf_drain}).
 *
 * <p>Calling convention: R1-R5 arguments (clobbered by a call), R0 return value, R6-R9
 * callee-saved, R10 the read-only frame pointer (stack grows down, 512 bytes).
 *
 * <p>Jumps name a {@link Label}; {@link #bind(Label)} places it; {@link #assemble()} resolves
 * the distances.
 */
public final class BpfAsm {
    // Registers.
    public static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9, R10 = 10;

    // Instruction classes (low 3 bits of the opcode).
    static final int BPF_LD = 0x00, BPF_LDX = 0x01, BPF_ST = 0x02, BPF_STX = 0x03, BPF_ALU = 0x04,
            BPF_JMP = 0x05, BPF_JMP32 = 0x06, BPF_ALU64 = 0x07;
    // Load/store size (bits 3-4).
    public static final int BPF_W = 0x00, BPF_H = 0x08, BPF_B = 0x10, BPF_DW = 0x18;
    // Load/store mode (bits 5-7).
    static final int BPF_IMM = 0x00, BPF_MEM = 0x60, BPF_ATOMIC = 0xc0;
    // Source operand (bit 3) of alu/jmp: immediate or register.
    static final int BPF_K = 0x00, BPF_X = 0x08;
    // ALU operations (bits 4-7).
    public static final int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60,
            RSH = 0x70, MOD = 0x90, XOR = 0xa0, MOV = 0xb0;
    // Jump operations (bits 4-7).
    public static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JNE = 0x50, JSGT = 0x60, JSGE = 0x70,
            JLT = 0xa0, JLE = 0xb0, JSLT = 0xc0, JSLE = 0xd0;
    static final int CALL = 0x80, EXIT = 0x90;
    // src_reg values that give ld_imm64 / call a special meaning.
    static final int BPF_PSEUDO_MAP_FD = 1, BPF_PSEUDO_MAP_VALUE = 2, BPF_PSEUDO_FUNC = 4;
    static final int BPF_PSEUDO_CALL = 1;

    /** A jump target. */
    public static final class Label {
        private int at = -1;
        private final String name;

        private Label(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name + "@" + at;
        }
    }

    private record Fixup(int insn, Label target, boolean inImm) {
    }

    /** A subprogram: where it starts (bound later) and how many arguments it takes (for BTF). */
    public record Func(String name, int insnOffset, int args) {
    }

    private final List<Label> funcLabels = new ArrayList<>();
    private final List<Integer> funcArgs = new ArrayList<>();
    private final List<long[]> insns = new ArrayList<>(); // {code, dst, src, off, imm}
    private final List<Fixup> fixups = new ArrayList<>();
    private final Map<String, Label> named = new HashMap<>();

    /** A new, unplaced label. */
    public Label label(String name) {
        return new Label(name);
    }

    /** A label by name, made on first use (for short programs written top to bottom). */
    public Label at(String name) {
        return named.computeIfAbsent(name, Label::new);
    }

    /** Places {@code l} at the next instruction. */
    public BpfAsm bind(Label l) {
        if (l.at >= 0) {
            throw new IllegalStateException("label " + l.name + " bound twice");
        }
        l.at = insns.size();
        return this;
    }

    /**
     * Starts a subprogram here (a callback or bpf-to-bpf callee) taking {@code args} arguments:
     * binds {@code l} and records it, so that the loader can describe it in BTF func_info.
     */
    public BpfAsm function(Label l, int args) {
        bind(l);
        funcLabels.add(l);
        funcArgs.add(args);
        return this;
    }

    /** The subprograms declared with {@link #function}, in order. */
    public List<Func> functions() {
        List<Func> out = new ArrayList<>();
        for (int i = 0; i < funcLabels.size(); i++) {
            out.add(new Func(funcLabels.get(i).name, funcLabels.get(i).at, funcArgs.get(i)));
        }
        return out;
    }

    /** Places the named label at the next instruction. */
    public BpfAsm bind(String name) {
        return bind(at(name));
    }

    /** Number of instruction slots so far. */
    public int size() {
        return insns.size();
    }

    private BpfAsm emit(int code, int dst, int src, int off, int imm) {
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + off + " does not fit s16");
        }
        insns.add(new long[] {code, dst, src, off, imm});
        return this;
    }

    // --- ALU ------------------------------------------------------------------------------------

    /** {@code dst = imm} (64-bit, imm sign-extended). */
    public BpfAsm mov(int dst, int imm) {
        return emit(BPF_ALU64 | MOV | BPF_K, dst, 0, 0, imm);
    }

    /** {@code dst = src} (64-bit). */
    public BpfAsm movReg(int dst, int src) {
        return emit(BPF_ALU64 | MOV | BPF_X, dst, src, 0, 0);
    }

    /** {@code dst op= imm} (64-bit). */
    public BpfAsm alu(int op, int dst, int imm) {
        return emit(BPF_ALU64 | op | BPF_K, dst, 0, 0, imm);
    }

    /** {@code dst op= src} (64-bit). */
    public BpfAsm aluReg(int op, int dst, int src) {
        return emit(BPF_ALU64 | op | BPF_X, dst, src, 0, 0);
    }

    // --- 64-bit immediates ----------------------------------------------------------------------

    /** {@code dst = value}: ld_imm64, two slots. */
    public BpfAsm ldImm64(int dst, long value) {
        emit(BPF_LD | BPF_DW | BPF_IMM, dst, 0, 0, (int) value);
        return emit(0, 0, 0, 0, (int) (value >>> 32));
    }

    /** {@code dst = &map}: ld_imm64 with {@code BPF_PSEUDO_MAP_FD}. */
    public BpfAsm ldMap(int dst, int mapFd) {
        emit(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_FD, 0, mapFd);
        return emit(0, 0, 0, 0, 0);
    }

    /** {@code dst = &value[0] + offset} of a one-element array map: ld_imm64 with {@code BPF_PSEUDO_MAP_VALUE}. */
    public BpfAsm ldMapValue(int dst, int mapFd, int offset) {
        emit(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_VALUE, 0, mapFd);
        return emit(0, 0, 0, 0, offset);
    }

    /** {@code dst = &subprogram}: ld_imm64 with {@code BPF_PSEUDO_FUNC} (a callback for a helper). */
    public BpfAsm ldFunc(int dst, Label subprogram) {
        fixups.add(new Fixup(insns.size(), subprogram, true));
        emit(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_FUNC, 0, 0);
        return emit(0, 0, 0, 0, 0);
    }

    // --- memory ---------------------------------------------------------------------------------

    /** {@code dst = *(size *)(src + off)}. */
    public BpfAsm ldx(int size, int dst, int src, int off) {
        return emit(BPF_LDX | BPF_MEM | size, dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = src}. */
    public BpfAsm stx(int size, int dst, int off, int src) {
        return emit(BPF_STX | BPF_MEM | size, dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = imm}. */
    public BpfAsm st(int size, int dst, int off, int imm) {
        return emit(BPF_ST | BPF_MEM | size, dst, 0, off, imm);
    }

    /** {@code lock *(u64 *)(dst + off) += src}: atomic add ({@code BPF_ATOMIC} with imm {@code BPF_ADD}). */
    public BpfAsm atomicAdd64(int dst, int off, int src) {
        return emit(BPF_STX | BPF_ATOMIC | BPF_DW, dst, src, off, ADD);
    }

    // --- jumps, calls ---------------------------------------------------------------------------

    /** {@code if (dst op imm) goto target} (64-bit compare). */
    public BpfAsm jmp(int op, int dst, int imm, Label target) {
        fixups.add(new Fixup(insns.size(), target, false));
        return emit(BPF_JMP | op | BPF_K, dst, 0, 0, imm);
    }

    /** {@code if (dst op imm) goto label-by-name}. */
    public BpfAsm jmp(int op, int dst, int imm, String target) {
        return jmp(op, dst, imm, at(target));
    }

    /** {@code if (dst op src) goto target} (64-bit compare). */
    public BpfAsm jmpReg(int op, int dst, int src, Label target) {
        fixups.add(new Fixup(insns.size(), target, false));
        return emit(BPF_JMP | op | BPF_X, dst, src, 0, 0);
    }

    /** {@code goto target}. */
    public BpfAsm ja(Label target) {
        fixups.add(new Fixup(insns.size(), target, false));
        return emit(BPF_JMP | JA, 0, 0, 0, 0);
    }

    /** {@code goto label-by-name}. */
    public BpfAsm ja(String target) {
        return ja(at(target));
    }

    /** {@code r0 = helper(r1, ..., r5)}. */
    public BpfAsm call(int helperId) {
        return emit(BPF_JMP | CALL, 0, 0, 0, helperId);
    }

    /** {@code r0 = subprogram(r1, ..., r5)}: a bpf-to-bpf call. */
    public BpfAsm callSub(Label subprogram) {
        fixups.add(new Fixup(insns.size(), subprogram, true));
        return emit(BPF_JMP | CALL, 0, BPF_PSEUDO_CALL, 0, 0);
    }

    /** {@code return r0}. */
    public BpfAsm exit() {
        return emit(BPF_JMP | EXIT, 0, 0, 0, 0);
    }

    // --- composite ------------------------------------------------------------------------------

    /**
     * Copies {@code len} bytes from {@code src + srcOff} to {@code dst + dstOff} with unrolled
     * loads and stores (8 bytes at a time, then 4, 2, 1), through {@code tmp}. Both pointers must
     * be ones the verifier knows the bounds of (map value, ring buffer sample, stack).
     */
    public BpfAsm copy(int dst, int dstOff, int src, int srcOff, int len, int tmp) {
        int i = 0;
        for (int[] step : new int[][] {{8, BPF_DW}, {4, BPF_W}, {2, BPF_H}, {1, BPF_B}}) {
            while (len - i >= step[0]) {
                ldx(step[1], tmp, src, srcOff + i);
                stx(step[1], dst, dstOff + i, tmp);
                i += step[0];
            }
        }
        return this;
    }

    // --- output ---------------------------------------------------------------------------------

    /** The encoded instructions, jumps resolved. */
    public long[] assemble() {
        long[] out = new long[insns.size()];
        for (Fixup f : fixups) {
            if (f.target.at < 0) {
                throw new IllegalStateException("label " + f.target.name + " never bound");
            }
            long[] insn = insns.get(f.insn);
            int distance = f.target.at - (f.insn + 1);
            if (f.inImm) {
                insn[4] = distance;
            } else {
                if (distance < Short.MIN_VALUE || distance > Short.MAX_VALUE) {
                    throw new IllegalStateException("jump too far: " + distance);
                }
                insn[3] = distance;
            }
        }
        for (int i = 0; i < out.length; i++) {
            long[] x = insns.get(i);
            out[i] = (x[0] & 0xff) | (x[1] & 0xf) << 8 | (x[2] & 0xf) << 12 | (x[3] & 0xffff) << 16 | (x[4] & 0xffff_ffffL) << 32;
        }
        return out;
    }

    /** The encoded instructions in native memory, for {@code BPF_PROG_LOAD}. */
    MemorySegment toSegment(Arena arena) {
        long[] code = assemble();
        MemorySegment s = arena.allocate(code.length * 8L, 8);
        for (int i = 0; i < code.length; i++) {
            s.setAtIndex(JAVA_LONG, i, code[i]);
        }
        return s;
    }
}
