package dev.ringbench.kernel;

/** A kernel call failed: names the call and its errno. */
public final class KernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public KernelException(String call, int errno) {
        super(call + " failed: errno " + errno + " (" + name(errno) + ")");
        this.errno = errno;
    }

    public KernelException(String call, int errno, String detail) {
        super(call + " failed: errno " + errno + " (" + name(errno) + ")\n" + detail);
        this.errno = errno;
    }

    /** The positive errno. */
    public int errno() {
        return errno;
    }

    static String name(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 4 -> "EINTR";
            case 7 -> "E2BIG";
            case 9 -> "EBADF";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 14 -> "EFAULT";
            case 16 -> "EBUSY";
            case 22 -> "EINVAL";
            case 28 -> "ENOSPC";
            case 38 -> "ENOSYS";
            case 95 -> "EOPNOTSUPP";
            case 524 -> "ENOTSUPP";
            default -> "?";
        };
    }
}
