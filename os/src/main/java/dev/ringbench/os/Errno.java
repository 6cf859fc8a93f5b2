package dev.ringbench.os;

/**
 * The negative errno values the port and the perf-buffer analogue return, as the kernel and libbpf return them
 * ({@code include/uapi/asm-generic/errno-base.h}). A method that "returns -errno" returns one of
 * these constants.
 */
public final class Errno {
    /** Operation not permitted. */
    public static final int EPERM = -1;
    /** Interrupted: a waiting call was interrupted ({@link Thread#interrupt()}). */
    public static final int EINTR = -4;
    /** Argument list too long: a size above what the ring or a record can hold. */
    public static final int E2BIG = -7;
    /** Bad file descriptor: the ring or consumer was closed (the port's use of it). */
    public static final int EBADF = -9;
    /** Try again: no space in the ring right now. */
    public static final int EAGAIN = -11;
    /** Device or resource busy: another drainer holds the user ring. */
    public static final int EBUSY = -16;
    /** Invalid argument. */
    public static final int EINVAL = -22;
    /** No space left: the user ring cannot take the record now. */
    public static final int ENOSPC = -28;
    /** Result out of range. */
    public static final int ERANGE = -34;
    /** No data available (internal to the user-ring drain, never returned). */
    public static final int ENODATA = -61;

    private Errno() {
    }
}
