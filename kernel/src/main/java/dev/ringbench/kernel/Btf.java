package dev.ringbench.kernel;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The smallest BTF blob a program with a callback needs. The verifier accepts a
 * {@code ld_imm64 BPF_PSEUDO_FUNC} only when the program carries {@code func_info} ("missing btf
 * func_info"): one BTF {@code FUNC} per subprogram, each pointing at a {@code FUNC_PROTO}. Every
 * argument and return value is typed {@code long} here; the verifier types the callback's
 * arguments from the helper that calls it, not from BTF, for static functions.
 *
 * <p>Layout ({@code include/uapi/linux/btf.h}): a 24-byte header (magic 0xeB9F, version 1,
 * hdr_len, type_off, type_len, str_off, str_len), the type section (type id 1 = {@code long},
 * then per function a {@code FUNC_PROTO} with its params and a {@code FUNC}), then the strings.
 */
final class Btf {
    static final int BPF_BTF_LOAD = 18;
    private static final int KIND_INT = 1, KIND_FUNC = 12, KIND_FUNC_PROTO = 13;
    private static final int BTF_INT_SIGNED = 1;

    /** A function: its name, argument count and linkage (0 static, 1 global). */
    record Func(String name, int args, int linkage) {
    }

    private Btf() {
    }

    /**
     * Loads BTF for {@code funcs} and returns its fd; the BTF type id of function {@code i} is
     * {@link #funcTypeId(int)}.
     */
    static int load(List<Func> funcs) {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        strings.write(0);
        List<int[]> types = new ArrayList<>();
        int longName = addString(strings, "long");
        types.add(new int[] {longName, KIND_INT << 24, 8, (BTF_INT_SIGNED << 24) | 64}); // id 1
        for (Func f : funcs) {
            int[] proto = new int[3 + 2 * f.args];                                        // id 2 + 2i
            proto[0] = 0;
            proto[1] = KIND_FUNC_PROTO << 24 | f.args;
            proto[2] = 1;                                                                // returns long
            for (int a = 0; a < f.args; a++) {
                proto[3 + 2 * a] = addString(strings, "arg" + a);
                proto[4 + 2 * a] = 1;                                                    // long
            }
            types.add(proto);
            int protoId = types.size();
            types.add(new int[] {addString(strings, f.name), KIND_FUNC << 24 | f.linkage, protoId}); // id 3 + 2i
        }
        int typeLen = types.stream().mapToInt(t -> t.length * 4).sum();
        byte[] str = strings.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(24 + typeLen + str.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24);
        b.putInt(0).putInt(typeLen).putInt(typeLen).putInt(str.length);
        for (int[] t : types) {
            for (int v : t) {
                b.putInt(v);
            }
        }
        b.put(str);
        byte[] blob = b.array();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment data = a.allocate(blob.length, 8);
            MemorySegment.copy(blob, 0, data, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, blob.length);
            int logSize = 65536;
            MemorySegment log = a.allocate(logSize);
            MemorySegment attr = a.allocate(Bpf.ATTR_SIZE, 8);
            attr.set(JAVA_LONG, 0, data.address());
            attr.set(JAVA_LONG, 8, log.address());
            attr.set(JAVA_INT, 16, blob.length);
            attr.set(JAVA_INT, 20, logSize);
            attr.set(JAVA_INT, 24, 1);
            long r = Sys.bpf(Sys.newCapture(a), BPF_BTF_LOAD, attr, Bpf.ATTR_SIZE);
            if (r < 0) {
                throw new KernelException("BPF_BTF_LOAD", (int) -r, log.getString(0, StandardCharsets.UTF_8));
            }
            return (int) r;
        }
    }

    /** BTF type id of the {@code FUNC} for function {@code i}. */
    static int funcTypeId(int i) {
        return 3 + 2 * i;
    }

    private static int addString(ByteArrayOutputStream s, String v) {
        int off = s.size();
        s.writeBytes(v.getBytes(StandardCharsets.US_ASCII));
        s.write(0);
        return off;
    }
}
