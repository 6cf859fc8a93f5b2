package dev.ringbench.kernel;

import dev.ringbench.ringbuf.BpfRingBuf;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.ringbench.kernel.BpfAsm.ADD;
import static dev.ringbench.kernel.BpfAsm.BPF_DW;
import static dev.ringbench.kernel.BpfAsm.JEQ;
import static dev.ringbench.kernel.BpfAsm.R0;
import static dev.ringbench.kernel.BpfAsm.R1;
import static dev.ringbench.kernel.BpfAsm.R10;
import static dev.ringbench.kernel.BpfAsm.R2;
import static dev.ringbench.kernel.BpfAsm.R3;
import static dev.ringbench.kernel.BpfAsm.R4;
import static dev.ringbench.kernel.BpfAsm.R6;

/**
 * A sequence of ring buffer helper calls (reserve, submit, discard, output, query), run the same
 * way on the port and on the kernel: {@link #runOnPort} calls the port's helpers; {@link #compile}
 * turns the sequence into one BPF program whose run under {@code BPF_PROG_TEST_RUN} makes the
 * kernel's helpers do the same. Within one program a reservation may stay open while others are
 * made and committed (the verifier only asks that every one be committed before the program
 * exits), so interleavings such as "reserve A, reserve B, submit B, discard A" are expressible.
 *
 * <p>Each op's result is a u64 in the io map at {@code 8 * index} (port: the same values in a
 * {@code long[]}): reserve 1 (reserved) or 0 (NULL); submit/discard 0, or 1 when skipped because
 * the reservation had failed; output 0 or -EAGAIN; query the value. Payload bytes come from the io
 * map from {@link #PAYLOAD_BASE} on (the same bytes are handed to the port).
 */
public final class RingScript {
    /** Most ops in one script. */
    public static final int MAX_OPS = 64;
    /** Most reservations open at once (stack slots). */
    public static final int MAX_SLOTS = 8;
    /** Offset of the payload source bytes in the io value. */
    public static final int PAYLOAD_BASE = MAX_OPS * 8;

    enum Kind { RESERVE, SUBMIT, DISCARD, OUTPUT, QUERY, RESERVE_DYNPTR, SUBMIT_DYNPTR, DISCARD_DYNPTR }

    record Op(Kind kind, int slot, int size, int src, long arg) {
        @Override
        public String toString() {
            return switch (kind) {
                case RESERVE -> "reserve#" + slot + "(" + size + ")";
                case SUBMIT -> "submit#" + slot + "(" + arg + ")";
                case DISCARD -> "discard#" + slot + "(" + arg + ")";
                case OUTPUT -> "output(" + size + "," + arg + ")";
                case QUERY -> "query(" + arg + ")";
                case RESERVE_DYNPTR -> "reserve_dynptr#" + slot + "(" + size + "," + arg + ")";
                case SUBMIT_DYNPTR -> "submit_dynptr#" + slot + "(" + arg + ")";
                case DISCARD_DYNPTR -> "discard_dynptr#" + slot + "(" + arg + ")";
            };
        }
    }

    private final List<Op> ops = new ArrayList<>();
    private final boolean[] open = new boolean[MAX_SLOTS];
    private final boolean[] openDynptr = new boolean[MAX_SLOTS];
    /** Bytes written into a dynptr reservation at most (the rest of a huge one stays as it was). */
    public static final int MAX_DYNPTR_WRITE = 512;

    /** {@code bpf_ringbuf_reserve(size)} into {@code slot}, then fill it from payload offset {@code src}. */
    public RingScript reserve(int slot, int size, int src) {
        if (open[slot]) {
            throw new IllegalStateException("slot " + slot + " already holds a reservation");
        }
        open[slot] = true;
        return add(new Op(Kind.RESERVE, slot, size, src, 0));
    }

    /** {@code bpf_ringbuf_submit(slot, flags)} (skipped when the reservation failed). */
    public RingScript submit(int slot, long flags) {
        close(slot);
        return add(new Op(Kind.SUBMIT, slot, 0, 0, flags));
    }

    /** {@code bpf_ringbuf_discard(slot, flags)} (skipped when the reservation failed). */
    public RingScript discard(int slot, long flags) {
        close(slot);
        return add(new Op(Kind.DISCARD, slot, 0, 0, flags));
    }

    /** {@code bpf_ringbuf_output(payload[src .. src + size), flags)}. */
    public RingScript output(int size, int src, long flags) {
        return add(new Op(Kind.OUTPUT, 0, size, src, flags));
    }

    /**
     * {@code bpf_ringbuf_reserve_dynptr(size, flags, &dynptr[slot])}, then
     * {@code bpf_dynptr_write(dynptr, 0, payload + src, min(size, MAX_DYNPTR_WRITE), 0)}. Result: the
     * helper's (0, -E2BIG, -EINVAL). The dynptr must be submitted or discarded even when it failed.
     */
    public RingScript reserveDynptr(int slot, long size, int src, long flags) {
        if (openDynptr[slot]) {
            throw new IllegalStateException("dynptr slot " + slot + " already holds a reservation");
        }
        openDynptr[slot] = true;
        return add(new Op(Kind.RESERVE_DYNPTR, slot, (int) Math.min(size, Integer.MAX_VALUE), src, flags));
    }

    /** {@code bpf_ringbuf_submit_dynptr(&dynptr[slot], flags)} (a no-op on a failed reservation). */
    public RingScript submitDynptr(int slot, long flags) {
        closeDynptr(slot);
        return add(new Op(Kind.SUBMIT_DYNPTR, slot, 0, 0, flags));
    }

    /** {@code bpf_ringbuf_discard_dynptr(&dynptr[slot], flags)}. */
    public RingScript discardDynptr(int slot, long flags) {
        closeDynptr(slot);
        return add(new Op(Kind.DISCARD_DYNPTR, slot, 0, 0, flags));
    }

    private void closeDynptr(int slot) {
        if (!openDynptr[slot]) {
            throw new IllegalStateException("dynptr slot " + slot + " holds no reservation");
        }
        openDynptr[slot] = false;
    }

    /** {@code bpf_ringbuf_query(which)}. */
    public RingScript query(long which) {
        return add(new Op(Kind.QUERY, 0, 0, 0, which));
    }

    /** Slots that hold an open reservation. */
    public List<Integer> openSlots() {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < MAX_SLOTS; i++) {
            if (open[i]) {
                l.add(i);
            }
        }
        return Collections.unmodifiableList(l);
    }

    public int size() {
        return ops.size();
    }

    private void close(int slot) {
        if (!open[slot]) {
            throw new IllegalStateException("slot " + slot + " holds no reservation");
        }
        open[slot] = false;
    }

    private RingScript add(Op op) {
        if (ops.size() == MAX_OPS) {
            throw new IllegalStateException("at most " + MAX_OPS + " ops");
        }
        ops.add(op);
        return this;
    }

    /** The io value size this script needs for {@code payloadBytes} bytes of payload source. */
    public static int ioSize(int payloadBytes) {
        return PAYLOAD_BASE + ((payloadBytes + 7) & ~7);
    }

    /** The program: every reservation must have been committed. */
    public BpfAsm compile(int ringFd, IoMap io) {
        for (boolean d : openDynptr) {
            if (d) {
                throw new IllegalStateException("dynptr reservations still open: the verifier requires every one to be released");
            }
        }
        if (!openSlots().isEmpty()) {
            throw new IllegalStateException("reservations still open in slots " + openSlots()
                    + ": the verifier requires every one to be committed");
        }
        BpfAsm a = new BpfAsm();
        a.ldMapValue(R6, io.fd(), 0);
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            int res = 8 * i;
            int stack = -8 * (op.slot + 1);
            switch (op.kind) {
                case RESERVE -> {
                    check(io, op.src + op.size);
                    BpfAsm.Label none = a.label("null" + i);
                    BpfAsm.Label done = a.label("done" + i);
                    a.ldMap(R1, ringFd).mov(R2, op.size).mov(R3, 0);
                    a.call(Bpf.FN_RINGBUF_RESERVE);
                    a.stx(BPF_DW, R10, stack, R0);                // keep the (maybe NULL) record
                    a.jmp(JEQ, R0, 0, none);
                    a.copy(R0, 0, R6, PAYLOAD_BASE + op.src, op.size, R1);
                    a.st(BPF_DW, R6, res, 1).ja(done);
                    a.bind(none).st(BPF_DW, R6, res, 0);
                    a.bind(done);
                }
                case SUBMIT, DISCARD -> {
                    BpfAsm.Label skip = a.label("skip" + i);
                    BpfAsm.Label done = a.label("done" + i);
                    a.ldx(BPF_DW, R1, R10, stack);
                    a.jmp(JEQ, R1, 0, skip);
                    a.ldImm64(R2, op.arg);
                    a.call(op.kind == Kind.SUBMIT ? Bpf.FN_RINGBUF_SUBMIT : Bpf.FN_RINGBUF_DISCARD);
                    a.st(BPF_DW, R6, res, 0).ja(done);
                    a.bind(skip).st(BPF_DW, R6, res, 1);
                    a.bind(done);
                }
                case OUTPUT -> {
                    check(io, op.src + op.size);
                    a.ldMap(R1, ringFd);
                    a.movReg(R2, R6).alu(ADD, R2, PAYLOAD_BASE + op.src);
                    a.mov(R3, op.size);
                    a.ldImm64(R4, op.arg);
                    a.call(Bpf.FN_RINGBUF_OUTPUT);
                    a.stx(BPF_DW, R6, res, R0);
                }
                case QUERY -> {
                    a.ldMap(R1, ringFd).ldImm64(R2, op.arg);
                    a.call(Bpf.FN_RINGBUF_QUERY);
                    a.stx(BPF_DW, R6, res, R0);
                }
                case RESERVE_DYNPTR -> {
                    int write = Math.min(op.size, MAX_DYNPTR_WRITE);
                    check(io, op.src + write);
                    a.ldMap(R1, ringFd).ldImm64(R2, op.size).ldImm64(R3, op.arg);
                    a.movReg(R4, R10).alu(ADD, R4, dynptrSlot(op.slot));
                    a.call(Bpf.FN_RINGBUF_RESERVE_DYNPTR);
                    a.stx(BPF_DW, R6, res, R0);
                    // bpf_dynptr_write(dst, offset, src, len, flags): -EINVAL on a null dynptr
                    a.movReg(R1, R10).alu(ADD, R1, dynptrSlot(op.slot)).mov(R2, 0);
                    a.movReg(R3, R6).alu(ADD, R3, PAYLOAD_BASE + op.src);
                    a.mov(R4, write).mov(BpfAsm.R5, 0);
                    a.call(Bpf.FN_DYNPTR_WRITE);
                }
                case SUBMIT_DYNPTR, DISCARD_DYNPTR -> {
                    a.movReg(R1, R10).alu(ADD, R1, dynptrSlot(op.slot)).ldImm64(R2, op.arg);
                    a.call(op.kind == Kind.SUBMIT_DYNPTR ? Bpf.FN_RINGBUF_SUBMIT_DYNPTR : Bpf.FN_RINGBUF_DISCARD_DYNPTR);
                    a.st(BPF_DW, R6, res, 0);
                }
            }
        }
        a.mov(R0, 0).exit();
        return a;
    }

    /** Stack offset of dynptr slot {@code slot}: 16 bytes each, below the 8 pointer slots. */
    private static int dynptrSlot(int slot) {
        return -8 * MAX_SLOTS - 16 * (slot + 1);
    }

    private static void check(IoMap io, int end) {
        if (PAYLOAD_BASE + end > io.valueSize()) {
            throw new IllegalArgumentException("payload range ends at " + end + ", beyond the io map");
        }
    }

    /** Runs the compiled program once and returns each op's result. */
    public long[] runOnKernel(BpfProgram prog, IoMap io, TestRun run) {
        run.runOnce(prog);
        long[] r = new long[ops.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = io.value().get(java.lang.foreign.ValueLayout.JAVA_LONG, 8L * i);
        }
        return r;
    }

    /**
     * The same ops on the port. {@code payload} is the io value's payload source
     * (from {@link #PAYLOAD_BASE}).
     */
    public long[] runOnPort(BpfRingBuf rb, MemorySegment payload) {
        long[] handles = new long[MAX_SLOTS];
        dev.ringbench.ringbuf.RingBufDynptr[] dynptrs = new dev.ringbench.ringbuf.RingBufDynptr[MAX_SLOTS];
        for (int i = 0; i < MAX_SLOTS; i++) {
            dynptrs[i] = new dev.ringbench.ringbuf.RingBufDynptr();
        }
        long[] r = new long[ops.size()];
        for (int i = 0; i < r.length; i++) {
            Op op = ops.get(i);
            switch (op.kind) {
                case RESERVE -> {
                    long h = rb.reserve(op.size);
                    handles[op.slot] = h;
                    if (h != 0) {
                        MemorySegment.copy(payload, op.src, rb.sampleArea(), rb.sampleOffset(h), op.size);
                    }
                    r[i] = h != 0 ? 1 : 0;
                }
                case SUBMIT, DISCARD -> {
                    long h = handles[op.slot];
                    if (h == 0) {
                        r[i] = 1;
                    } else {
                        if (op.kind == Kind.SUBMIT) {
                            rb.submit(h, op.arg);
                        } else {
                            rb.discard(h, op.arg);
                        }
                        r[i] = 0;
                    }
                }
                case OUTPUT -> r[i] = rb.output(payload.asSlice(op.src, op.size), op.arg);
                case QUERY -> r[i] = rb.query(op.arg);
                case RESERVE_DYNPTR -> {
                    dev.ringbench.ringbuf.RingBufDynptr d = dynptrs[op.slot];
                    r[i] = rb.reserveDynptr(op.size, op.arg, d);
                    if (!d.isNull()) {
                        MemorySegment.copy(payload, op.src, d.data(), 0, Math.min(op.size, MAX_DYNPTR_WRITE));
                    }
                }
                case SUBMIT_DYNPTR -> {
                    rb.submitDynptr(dynptrs[op.slot], op.arg);
                    r[i] = 0;
                }
                case DISCARD_DYNPTR -> {
                    rb.discardDynptr(dynptrs[op.slot], op.arg);
                    r[i] = 0;
                }
            }
        }
        return r;
    }

    @Override
    public String toString() {
        return ops.toString();
    }
}
