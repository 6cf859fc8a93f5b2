package dev.ringbench.kernel;

import dev.ringbench.os.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Linux calls the kernel module needs. {@code syscall} (for {@code bpf(2)},
 * {@code perf_event_open(2)} and {@code ioctl(2)}) is bound here, with errno capture; {@code mmap},
 * {@code munmap}, {@code close}, {@code epoll_create1}, {@code epoll_ctl}, {@code epoll_wait},
 * {@code eventfd}, {@code read} and {@code write} are {@code os}'s {@link Libc} bindings, their
 * failures reported here as {@link KernelException}s.
 *
 * <p>Two styles: setup calls throw {@link KernelException} (call name and errno); hot-path calls
 * ({@link #bpf(MemorySegment, int, MemorySegment, long)}, {@link #epollWait}) take a caller-owned
 * capture-state segment and return {@code -errno}, allocating nothing.
 *
 * <p>{@code syscall(long, ...)} is variadic: every argument is passed as a 64-bit value, which is
 * what the kernel's syscall entry reads from the registers anyway.
 */
final class Sys {
    static final int PROT_READ = Libc.PROT_READ;
    static final int PROT_WRITE = Libc.PROT_WRITE;
    static final int EPOLL_CTL_ADD = Libc.EPOLL_CTL_ADD;
    static final int EPOLL_CTL_DEL = Libc.EPOLL_CTL_DEL;
    static final int EPOLLIN = Libc.EPOLLIN;
    static final int EPOLLOUT = Libc.EPOLLOUT;
    static final int EINTR = Libc.EINTR;
    static final int EAGAIN = Libc.EAGAIN;

    /** x86-64 or arm64: the syscall numbers differ; anything else is unsupported. */
    static final boolean X86_64;
    static final boolean ARM64;
    static final long NR_BPF;
    static final long NR_PERF_EVENT_OPEN;
    static final long NR_IOCTL;
    /** {@code struct epoll_event}: packed (12 bytes) on x86-64, 16 bytes elsewhere. */
    static final long EPOLL_EVENT_SIZE = Libc.EPOLL_EVENT_SIZE;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final MethodHandle SYSCALL3;
    private static final MethodHandle SYSCALL5;
    private static final MethodHandle SYSCALL_LLL;

    static {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        X86_64 = linux && (arch.equals("amd64") || arch.equals("x86_64"));
        ARM64 = linux && arch.equals("aarch64");
        NR_BPF = X86_64 ? 321 : ARM64 ? 280 : -1;
        NR_PERF_EVENT_OPEN = X86_64 ? 298 : ARM64 ? 241 : -1;
        NR_IOCTL = X86_64 ? 16 : ARM64 ? 29 : -1;
        SYSCALL3 = bindVariadic("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG));
        SYSCALL5 = bindVariadic("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        SYSCALL_LLL = bindVariadic("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    private Sys() {
    }

    /** Null when every call is bound; otherwise why not. */
    static String unavailableReason() {
        if (!X86_64 && !ARM64) {
            return "not Linux on x86-64 or arm64 (os.name=" + System.getProperty("os.name") + ", os.arch="
                    + System.getProperty("os.arch") + ")";
        }
        if (SYSCALL3 == null || !Libc.epollAvailable()) {
            return "libc lacks syscall/mmap/epoll/eventfd";
        }
        return null;
    }

    private static MethodHandle bindVariadic(String name, FunctionDescriptor fd) {
        SymbolLookup libc = LINKER.defaultLookup();
        return libc.find(name).map(sym -> LINKER.downcallHandle(sym, fd, ERRNO_OPTION,
                Linker.Option.firstVariadicArg(1))).orElse(null);
    }

    static int errno(MemorySegment capture) {
        return Libc.errno(capture);
    }

    /** A capture-state segment for the hot-path calls. */
    static MemorySegment newCapture(Arena arena) {
        return Libc.newCapture(arena);
    }

    // --- bpf(2) ---------------------------------------------------------------------------------

    /** {@code bpf(cmd, attr, size)}: the result, or {@code -errno}. Allocates nothing. */
    static long bpf(MemorySegment capture, int cmd, MemorySegment attr, long size) {
        try {
            long r = (long) SYSCALL3.invokeExact(capture, NR_BPF, (long) cmd, attr, size);
            return r < 0 ? -errno(capture) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code bpf(cmd, attr, size)} for setup: throws with the errno. */
    static long bpfOrThrow(int cmd, MemorySegment attr, String what) {
        try (Arena a = Arena.ofConfined()) {
            long r = bpf(newCapture(a), cmd, attr, attr.byteSize());
            if (r < 0) {
                throw new KernelException(what, (int) -r);
            }
            return r;
        }
    }

    /** {@code perf_event_open(attr, pid, cpu, group_fd, flags)}: the fd, or throws. */
    static int perfEventOpen(MemorySegment attr, int pid, int cpu, int groupFd, long flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = newCapture(a);
            long r = (long) SYSCALL5.invokeExact(st, NR_PERF_EVENT_OPEN, attr, (long) pid, (long) cpu, (long) groupFd, flags);
            if (r < 0) {
                throw new KernelException("perf_event_open(cpu " + cpu + ")", errno(st));
            }
            return (int) r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code ioctl(fd, request, arg)} with an integer argument; throws on failure. */
    static void ioctl(int fd, long request, long arg, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = newCapture(a);
            long r = (long) SYSCALL_LLL.invokeExact(st, NR_IOCTL, (long) fd, request, arg);
            if (r < 0) {
                throw new KernelException(what, errno(st));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // --- memory ---------------------------------------------------------------------------------

    /** {@code mmap(NULL, length, prot, MAP_SHARED, fd, offset)}: the address, or throws. */
    static long mmapShared(long length, int prot, int fd, long offset, String what) {
        try (Arena a = Arena.ofConfined()) {
            long r = Libc.mmap(newCapture(a), 0, length, prot, Libc.MAP_SHARED, fd, offset);
            if (r < 0) {
                throw new KernelException("mmap of " + what + " (" + length + " bytes at " + offset + ")", (int) -r);
            }
            return r;
        }
    }

    /** {@code munmap}; failures are ignored (only ever called on our own mappings, at close). */
    static void munmap(long addr, long length) {
        try (Arena a = Arena.ofConfined()) {
            int ignored = Libc.munmap(newCapture(a), addr, length);
        }
    }

    /** {@code close}; failures are ignored. */
    static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            int ignored = Libc.close(newCapture(a), fd);
        }
    }

    // --- epoll, eventfd -------------------------------------------------------------------------

    static int epollCreate() {
        try (Arena a = Arena.ofConfined()) {
            int fd = Libc.epollCreate1(newCapture(a), Libc.EPOLL_CLOEXEC);
            if (fd < 0) {
                throw new KernelException("epoll_create1", -fd);
            }
            return fd;
        }
    }

    /** {@code epoll_ctl}: 0 or {@code -errno}. */
    static int epollCtl(int epfd, int op, int fd, int events, long data) {
        try (Arena a = Arena.ofConfined()) {
            return Libc.epollCtl(newCapture(a), epfd, op, fd, events, data);
        }
    }

    /** {@code epoll_wait}: events returned, or {@code -errno}. Allocates nothing. */
    static int epollWait(MemorySegment capture, int epfd, MemorySegment events, int maxEvents, int timeoutMs) {
        return Libc.epollWait(capture, epfd, events, maxEvents, timeoutMs);
    }

    /** The {@code data} of event {@code i} in an {@code epoll_wait} result. */
    static long epollEventData(MemorySegment events, int i) {
        return Libc.epollEventData(events, i);
    }

    static int eventfd() {
        try (Arena a = Arena.ofConfined()) {
            int fd = Libc.eventfd(newCapture(a), Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
            if (fd < 0) {
                throw new KernelException("eventfd", -fd);
            }
            return fd;
        }
    }

    /** {@code write(fd, buf, 8)}: result or {@code -errno}. */
    static long write8(MemorySegment capture, int fd, MemorySegment buf) {
        return Libc.write8(capture, fd, buf);
    }

    /** {@code read(fd, buf, 8)}: result or {@code -errno}. */
    static long read8(MemorySegment capture, int fd, MemorySegment buf) {
        return Libc.read8(capture, fd, buf);
    }

    static RuntimeException rethrow(Throwable t) {
        return Libc.rethrow(t);
    }
}
