package dev.ringbench.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A prepared {@code BPF_PROG_TEST_RUN}: the attr block, a minimal packet and the errno capture,
 * allocated once so that triggering a program allocates nothing on the Java heap. Used by one
 * thread at a time (a producer); several {@code TestRun}s may run programs concurrently, each on
 * the CPU its thread happens to be on (the kernel disables migration for the run).
 *
 * <p>{@code repeat} runs the program that many times in one syscall (the kernel's loop in
 * {@code bpf_test_run}); only the last run's return value is reported, so programs count their
 * own successes and drops in their io map.
 */
public final class TestRun implements AutoCloseable {
    /** Packet bytes handed to the socket filter: the skb test run needs at least ETH_HLEN (14). */
    static final int PACKET_SIZE = 64;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment attr = arena.allocate(Bpf.ATTR_SIZE, 8);
    private final MemorySegment packet = arena.allocate(PACKET_SIZE, 8);
    private final MemorySegment capture = Sys.newCapture(arena);
    private final MemorySegment rawTpArgs = arena.allocate(8, 8);
    private long lastDuration;

    public TestRun() {
        Kernel.requireAvailable();
    }

    /**
     * Runs {@code prog} {@code repeat} times (0 or 1: once).
     *
     * @return the last run's return value (u32, as the kernel reports it), or {@code -errno}
     *         when the syscall failed
     */
    public long run(BpfProgram prog, int repeat) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, 0, prog.fd());                 // prog_fd
        attr.set(JAVA_INT, 8, PACKET_SIZE);              // data_size_in
        attr.set(JAVA_LONG, 16, packet.address());       // data_in
        attr.set(JAVA_INT, 32, repeat);                  // repeat
        long r = Sys.bpf(capture, Bpf.BPF_PROG_TEST_RUN, attr, Bpf.ATTR_SIZE);
        if (r < 0) {
            return r;
        }
        lastDuration = Integer.toUnsignedLong(attr.get(JAVA_INT, 36)); // duration: mean ns per run
        return Integer.toUnsignedLong(attr.get(JAVA_INT, 4));           // retval
    }

    /**
     * Runs a raw tracepoint program once on {@code cpu} ({@code BPF_F_TEST_RUN_ON_CPU}: the kernel
     * runs it there by IPI unless the caller is on that CPU already), or, for {@code cpu < 0},
     * on whichever CPU the caller is on. No skb is built, so this is the cheapest test run.
     *
     * @return the program's return value (u32), or {@code -errno}
     */
    public long runOnCpu(BpfProgram prog, int cpu) {
        attr.fill((byte) 0);
        attr.set(JAVA_INT, 0, prog.fd());                 // prog_fd
        attr.set(JAVA_INT, 40, 8);                       // ctx_size_in: one (unused) u64 argument
        attr.set(JAVA_LONG, 48, rawTpArgs.address());    // ctx_in
        if (cpu >= 0) {
            attr.set(JAVA_INT, 64, Bpf.BPF_F_TEST_RUN_ON_CPU); // flags
            attr.set(JAVA_INT, 68, cpu);                 // cpu
        }
        long r = Sys.bpf(capture, Bpf.BPF_PROG_TEST_RUN, attr, Bpf.ATTR_SIZE);
        return r < 0 ? r : Integer.toUnsignedLong(attr.get(JAVA_INT, 4));
    }

    /** Runs {@code prog} once and throws if the syscall failed; the program's return value. */
    public long runOnce(BpfProgram prog) {
        long r = run(prog, 1);
        if (r < 0) {
            throw new KernelException("BPF_PROG_TEST_RUN(" + prog.name() + ")", (int) -r);
        }
        return r;
    }

    /** The kernel's mean duration of one run in the last call, in ns. */
    public long lastDurationNs() {
        return lastDuration;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
