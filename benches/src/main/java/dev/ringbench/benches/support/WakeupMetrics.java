package dev.ringbench.benches.support;

import dev.ringbench.competitors.ChannelCounters;

/**
 * The channel's two wake-up events ({@link dev.ringbench.competitors.Channel#counters()}) between
 * two counter snapshots, as every scenario reports them: {@code notifications} (producer side) and
 * {@code wakeups} (consumer side), under those names.
 */
public final class WakeupMetrics {
    private WakeupMetrics() {
    }

    /**
     * Reports, as secondary metrics ({@link SideMetrics}), both events per 1000 of {@code records}
     * between two snapshots: {@code notificationsPer1000} (left out where the channel cannot observe
     * its notifications, {@link ChannelCounters#NOT_OBSERVABLE}) and {@code wakeupsPer1000}.
     */
    public static void reportPer1000(ChannelCounters from, ChannelCounters to, double records) {
        if (to.notifications() != ChannelCounters.NOT_OBSERVABLE) {
            SideMetrics.reportRatio("notificationsPer1000", to.notifications() - from.notifications(), records, 1000,
                    "notifications");
        }
        SideMetrics.reportRatio("wakeupsPer1000", to.wakeups() - from.wakeups(), records, 1000, "wake-ups");
    }

    /** {@code to - from} notifications, 0 where the channel cannot observe them. */
    public static long notifications(ChannelCounters from, ChannelCounters to) {
        return to.notifications() == ChannelCounters.NOT_OBSERVABLE ? 0 : to.notifications() - from.notifications();
    }
}
