package dev.ringbench.kernel;

/**
 * Whether this JVM can drive the real kernel: Linux on x86-64 or arm64, {@code bpf(2)} permitted
 * (root, or CAP_BPF with CAP_PERFMON), BPF ring buffer maps (5.8+), socket-filter programs and
 * {@code BPF_PROG_TEST_RUN}. Probed once; {@link #unavailableReason()} says in one line why not.
 * {@code -Dringbench.kernel=off} makes it unavailable on purpose (the kernel tests then skip).
 */
public final class Kernel {
    private static volatile String reason;
    private static volatile boolean probed;

    private Kernel() {
    }

    /** True when the real kernel's ring buffer can be created, mapped and fed here. */
    public static boolean available() {
        return unavailableReason() == null;
    }

    /** Null when available; otherwise one line saying why not. */
    public static String unavailableReason() {
        if (!probed) {
            synchronized (Kernel.class) {
                if (!probed) {
                    reason = probe();
                    probed = true;
                }
            }
        }
        return reason;
    }

    /** Throws {@link UnsupportedOperationException} with the reason when unavailable. */
    static void requireAvailable() {
        String r = unavailableReason();
        if (r != null) {
            throw new UnsupportedOperationException("the real BPF ring buffer is unavailable: " + r);
        }
    }

    private static String probe() {
        if ("off".equals(System.getProperty("ringbench.kernel"))) {
            return "disabled by -Dringbench.kernel=off";
        }
        try {
            String sys = Sys.unavailableReason();
            if (sys != null) {
                return sys;
            }
            int fd;
            try {
                fd = Bpf.mapCreate(Bpf.BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, "probe");
            } catch (KernelException e) {
                return switch (e.errno()) {
                    case 1, 13 -> "bpf(2) not permitted (needs root, or CAP_BPF and CAP_PERFMON): " + e.getMessage();
                    case 38 -> "kernel without bpf(2): " + e.getMessage();
                    case 22 -> "kernel without BPF_MAP_TYPE_RINGBUF (Linux 5.8+): " + e.getMessage();
                    default -> "cannot create a BPF ring buffer map: " + e.getMessage();
                };
            }
            try {
                BpfAsm a = new BpfAsm().mov(BpfAsm.R0, 7).exit();
                int prog = Bpf.progLoad(Bpf.BPF_PROG_TYPE_SOCKET_FILTER, a, "probe");
                try {
                    long r = testRunOnce(prog);
                    if (r != 7) {
                        return "BPF_PROG_TEST_RUN of a socket filter did not work: " + r;
                    }
                } finally {
                    Sys.close(prog);
                }
            } finally {
                Sys.close(fd);
            }
            return null;
        } catch (KernelException e) {
            return "BPF probe failed: " + e.getMessage().lines().findFirst().orElse("");
        } catch (RuntimeException | LinkageError e) {
            return "BPF probe failed: " + e;
        }
    }

    private static long testRunOnce(int progFd) {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var attr = arena.allocate(Bpf.ATTR_SIZE, 8);
            var pkt = arena.allocate(TestRun.PACKET_SIZE, 8);
            attr.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, progFd);
            attr.set(java.lang.foreign.ValueLayout.JAVA_INT, 8, TestRun.PACKET_SIZE);
            attr.set(java.lang.foreign.ValueLayout.JAVA_LONG, 16, pkt.address());
            long r = Sys.bpf(Sys.newCapture(arena), Bpf.BPF_PROG_TEST_RUN, attr, Bpf.ATTR_SIZE);
            if (r < 0) {
                throw new KernelException("BPF_PROG_TEST_RUN", (int) -r);
            }
            return Integer.toUnsignedLong(attr.get(java.lang.foreign.ValueLayout.JAVA_INT, 4));
        }
    }
}
