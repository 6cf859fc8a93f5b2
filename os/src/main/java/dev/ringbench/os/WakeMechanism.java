package dev.ringbench.os;

/**
 * How a sleeping consumer of the port (or of the perf-buffer analogue) is woken by the deferred
 * wake-up work. The kernel has one mechanism: the consumer sleeps in {@code epoll_wait} on the
 * map fd, the commit queues {@code irq_work}, and its function calls {@code wake_up_all}, which
 * runs the epoll callback and, when the consumer sleeps, the scheduler's try-to-wake-up. Every
 * notification therefore crosses into the kernel. The port offers that crossing, and the JVM's own
 * park/unpark as a second mechanism, so that what the mechanism costs is itself measured.
 */
public enum WakeMechanism {
    /**
     * The JVM's {@code LockSupport.park}/{@code unpark}: a wake-up marks the waiter woken and unparks
     * it only if it sleeps, so a notification nobody waits for costs two volatile accesses. Cheaper
     * than anything the kernel can do; the port's default.
     */
    PARK,
    /**
     * As the kernel: the consumer sleeps in {@code epoll_wait} on an {@code eventfd}, and the
     * deferred wake-up work writes the eventfd ({@code write(2)}: the eventfd's {@code wake_up}, the
     * epoll callback, and the scheduler's wake-up when the consumer sleeps), whether or not anyone
     * sleeps, as {@code wake_up_all} runs the callbacks of every registered waiter. A waiter that finds
     * the eventfd signalled on entry reads it ({@code read(2)}) to reset it. Linux only.
     */
    EVENTFD
}
