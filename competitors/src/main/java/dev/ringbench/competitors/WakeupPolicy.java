package dev.ringbench.competitors;

/**
 * Which commit flags a BPF ring buffer producer passes, the notification policies the suite
 * compares (the kernel benchmark's {@code --rb-sampled} included).
 */
public enum WakeupPolicy {
    /** Flags 0: the kernel's caught-up rule decides. */
    ADAPTIVE,
    /** {@code BPF_RB_FORCE_WAKEUP} on every record. */
    FORCE,
    /** {@code BPF_RB_NO_WAKEUP} on every record; the consumer's poll timeout is the only recovery. */
    NO_WAKEUP,
    /**
     * FORCE once the available data reaches N records of 16 bytes ({@code BPF_RB_AVAIL_DATA >= N * 16}),
     * NO_WAKEUP otherwise: the kernel benchmark's {@code --rb-sampled --rb-sample-rate N}.
     */
    SAMPLED,
    /** FORCE on every N-th record of a producer, NO_WAKEUP on the others. */
    EVERY_NTH
}
