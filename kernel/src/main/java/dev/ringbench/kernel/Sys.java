package dev.ringbench.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Linux calls the kernel module needs, as FFM downcalls with errno capture (the same style as
 * {@code ringbuf}'s {@code Libc}): {@code syscall} (for {@code bpf(2)}, {@code perf_event_open(2)}
 * and {@code ioctl(2)}), {@code mmap}, {@code munmap}, {@code close}, {@code epoll_create1},
 * {@code epoll_ctl}, {@code epoll_wait}, {@code eventfd}, {@code read}, {@code write}.
 *
 * <p>Two styles: setup calls throw {@link KernelException} (call name and errno); hot-path calls
 * ({@link #bpf(MemorySegment, int, MemorySegment, long)}, {@link #epollWait}) take a caller-owned
 * capture-state segment and return {@code -errno}, allocating nothing.
 *
 * <p>{@code syscall(long, ...)} is variadic: every argument is passed as a 64-bit value, which is
 * what the kernel's syscall entry reads from the registers anyway.
 */
final class Sys {
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 0x01;
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLLIN = 0x001;
    static final int EPOLLOUT = 0x004;
    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    /** x86-64 or arm64: the syscall numbers differ; anything else is unsupported. */
    static final boolean X86_64;
    static final boolean ARM64;
    static final long NR_BPF;
    static final long NR_PERF_EVENT_OPEN;
    static final long NR_IOCTL;
    /** {@code struct epoll_event}: packed (12 bytes) on x86-64, 16 bytes elsewhere. */
    static final long EPOLL_EVENT_SIZE;
    static final long EPOLL_DATA_OFFSET;

    private static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final MethodHandle SYSCALL3;
    private static final MethodHandle SYSCALL5;
    private static final MethodHandle SYSCALL_LLL;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle CLOSE;
    private static final MethodHandle EPOLL_CREATE1;
    private static final MethodHandle EPOLL_CTL;
    private static final MethodHandle EPOLL_WAIT;
    private static final MethodHandle EVENTFD;
    private static final MethodHandle READ;
    private static final MethodHandle WRITE;

    static {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        X86_64 = linux && (arch.equals("amd64") || arch.equals("x86_64"));
        ARM64 = linux && arch.equals("aarch64");
        NR_BPF = X86_64 ? 321 : ARM64 ? 280 : -1;
        NR_PERF_EVENT_OPEN = X86_64 ? 298 : ARM64 ? 241 : -1;
        NR_IOCTL = X86_64 ? 16 : ARM64 ? 29 : -1;
        EPOLL_EVENT_SIZE = X86_64 ? 12 : 16;
        EPOLL_DATA_OFFSET = X86_64 ? 4 : 8;
        SYSCALL3 = bindVariadic("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG));
        SYSCALL5 = bindVariadic("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        SYSCALL_LLL = bindVariadic("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        MMAP = bind("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MUNMAP = bind("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        EPOLL_CREATE1 = bind("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        EPOLL_CTL = bind("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        EPOLL_WAIT = bind("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        EVENTFD = bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private Sys() {
    }

    /** Null when every call is bound; otherwise why not. */
    static String unavailableReason() {
        if (!X86_64 && !ARM64) {
            return "not Linux on x86-64 or arm64 (os.name=" + System.getProperty("os.name") + ", os.arch="
                    + System.getProperty("os.arch") + ")";
        }
        if (SYSCALL3 == null || MMAP == null || EPOLL_WAIT == null || EVENTFD == null) {
            return "libc lacks syscall/mmap/epoll/eventfd";
        }
        return null;
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        SymbolLookup libc = LINKER.defaultLookup();
        return libc.find(name).map(sym -> LINKER.downcallHandle(sym, fd, ERRNO_OPTION)).orElse(null);
    }

    private static MethodHandle bindVariadic(String name, FunctionDescriptor fd) {
        SymbolLookup libc = LINKER.defaultLookup();
        return libc.find(name).map(sym -> LINKER.downcallHandle(sym, fd, ERRNO_OPTION,
                Linker.Option.firstVariadicArg(1))).orElse(null);
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /** A capture-state segment for the hot-path calls. */
    static MemorySegment newCapture(Arena arena) {
        return arena.allocate(CAPTURE);
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
            MemorySegment st = newCapture(a);
            MemorySegment r = (MemorySegment) MMAP.invokeExact(st, MemorySegment.NULL, length, prot, MAP_SHARED, fd, offset);
            if (r.address() == -1L) {
                throw new KernelException("mmap of " + what + " (" + length + " bytes at " + offset + ")", errno(st));
            }
            return r.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code munmap}; failures are ignored (only ever called on our own mappings, at close). */
    static void munmap(long addr, long length) {
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) MUNMAP.invokeExact(newCapture(a), MemorySegment.ofAddress(addr), length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code close}; failures are ignored. */
    static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(newCapture(a), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // --- epoll, eventfd -------------------------------------------------------------------------

    static int epollCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = newCapture(a);
            int fd = (int) EPOLL_CREATE1.invokeExact(st, EPOLL_CLOEXEC);
            if (fd < 0) {
                throw new KernelException("epoll_create1", errno(st));
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code epoll_ctl}: 0 or {@code -errno}. */
    static int epollCtl(int epfd, int op, int fd, int events, long data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = newCapture(a);
            MemorySegment ev = a.allocate(16, 8);
            ev.set(JAVA_INT, 0, events);
            ev.set(JAVA_LONG.withByteAlignment(4), EPOLL_DATA_OFFSET, data);
            int r = (int) EPOLL_CTL.invokeExact(st, epfd, op, fd, ev);
            return r < 0 ? -errno(st) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code epoll_wait}: events returned, or {@code -errno}. Allocates nothing. */
    static int epollWait(MemorySegment capture, int epfd, MemorySegment events, int maxEvents, int timeoutMs) {
        try {
            int r = (int) EPOLL_WAIT.invokeExact(capture, epfd, events, maxEvents, timeoutMs);
            return r < 0 ? -errno(capture) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The {@code data} of event {@code i} in an {@code epoll_wait} result. */
    static long epollEventData(MemorySegment events, int i) {
        return events.get(JAVA_LONG.withByteAlignment(4), i * EPOLL_EVENT_SIZE + EPOLL_DATA_OFFSET);
    }

    static int eventfd() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = newCapture(a);
            int fd = (int) EVENTFD.invokeExact(st, 0, EFD_CLOEXEC | EFD_NONBLOCK);
            if (fd < 0) {
                throw new KernelException("eventfd", errno(st));
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code write(fd, buf, 8)}: result or {@code -errno}. */
    static long write8(MemorySegment capture, int fd, MemorySegment buf) {
        try {
            long r = (long) WRITE.invokeExact(capture, fd, buf, 8L);
            return r < 0 ? -errno(capture) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code read(fd, buf, 8)}: result or {@code -errno}. */
    static long read8(MemorySegment capture, int fd, MemorySegment buf) {
        try {
            long r = (long) READ.invokeExact(capture, fd, buf, 8L);
            return r < 0 ? -errno(capture) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
