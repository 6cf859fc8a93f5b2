package dev.ringbench.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code bpf(2)} commands, with {@code union bpf_attr} laid out by hand ({@code include/uapi/linux/bpf.h}).
 * Only the fields the suite uses are set; the rest stay zero, as the kernel requires.
 */
public final class Bpf {
    // Commands.
    static final int BPF_MAP_CREATE = 0;
    static final int BPF_MAP_LOOKUP_ELEM = 1;
    static final int BPF_MAP_UPDATE_ELEM = 2;
    static final int BPF_PROG_LOAD = 5;
    static final int BPF_PROG_TEST_RUN = 10;

    // Map types.
    public static final int BPF_MAP_TYPE_ARRAY = 2;
    public static final int BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4;
    public static final int BPF_MAP_TYPE_RINGBUF = 27;
    public static final int BPF_MAP_TYPE_USER_RINGBUF = 31;
    /** Map flag: the array's values can be mmapped. */
    public static final int BPF_F_MMAPABLE = 1 << 10;

    // Program types.
    /**
     * Socket filter: {@code BPF_PROG_TEST_RUN} supported ({@code bpf_prog_test_run_skb}, with
     * {@code repeat}); helpers from {@code sk_filter_func_proto}, which falls back to
     * {@code bpf_base_func_proto}: the ring buffer helpers, {@code bpf_loop}, and, for a
     * CAP_BPF loader, {@code bpf_user_ringbuf_drain} and the dynptr helpers;
     * {@code bpf_perf_event_output} is {@code bpf_skb_event_output} here.
     */
    public static final int BPF_PROG_TYPE_SOCKET_FILTER = 1;
    /**
     * Raw tracepoint: {@code BPF_PROG_TEST_RUN} can run it on a chosen CPU
     * ({@code BPF_F_TEST_RUN_ON_CPU}, by IPI when that is not the caller's CPU; no {@code repeat});
     * {@code bpf_perf_event_output} with {@code BPF_F_CURRENT_CPU} then writes that CPU's ring.
     * Loaded only, never attached to a tracepoint.
     */
    public static final int BPF_PROG_TYPE_RAW_TRACEPOINT = 17;
    /** {@code BPF_PROG_TEST_RUN} flag: run on {@code attr.test.cpu}. */
    static final int BPF_F_TEST_RUN_ON_CPU = 1;

    // Helper ids (enum bpf_func_id).
    public static final int FN_MAP_LOOKUP_ELEM = 1;
    public static final int FN_PERF_EVENT_OUTPUT = 25;
    public static final int FN_RINGBUF_OUTPUT = 130;
    public static final int FN_RINGBUF_RESERVE = 131;
    public static final int FN_RINGBUF_SUBMIT = 132;
    public static final int FN_RINGBUF_DISCARD = 133;
    public static final int FN_RINGBUF_QUERY = 134;
    public static final int FN_LOOP = 181;
    public static final int FN_RINGBUF_RESERVE_DYNPTR = 198;
    public static final int FN_RINGBUF_SUBMIT_DYNPTR = 199;
    public static final int FN_RINGBUF_DISCARD_DYNPTR = 200;
    public static final int FN_DYNPTR_READ = 201;
    public static final int FN_DYNPTR_WRITE = 202;
    public static final int FN_USER_RINGBUF_DRAIN = 209;

    /** {@code BPF_F_CURRENT_CPU} for {@code bpf_perf_event_output}'s flags: the index is this CPU. */
    public static final long BPF_F_CURRENT_CPU = 0xffff_ffffL;

    /** Enough for every command used here; the kernel zero-fills what it knows beyond it. */
    static final long ATTR_SIZE = 128;

    private Bpf() {
    }

    /** {@code BPF_MAP_CREATE}: the new map's fd. */
    static int mapCreate(int type, int keySize, int valueSize, int maxEntries, int flags, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, type);
            attr.set(JAVA_INT, 4, keySize);
            attr.set(JAVA_INT, 8, valueSize);
            attr.set(JAVA_INT, 12, maxEntries);
            attr.set(JAVA_INT, 16, flags);
            putName(attr, 28, name);
            return (int) Sys.bpfOrThrow(BPF_MAP_CREATE, attr, "BPF_MAP_CREATE(type " + type + ", " + name + ")");
        }
    }

    /** {@code BPF_MAP_UPDATE_ELEM} with a u32 key and a u32 value (perf event array slots). */
    static void mapUpdateU32(int mapFd, int key, int value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(ATTR_SIZE, 8);
            MemorySegment k = a.allocate(JAVA_INT);
            MemorySegment v = a.allocate(JAVA_INT);
            k.set(JAVA_INT, 0, key);
            v.set(JAVA_INT, 0, value);
            attr.set(JAVA_INT, 0, mapFd);
            attr.set(JAVA_LONG, 8, k.address());
            attr.set(JAVA_LONG, 16, v.address());
            Sys.bpfOrThrow(BPF_MAP_UPDATE_ELEM, attr, "BPF_MAP_UPDATE_ELEM");
        }
    }

    /**
     * {@code BPF_PROG_LOAD}: the program's fd. On failure the load is retried with the verifier
     * log on, and the log is part of the exception.
     */
    static int progLoad(int type, BpfAsm code, String name) {
        List<BpfAsm.Func> funcs = code.functions();
        if (funcs.isEmpty()) {
            return progLoad(type, code, name, -1, null);
        }
        // subprograms used as callbacks need BTF func_info: one FUNC per subprogram
        List<Btf.Func> btf = new ArrayList<>();
        btf.add(new Btf.Func(name.isEmpty() ? "main" : sanitize(name), 1, 1));
        for (BpfAsm.Func f : funcs) {
            btf.add(new Btf.Func(f.name(), f.args(), 0));
        }
        int btfFd = Btf.load(btf);
        try {
            int[][] info = new int[funcs.size() + 1][];
            info[0] = new int[] {0, Btf.funcTypeId(0)};
            for (int i = 0; i < funcs.size(); i++) {
                info[i + 1] = new int[] {funcs.get(i).insnOffset(), Btf.funcTypeId(i + 1)};
            }
            return progLoad(type, code, name, btfFd, info);
        } finally {
            Sys.close(btfFd);
        }
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static int progLoad(int type, BpfAsm code, String name, int btfFd, int[][] funcInfo) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment insns = code.toSegment(a);
            MemorySegment license = a.allocateFrom("GPL");
            MemorySegment attr = a.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, type);
            attr.set(JAVA_INT, 4, (int) (insns.byteSize() / 8));
            attr.set(JAVA_LONG, 8, insns.address());
            attr.set(JAVA_LONG, 16, license.address());
            putName(attr, 48, name);
            if (funcInfo != null) {
                MemorySegment fi = a.allocate(8L * funcInfo.length, 8);
                for (int i = 0; i < funcInfo.length; i++) {
                    fi.set(JAVA_INT, 8L * i, funcInfo[i][0]);     // insn_off
                    fi.set(JAVA_INT, 8L * i + 4, funcInfo[i][1]); // type_id
                }
                attr.set(JAVA_INT, 72, btfFd);                    // prog_btf_fd
                attr.set(JAVA_INT, 76, 8);                        // func_info_rec_size
                attr.set(JAVA_LONG, 80, fi.address());            // func_info
                attr.set(JAVA_INT, 88, funcInfo.length);          // func_info_cnt
            }
            long r = Sys.bpf(Sys.newCapture(a), BPF_PROG_LOAD, attr, ATTR_SIZE);
            if (r >= 0) {
                return (int) r;
            }
            int logSize = 1 << 20;
            MemorySegment log = a.allocate(logSize);
            attr.set(JAVA_INT, 24, 1); // log_level
            attr.set(JAVA_INT, 28, logSize);
            attr.set(JAVA_LONG, 32, log.address());
            long r2 = Sys.bpf(Sys.newCapture(a), BPF_PROG_LOAD, attr, ATTR_SIZE);
            if (r2 >= 0) {
                return (int) r2; // loaded with the log on (should not happen)
            }
            String text = log.getString(0, StandardCharsets.UTF_8);
            if (text.length() > 6000) {
                text = "..." + text.substring(text.length() - 6000);
            }
            throw new KernelException("BPF_PROG_LOAD(" + name + ")", (int) -r, text);
        }
    }

    private static void putName(MemorySegment attr, long off, String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(b.length, 15);
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            boolean ok = Character.isLetterOrDigit(c) || c == '_' || c == '.';
            attr.set(java.lang.foreign.ValueLayout.JAVA_BYTE, off + i, ok ? c : (byte) '_');
        }
    }
}
