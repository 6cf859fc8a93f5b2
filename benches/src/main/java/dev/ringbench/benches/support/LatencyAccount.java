package dev.ringbench.benches.support;

import org.HdrHistogram.Histogram;

/**
 * What became of one iteration's scheduled records, beside its latency histogram: of the records
 * {@code due} by the {@link Pacer}'s schedule, how many the producer {@code sent} (of them
 * {@code sentLate}), never reached ({@code unsent}) or found the channel full for
 * ({@code dropped}); of those sent, how many the consumer got within the iteration
 * ({@code delivered}: exactly the records in the histogram) and how many were still in the channel
 * when it ended ({@code undelivered}). {@code lost} is what a channel accepted but neither
 * delivered nor held (0 for every channel here; reported so a counting error shows).
 *
 * <p><b>What the percentiles include.</b> Delivered records only, each measured from its intended
 * send time. Records dropped, unsent or undelivered have no latency and are not in the histogram;
 * they are reported beside it, as counts and as {@link #deliveredFraction()}. An iteration is
 * <b>saturated</b> ({@link #saturated()}) when it delivered less than {@value #SATURATION_DELIVERED}
 * of what was due: the channel, its wait strategy or the producer did not keep up with the
 * offered load, and its percentiles describe only the records that got through.
 */
public record LatencyAccount(long due, long sent, long sentLate, long unsent, long dropped, long delivered,
                             long undelivered) {
    /** An iteration that delivered less than this share of the records due is saturated. */
    public static final double SATURATION_DELIVERED = 0.99;

    /** The account of a finished {@link Pacer} schedule and the consumer's counts. */
    public static LatencyAccount of(Pacer pacer, long delivered, long undelivered) {
        if (pacer.end() == 0) {
            throw new IllegalStateException("the pacer's schedule has not ended (Pacer.finish)");
        }
        return new LatencyAccount(pacer.due(), pacer.sent, pacer.sentLate, pacer.unsent(), pacer.drops, delivered,
                undelivered);
    }

    /** Sent records neither delivered nor still in the channel. */
    public long lost() {
        return sent - delivered - undelivered;
    }

    /** {@code delivered / due}, 1 when nothing was due. */
    public double deliveredFraction() {
        return due == 0 ? 1.0 : (double) delivered / due;
    }

    /** Whether the iteration fell behind its offered load: delivered below {@value #SATURATION_DELIVERED} of due. */
    public boolean saturated() {
        return deliveredFraction() < SATURATION_DELIVERED;
    }

    /**
     * Reports this iteration to {@link SideMetrics}: the histogram's percentiles in µs ({@code p50Us},
     * {@code p90Us}, {@code p99Us}, {@code p999Us}, {@code p9999Us}, {@code maxUs}, {@code meanUs};
     * none when it is empty), the counts (records), {@code deliveredFraction}, {@code sentLateFraction}
     * (of sent) and {@code saturated} (1 or 0).
     */
    public void report(Histogram delivered) {
        if (delivered.getTotalCount() != this.delivered) {
            throw new IllegalStateException("histogram holds " + delivered.getTotalCount() + " records, "
                    + this.delivered + " were delivered");
        }
        if (delivered.getTotalCount() > 0) {
            SideMetrics.report("p50Us", us(delivered.getValueAtPercentile(50)), "us");
            SideMetrics.report("p90Us", us(delivered.getValueAtPercentile(90)), "us");
            SideMetrics.report("p99Us", us(delivered.getValueAtPercentile(99)), "us");
            SideMetrics.report("p999Us", us(delivered.getValueAtPercentile(99.9)), "us");
            SideMetrics.report("p9999Us", us(delivered.getValueAtPercentile(99.99)), "us");
            SideMetrics.report("maxUs", us(delivered.getMaxValue()), "us");
            SideMetrics.report("meanUs", delivered.getMean() / 1000.0, "us");
        }
        SideMetrics.report("due", due, "records");
        SideMetrics.report("sent", sent, "records");
        SideMetrics.report("sentLate", sentLate, "records");
        SideMetrics.report("unsent", unsent, "records");
        SideMetrics.report("dropped", dropped, "records");
        SideMetrics.report("delivered", this.delivered, "records");
        SideMetrics.report("undelivered", undelivered, "records");
        SideMetrics.report("lost", lost(), "records");
        SideMetrics.report("deliveredFraction", deliveredFraction(), "fraction");
        SideMetrics.reportRatio("sentLateFraction", sentLate, sent, 1, "fraction");
        SideMetrics.report("saturated", saturated() ? 1 : 0, "0/1");
    }

    private static double us(long ns) {
        return ns / 1000.0;
    }
}
