package dev.ringbench.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A one-element {@code BPF_MAP_TYPE_ARRAY} with {@code BPF_F_MMAPABLE}: memory shared between Java
 * and a program. Java writes a program's inputs (payload, length, flags) into it and reads its
 * results (return values, counters) back, with no copy through the syscall; programs reach it
 * with {@code ld_imm64 BPF_PSEUDO_MAP_VALUE}, a pointer the verifier knows the bounds of.
 */
public final class IoMap implements AutoCloseable {
    private final int fd;
    private final int valueSize;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment value;

    private IoMap(int fd, int valueSize) {
        this.fd = fd;
        this.valueSize = valueSize;
        long len = (valueSize + 4095) & ~4095L;
        long addr;
        try {
            addr = Sys.mmapShared(len, Sys.PROT_READ | Sys.PROT_WRITE, fd, 0, "io array map");
        } catch (RuntimeException e) {
            Sys.close(fd);
            arena.close();
            throw e;
        }
        this.value = MemorySegment.ofAddress(addr).reinterpret(len, arena, s -> Sys.munmap(addr, len)).asSlice(0, valueSize);
    }

    /** A zeroed value of {@code valueSize} bytes (a multiple of 8). */
    public static IoMap create(int valueSize) {
        Kernel.requireAvailable();
        if (valueSize <= 0 || (valueSize & 7) != 0) {
            throw new IllegalArgumentException("value size must be a positive multiple of 8: " + valueSize);
        }
        return new IoMap(Bpf.mapCreate(Bpf.BPF_MAP_TYPE_ARRAY, 4, valueSize, 1, Bpf.BPF_F_MMAPABLE, "io"), valueSize);
    }

    public int fd() {
        return fd;
    }

    /** The value, read-write. */
    public MemorySegment value() {
        return value;
    }

    public int valueSize() {
        return valueSize;
    }

    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
            Sys.close(fd);
        }
    }
}
