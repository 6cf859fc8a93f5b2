package dev.ringbench.benches.kernelbench;

import java.util.ArrayList;
import java.util.List;

/**
 * The points ({@link BenchPoint}) the kernel-bench scenario runs per preset: in the full preset the
 * script's sections, its full sample-rate list and its producer counts up to twice this machine's
 * cores (at least 1-4), plus the park/unpark rows of the key sections; in the standard preset
 * every section with fewer of its swept points ({@link #standard()}); in smoke a few rows.
 */
public final class KernelBenchPoints {
    /** {@code run_bench_ringbufs.sh}'s sample-rate list (batch = rate). */
    static final int[] RATES = {1, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 3000};
    /** Its producer counts. */
    static final int[] PRODUCERS = {1, 2, 3, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52};

    /** A few rows of every kind of section, to prove each runs. */
    public static final String SMOKE = "parallel,b2b,b2b-sampled+custom,rate-1,rate-3000,b2b-output,same-cpu,prod-2,b2b+park";

    /** The sample rates the standard preset sweeps: the script's ends, and 500, the default batch whose share of the best rate conclusion 2 checks. */
    static final int[] STANDARD_RATES = {1, 100, 500, 3000};

    private KernelBenchPoints() {
    }

    /**
     * The standard preset's points: every section and both consumers, fewer of the points the
     * sections sweep (to keep the standard preset's every-scenario run within its time budget with
     * enough forks for a median): the rates 1, 100, 500 and 3000 (the ends of the script's list, and
     * the two points the original's conclusion about diminishing returns rests on), the producer counts 1, 2, 4, 8, ... up
     * to max(4, 2 x cores), and the +park rows of the key sections with libbpf's consumer.
     */
    public static String standard() {
        return points(STANDARD_RATES, true, false);
    }

    /** Every section, each consumer, every rate, producers up to max(4, 2 x cores), and the +park rows. */
    public static String full() {
        return points(RATES, false, true);
    }

    /**
     * Every section with both consumers, the given sample rates, the producer counts up to
     * max(4, 2 x cores) (only powers of two when {@code powersOfTwo}), and the key sections again
     * woken by park/unpark (what the wake-up mechanism costs; with the custom consumers too when
     * {@code customPark}).
     */
    private static String points(int[] rates, boolean powersOfTwo, boolean customPark) {
        List<String> pts = new ArrayList<>();
        for (String base : List.of("parallel", "parallel-sampled", "b2b", "b2b-sampled")) {
            pts.add(base);
            pts.add(base + "+custom");
        }
        for (int r : rates) {
            pts.add("rate-" + r);
            pts.add("rate-" + r + "+custom");
        }
        pts.add("b2b-output");
        pts.add("sampled-output");
        pts.add("same-cpu");
        pts.add("same-cpu+custom");
        for (int n : PRODUCERS) {
            if (n <= maxProducers() && (!powersOfTwo || Integer.bitCount(n) == 1)) {
                pts.add("prod-" + n);
            }
        }
        for (String base : List.of("parallel", "b2b", "same-cpu")) {
            pts.add(base + "+park");
            if (customPark) {
                pts.add(base + "+custom+park");
            }
        }
        return String.join(",", pts);
    }

    private static int maxProducers() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }
}
