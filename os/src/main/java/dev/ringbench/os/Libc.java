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

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The handful of Linux libc calls the port needs, bound with FFM downcalls: {@code memfd_create},
 * {@code ftruncate}, {@code mmap}, {@code munmap}, {@code close}, and for the
 * {@link WakeMechanism#EVENTFD} wake-up {@code eventfd}, {@code epoll_create1}, {@code epoll_ctl},
 * {@code epoll_wait}, {@code read}, {@code write}. Each failure becomes an
 * {@link IllegalStateException} naming the call and errno. Requires
 * {@code --enable-native-access=ALL-UNNAMED} (or the jar manifest entry).
 */
final class Libc {
    static final int PROT_NONE = 0;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 0x01;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MFD_CLOEXEC = 1;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 1;
    /** {@code struct epoll_event}: 12 bytes packed on x86-64, 16 on arm64; room for the larger. */
    static final int EPOLL_EVENT_BYTES = 16;
    static final int ENOSYS = 38;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
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
    // The wake-up path's calls, bound without errno capture: their failures need no diagnosis
    // (a full eventfd counter, EINTR) and a capture segment would have to be allocated or shared.
    private static final MethodHandle EPOLL_WAIT = bindPlain("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = bindPlain("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = bindPlain("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    private Libc() {
    }

    /** Whether this platform offers what the double mapping needs (Linux with memfd_create). */
    static boolean available() {
        return MEMFD_CREATE != null && MMAP != null;
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        SymbolLookup libc = LINKER.defaultLookup();
        return libc.find(name).map(sym -> LINKER.downcallHandle(sym, fd, ERRNO_OPTION)).orElse(null);
    }

    private static MethodHandle bindPlain(String name, FunctionDescriptor fd) {
        return LINKER.defaultLookup().find(name).map(sym -> LINKER.downcallHandle(sym, fd)).orElse(null);
    }

    /** {@code eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)}. */
    static int eventfd() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) EVENTFD.invokeExact(st, 0, EFD_NONBLOCK | EFD_CLOEXEC);
            check(fd, "eventfd", st);
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code epoll_create1(EPOLL_CLOEXEC)}, then {@code epoll_ctl(ADD, fd, EPOLLIN)}: an epoll instance watching {@code fd}. */
    static int epollWatching(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int ep = (int) EPOLL_CREATE1.invokeExact(st, EPOLL_CLOEXEC);
            check(ep, "epoll_create1", st);
            MemorySegment ev = a.allocate(EPOLL_EVENT_BYTES, 8);
            ev.set(JAVA_INT, 0, EPOLLIN); // level-triggered; data unused
            int rc = (int) EPOLL_CTL.invokeExact(st, ep, EPOLL_CTL_ADD, fd, ev);
            if (rc < 0) {
                int errno = (int) ERRNO.get(st, 0L);
                close(ep);
                throw new IllegalStateException("epoll_ctl(ADD) failed: errno " + errno);
            }
            return ep;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code epoll_wait(ep, events, 1, timeoutMs)}: 1 when the watched fd is ready, 0 on timeout, -1 on error (EINTR). */
    static int epollWait(int ep, MemorySegment events, int timeoutMs) {
        try {
            return (int) EPOLL_WAIT.invokeExact(ep, events, 1, timeoutMs);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code read(fd, buf, 8)}: resets a non-blocking eventfd (-1 with EAGAIN when it was not signalled). */
    static long read8(int fd, MemorySegment buf) {
        try {
            return (long) READ.invokeExact(fd, buf, 8L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code write(fd, buf, 8)}: adds the u64 at {@code buf} to an eventfd's counter and wakes its waiters. */
    static long write8(int fd, MemorySegment buf) {
        try {
            return (long) WRITE.invokeExact(fd, buf, 8L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int memfdCreate(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) MEMFD_CREATE.invokeExact(st, a.allocateFrom(name), MFD_CLOEXEC);
            if (fd < 0 && (int) ERRNO.get(st, 0L) == ENOSYS) {
                throw new UnsupportedOperationException("the BPF ring buffer port needs memfd_create to map its data "
                        + "pages twice, and this kernel refuses it (ENOSYS: older than Linux 3.17, or filtered by seccomp)");
            }
            check(fd, "memfd_create", st);
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void ftruncate(int fd, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            check((int) FTRUNCATE.invokeExact(st, fd, length), "ftruncate", st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** mmap; returns the address. Throws on MAP_FAILED. */
    static long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment r = (MemorySegment) MMAP.invokeExact(st, MemorySegment.ofAddress(addr), length, prot, flags, fd, offset);
            if (r.address() == -1L) {
                throw new IllegalStateException("mmap(" + length + " bytes) failed: errno " + (int) ERRNO.get(st, 0L));
            }
            return r.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void munmap(long addr, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            check((int) MUNMAP.invokeExact(st, MemorySegment.ofAddress(addr), length), "munmap", st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            check((int) CLOSE.invokeExact(st, fd), "close", st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void check(int rc, String call, MemorySegment st) {
        if (rc < 0) {
            throw new IllegalStateException(call + " failed: errno " + (int) ERRNO.get(st, 0L));
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
