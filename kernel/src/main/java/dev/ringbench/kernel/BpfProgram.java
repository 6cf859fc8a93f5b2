package dev.ringbench.kernel;

/**
 * A loaded BPF program (socket filter), never attached to any hook: it runs only when
 * {@link TestRun} triggers it with {@code BPF_PROG_TEST_RUN}. Closing it closes the fd.
 */
public final class BpfProgram implements AutoCloseable {
    private final int fd;
    private final String name;
    private volatile boolean closed;

    private BpfProgram(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /** Loads {@code code} as a socket filter; a verifier rejection throws with the verifier log. */
    public static BpfProgram load(BpfAsm code, String name) {
        return load(Bpf.BPF_PROG_TYPE_SOCKET_FILTER, code, name);
    }

    /** Loads {@code code} as a program of {@code type} ({@link Bpf#BPF_PROG_TYPE_SOCKET_FILTER}, {@link Bpf#BPF_PROG_TYPE_RAW_TRACEPOINT}). */
    public static BpfProgram load(int type, BpfAsm code, String name) {
        Kernel.requireAvailable();
        return new BpfProgram(Bpf.progLoad(type, code, name), name);
    }

    int fd() {
        if (closed) {
            throw new IllegalStateException("program " + name + " is closed");
        }
        return fd;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Sys.close(fd);
        }
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name + ", fd " + fd + "]";
    }
}
