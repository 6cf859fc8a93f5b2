package dev.ringbench.os;

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
 * The Linux libc calls the project needs, each bound once with an FFM downcall that captures
 * {@code errno}: {@code memfd_create}, {@code ftruncate}, {@code mmap}, {@code munmap},
 * {@code close}, {@code eventfd}, {@code epoll_create1}, {@code epoll_ctl}, {@code epoll_wait},
 * {@code read}, {@code write}. The port (its double mapping and the {@link WakeMechanism#EVENTFD}
 * wake-up), the perf-buffer analogue and the kernel bindings all call them here.
 *
 * <p>Two styles. The raw calls take a caller-owned capture-state segment ({@link #newCapture}) and
 * return the result or {@code -errno}, allocating nothing, for hot paths and for callers that
 * report failures their own way (the kernel module's {@code KernelException}). The setup calls
 * without a capture segment throw an {@link IllegalStateException} naming the call and errno.
 * Requires {@code --enable-native-access=ALL-UNNAMED} (or the jar manifest entry).
 */
public final class Libc {
    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MFD_CLOEXEC = 1;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENOSYS = 38;
    /** {@code struct epoll_event}: packed (12 bytes) on x86-64, 16 bytes elsewhere (arm64). */
    public static final long EPOLL_EVENT_SIZE;
    /** Where an {@code epoll_event}'s {@code data} starts. */
    public static final long EPOLL_DATA_OFFSET;

    private static final Linker LINKER = Linker.nativeLinker();
    /** The layout of a capture-state segment ({@link #newCapture}). */
    public static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final MethodHandle MEMFD_CREATE = bind("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FTRUNCATE = bind("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MMAP = bind("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 = bind("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = bind("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = bind("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    static {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        EPOLL_EVENT_SIZE = x86 ? 12 : 16;
        EPOLL_DATA_OFFSET = x86 ? 4 : 8;
    }

    private Libc() {
    }

    /** Whether this platform offers what the port's double mapping needs (Linux with memfd_create). */
    public static boolean available() {
        return MEMFD_CREATE != null && MMAP != null;
    }

    /** Whether mmap, epoll and eventfd are bound (the kernel bindings need them). */
    public static boolean epollAvailable() {
        return MMAP != null && EPOLL_WAIT != null && EVENTFD != null;
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        SymbolLookup libc = LINKER.defaultLookup();
        return libc.find(name).map(sym -> LINKER.downcallHandle(sym, fd, ERRNO_OPTION)).orElse(null);
    }

    /** A capture-state segment for the raw calls. */
    public static MemorySegment newCapture(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** The errno the last raw call with this capture segment left. */
    public static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    // --- raw calls: the result or -errno, allocating nothing ---------------------------------------

    /** {@code mmap}: the address, or {@code -errno} (a user-space address is never negative). */
    public static long mmap(MemorySegment capture, long addr, long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment r = (MemorySegment) MMAP.invokeExact(capture, MemorySegment.ofAddress(addr), length, prot, flags,
                    fd, offset);
            return r.address() == -1L ? -errno(capture) : r.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code munmap}: 0 or {@code -errno}. */
    public static int munmap(MemorySegment capture, long addr, long length) {
        try {
            return negErrno((int) MUNMAP.invokeExact(capture, MemorySegment.ofAddress(addr), length), capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code close}: 0 or {@code -errno}. */
    public static int close(MemorySegment capture, int fd) {
        try {
            return negErrno((int) CLOSE.invokeExact(capture, fd), capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code eventfd(0, flags)}: the fd or {@code -errno}. */
    public static int eventfd(MemorySegment capture, int flags) {
        try {
            return negErrno((int) EVENTFD.invokeExact(capture, 0, flags), capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code epoll_create1(flags)}: the fd or {@code -errno}. */
    public static int epollCreate1(MemorySegment capture, int flags) {
        try {
            return negErrno((int) EPOLL_CREATE1.invokeExact(capture, flags), capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code epoll_ctl(epfd, op, fd, {events, data})}: 0 or {@code -errno}. Allocates its event (setup path). */
    public static int epollCtl(MemorySegment capture, int epfd, int op, int fd, int events, long data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ev = a.allocate(16, 8);
            ev.set(JAVA_INT, 0, events);
            ev.set(JAVA_LONG.withByteAlignment(4), EPOLL_DATA_OFFSET, data);
            return negErrno((int) EPOLL_CTL.invokeExact(capture, epfd, op, fd, ev), capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code epoll_wait}: events returned, or {@code -errno} (-{@link #EINTR} when interrupted). */
    public static int epollWait(MemorySegment capture, int epfd, MemorySegment events, int maxEvents, int timeoutMs) {
        try {
            return negErrno((int) EPOLL_WAIT.invokeExact(capture, epfd, events, maxEvents, timeoutMs), capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The {@code data} of event {@code i} in an {@code epoll_wait} result. */
    public static long epollEventData(MemorySegment events, int i) {
        return events.get(JAVA_LONG.withByteAlignment(4), i * EPOLL_EVENT_SIZE + EPOLL_DATA_OFFSET);
    }

    /**
     * {@code read(fd, buf, 8)}: the bytes read or {@code -errno}; resets a non-blocking eventfd
     * (-{@link #EAGAIN} when it was not signalled).
     */
    public static long read8(MemorySegment capture, int fd, MemorySegment buf) {
        try {
            long r = (long) READ.invokeExact(capture, fd, buf, 8L);
            return r < 0 ? -errno(capture) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code write(fd, buf, 8)}: the bytes written or {@code -errno}; adds the u64 at {@code buf}
     * to an eventfd's counter and wakes its waiters.
     */
    public static long write8(MemorySegment capture, int fd, MemorySegment buf) {
        try {
            long r = (long) WRITE.invokeExact(capture, fd, buf, 8L);
            return r < 0 ? -errno(capture) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // --- setup calls: throw IllegalStateException naming the call and errno ------------------------

    /** {@code eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)}. */
    public static int eventfd() {
        try (Arena a = Arena.ofConfined()) {
            return check(eventfd(newCapture(a), EFD_NONBLOCK | EFD_CLOEXEC), "eventfd");
        }
    }

    /** {@code epoll_create1(EPOLL_CLOEXEC)}, then {@code epoll_ctl(ADD, fd, EPOLLIN)}: an epoll instance watching {@code fd}. */
    public static int epollWatching(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = newCapture(a);
            int ep = check(epollCreate1(st, EPOLL_CLOEXEC), "epoll_create1");
            int rc = epollCtl(st, ep, EPOLL_CTL_ADD, fd, EPOLLIN, 0); // level-triggered; data unused
            if (rc < 0) {
                close(st, ep);
                throw new IllegalStateException("epoll_ctl(ADD) failed: errno " + -rc);
            }
            return ep;
        }
    }

    /** {@code memfd_create(name, MFD_CLOEXEC)}; {@link UnsupportedOperationException} where the kernel refuses it. */
    public static int memfdCreate(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = newCapture(a);
            int fd = (int) MEMFD_CREATE.invokeExact(st, a.allocateFrom(name), MFD_CLOEXEC);
            if (fd < 0 && errno(st) == ENOSYS) {
                throw new UnsupportedOperationException("the BPF ring buffer port needs memfd_create to map its data "
                        + "pages twice, and this kernel refuses it (ENOSYS: older than Linux 3.17, or filtered by seccomp)");
            }
            return check(negErrno(fd, st), "memfd_create");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void ftruncate(int fd, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = newCapture(a);
            check(negErrno((int) FTRUNCATE.invokeExact(st, fd, length), st), "ftruncate");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** mmap; returns the address. Throws on MAP_FAILED. */
    public static long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        try (Arena a = Arena.ofConfined()) {
            long r = mmap(newCapture(a), addr, length, prot, flags, fd, offset);
            if (r < 0) {
                throw new IllegalStateException("mmap(" + length + " bytes) failed: errno " + -r);
            }
            return r;
        }
    }

    public static void munmap(long addr, long length) {
        try (Arena a = Arena.ofConfined()) {
            check(munmap(newCapture(a), addr, length), "munmap");
        }
    }

    public static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            check(close(newCapture(a), fd), "close");
        }
    }

    private static int negErrno(int rc, MemorySegment capture) {
        return rc < 0 ? -errno(capture) : rc;
    }

    private static int check(int rcOrNegErrno, String call) {
        if (rcOrNegErrno < 0) {
            throw new IllegalStateException(call + " failed: errno " + -rcOrNegErrno);
        }
        return rcOrNegErrno;
    }

    /** A Throwable from {@code invokeExact} as an unchecked exception (errors pass through). */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
