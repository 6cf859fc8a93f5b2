package dev.ringbench.benches.parity;

import java.util.Arrays;

/**
 * The one-second samples of one row (every measurement iteration of every fork), in M records/s:
 * median with the full spread (min-max), and mean ± sample standard deviation to set beside the
 * kernel's table, which prints mean ± stddev of its ten one-second samples.
 */
public record Stats(int n, double median, double min, double max, double mean, double stddev) {

    /** From raw per-iteration values (ops/s), scaled by {@code scale}; null for no samples. */
    static Stats of(double[] raw, double scale) {
        double[] v = Arrays.stream(raw).filter(x -> !Double.isNaN(x)).map(x -> x * scale).sorted().toArray();
        if (v.length == 0) {
            return null;
        }
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        return new Stats(n, median, v[0], v[n - 1], mean, sd);
    }

    /** Spread (max - min) relative to the median. */
    public double relativeSpread() {
        return median == 0 ? Double.NaN : (max - min) / median;
    }
}
