package dev.ringbench.competitors;

import dev.ringbench.ringbuf.LockEra;

/**
 * How to build a channel. Every field has a default ({@link #defaults()}); scenarios change the
 * ones they sweep with the {@code with*} methods.
 *
 * @param capacityBytes    buffer memory for records, in total across producers. Byte-ring
 *                         channels (BPF ring buffer, Agrona) use it as their ring size; the
 *                         perf-buffer analogue splits it evenly into one ring per producer;
 *                         slot channels (Disruptor, JCTools) hold {@link #slots(int)} slots
 *                         of {@code slotBytes} each. A power of two, at least 4096.
 * @param producers        producer count (1 for {@code ChannelKind.AGRONA_ONE_TO_ONE})
 * @param maxRecordLength  largest payload; fixes the slot size of slot channels
 * @param wakeup           the BPF ring buffer's commit-flag policy
 * @param wakeupN          the N of {@link WakeupPolicy#SAMPLED} and {@link WakeupPolicy#EVERY_NTH}
 * @param perfWakeupEvents perf buffer: wake the consumer every this many samples (libbpf default 1);
 *                         ignored when {@code perfWatermarkBytes > 0}
 * @param perfWatermarkBytes perf buffer: wake when this many bytes were written since the last
 *                         wake-up (0: use {@code perfWakeupEvents})
 * @param lockEra          the BPF ring buffer's reservation lock
 */
public record ChannelConfig(int capacityBytes, int producers, int maxRecordLength, WakeupPolicy wakeup, int wakeupN,
                            int perfWakeupEvents, int perfWatermarkBytes, LockEra lockEra) {

    /** The kernel benchmark's ring size. */
    public static final int DEFAULT_CAPACITY = 512 * 1024;

    /**
     * The slots of a slot channel (Disruptor, JCTools: a power of two each) whose slots take
     * {@code slotBytes} each: the largest power of two {@code n} with {@code n * slotBytes <=
     * capacityBytes}, or the next power of two when that exceeds {@code capacityBytes} by at most
     * 1/32 (so that a capacity just short of a power of two is not halved); at least 2. At 512 KiB:
     * 16384 slots for 8-byte payloads (24-byte slots, 384 KiB), 4096 for 64 (80, 320 KiB), 1024 for
     * 256 (272, 272 KiB), 512 for 512 (528, 264 KiB) and 512 for 1024 (1040-byte slots, 520 KiB:
     * 1.6 % above 512 KiB, where rounding down would leave 256 slots, fewer than the kernel
     * benchmark's batch of 500 records).
     */
    public int slots(int slotBytes) {
        return slots(capacityBytes, slotBytes);
    }

    /** {@link #slots(int)} for {@code capacityBytes} of memory. */
    public static int slots(int capacityBytes, int slotBytes) {
        if (slotBytes <= 0) {
            throw new IllegalArgumentException("slotBytes must be positive: " + slotBytes);
        }
        int fit = capacityBytes / slotBytes;
        int down = Math.max(2, Integer.highestOneBit(Math.max(fit, 1)));
        long up = (long) down * 2;
        return up * slotBytes <= capacityBytes + capacityBytes / 32 ? (int) up : down;
    }

    public ChannelConfig {
        if (capacityBytes < 4096 || Integer.bitCount(capacityBytes) != 1) {
            throw new IllegalArgumentException("capacityBytes must be a power of two >= 4096: " + capacityBytes);
        }
        if (producers < 1) {
            throw new IllegalArgumentException("producers must be >= 1: " + producers);
        }
        if (maxRecordLength < 0 || maxRecordLength > capacityBytes / 4) {
            throw new IllegalArgumentException("maxRecordLength must be in [0, capacityBytes / 4]: " + maxRecordLength);
        }
        if (wakeup == null || lockEra == null) {
            throw new IllegalArgumentException("wakeup and lockEra must not be null");
        }
        if (wakeupN < 1 || perfWakeupEvents < 1 || perfWatermarkBytes < 0) {
            throw new IllegalArgumentException("wakeupN and perfWakeupEvents must be >= 1, perfWatermarkBytes >= 0");
        }
    }

    /** 512 KiB, one producer, records up to 1024 bytes, adaptive wake-ups, the current lock. */
    public static ChannelConfig defaults() {
        return new ChannelConfig(DEFAULT_CAPACITY, 1, 1024, WakeupPolicy.ADAPTIVE, 1, 1, 0, LockEra.RESILIENT_6_15);
    }

    public ChannelConfig withCapacityBytes(int v) {
        return new ChannelConfig(v, producers, maxRecordLength, wakeup, wakeupN, perfWakeupEvents, perfWatermarkBytes, lockEra);
    }

    public ChannelConfig withProducers(int v) {
        return new ChannelConfig(capacityBytes, v, maxRecordLength, wakeup, wakeupN, perfWakeupEvents, perfWatermarkBytes, lockEra);
    }

    public ChannelConfig withMaxRecordLength(int v) {
        return new ChannelConfig(capacityBytes, producers, v, wakeup, wakeupN, perfWakeupEvents, perfWatermarkBytes, lockEra);
    }

    public ChannelConfig withWakeup(WakeupPolicy policy, int n) {
        return new ChannelConfig(capacityBytes, producers, maxRecordLength, policy, n, perfWakeupEvents, perfWatermarkBytes, lockEra);
    }

    public ChannelConfig withPerfWakeup(int events, int watermarkBytes) {
        return new ChannelConfig(capacityBytes, producers, maxRecordLength, wakeup, wakeupN, events, watermarkBytes, lockEra);
    }

    public ChannelConfig withLockEra(LockEra v) {
        return new ChannelConfig(capacityBytes, producers, maxRecordLength, wakeup, wakeupN, perfWakeupEvents, perfWatermarkBytes, v);
    }
}
