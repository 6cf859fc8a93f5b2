package dev.ringbench.benches.stats;

import java.util.Arrays;

/**
 * The one summary of a result's samples that every chart, table and report of the suite uses: the
 * per-iteration values of every measurement iteration of every fork (JMH JSON {@code rawData}, one
 * array per fork), summarised by their <b>median</b> with the <b>interquartile range</b> (the 25th
 * to the 75th percentile) as their spread. Never JMH's score error: that is a 99.9 % Student-t
 * interval, which with a handful of samples on a noisy machine is wider than the value itself and
 * reaches below zero; the median and the quartiles are order statistics, which one slow fork or
 * one hiccup moves by at most one rank.
 *
 * <p>Quantiles interpolate linearly between the closest ranks of the sorted samples (position
 * {@code p * (n - 1)}, as R's default type 7, NumPy's and spreadsheets' {@code PERCENTILE}): the
 * median of an even count is the mean of the middle two; one sample is its own median and
 * quartiles. NaN samples (JMH writes them for a metric an iteration did not produce) are left
 * out. Min, max, mean and sample standard deviation are kept beside them for the parity report,
 * which sets this run beside the kernel's table of mean ± stddev.
 *
 * @param n      samples (after NaN ones are left out), at least 1
 * @param median the 50th percentile
 * @param q1     the 25th percentile (the spread's low end)
 * @param q3     the 75th percentile (the spread's high end)
 */
public record Stats(int n, double median, double q1, double q3, double min, double max, double mean, double stddev) {

    /** What the spread is, for captions, reports and the README. */
    public static final String SPREAD = "interquartile range (25th-75th percentile)";

    /** The publication criterion: an entry's spread is "tight" when below this fraction of its median. */
    public static final double TIGHT = 0.20;

    /** Fewer samples than this say nothing about the spread (one sample has none): never tight. */
    public static final int MIN_SAMPLES = 5;

    /** Of raw per-iteration values; null when there are none (or all are NaN). */
    public static Stats of(double[] raw) {
        return of(raw, 1);
    }

    /** Of raw per-iteration values, each multiplied by {@code scale}; null when there are none. */
    public static Stats of(double[] raw, double scale) {
        double[] v = Arrays.stream(raw).filter(x -> !Double.isNaN(x)).map(x -> x * scale).sorted().toArray();
        if (v.length == 0) {
            return null;
        }
        int n = v.length;
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        return new Stats(n, quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75), v[0], v[n - 1], mean, sd);
    }

    /** Of JMH's {@code rawData}: one array per fork, each of its iterations' values, all pooled. */
    public static Stats ofForks(double[][] perFork) {
        return of(Arrays.stream(perFork).flatMapToDouble(Arrays::stream).toArray());
    }

    /**
     * The {@code p}-quantile (0..1) of sorted values, interpolating linearly between the closest
     * ranks (position {@code p * (n - 1)}).
     *
     * @throws IllegalArgumentException for no values or p outside 0..1
     */
    public static double quantile(double[] sorted, double p) {
        if (sorted.length == 0 || !(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("quantile " + p + " of " + sorted.length + " values");
        }
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The spread: the interquartile range, {@code q3 - q1}. */
    public double spread() {
        return q3 - q1;
    }

    /** The spread relative to the median (NaN for a median of 0). */
    public double relativeSpread() {
        return median == 0 ? Double.NaN : spread() / Math.abs(median);
    }

    /**
     * Whether the spread is below {@link #TIGHT} of the median, from at least {@link #MIN_SAMPLES}
     * samples (the publication criterion's test per entry).
     */
    public boolean tight() {
        return n >= MIN_SAMPLES && relativeSpread() < TIGHT;
    }
}
