package dev.ringbench.benches.parity;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel benchmark's rows and its published numbers: the mail that added it (bpf-next,
 * 2020-05-29, "bpf: add BPF ringbuf and perf buffer benchmarks"), 28-core Intel Xeon E5-2680 v4,
 * M records/s, as {@code ../shared/reference/kernel-bench.md} section 3 quotes them. The perf buffer
 * multi-producer section was added later without published numbers.
 */
public final class Published {
    public static final String PARALLEL = "Single-producer, parallel producer";
    public static final String PARALLEL_SAMPLED = "Single-producer, parallel producer, sampled notification";
    public static final String B2B = "Single-producer, back-to-back mode";
    public static final String RB_RATE = "Ringbuf back-to-back, effect of sample rate";
    public static final String PB_RATE = "Perfbuf back-to-back, effect of sample rate";
    public static final String RB_OUTPUT = "Ringbuf back-to-back, reserve+commit vs output";
    public static final String RB_OUTPUT_SAMPLED = "Ringbuf sampled, reserve+commit vs output";
    public static final String SAME_CPU = "Single-producer, consumer/producer competing on the same CPU, low batch count";
    public static final String RB_PROD = "Ringbuf, multi-producer contention";
    public static final String PB_PROD = "Perfbuf, multi-producer";

    /** The script's sample-rate list. */
    public static final int[] RATES = {1, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 3000};
    static final double[] RB_RATE_PUBLISHED = {1.106, 4.746, 7.706, 12.893, 15.961, 18.203, 19.962, 20.881, 21.317, 21.331, 21.688};
    static final double[] PB_RATE_PUBLISHED = {1.035, 3.476, 5.094, 7.118, 8.169, 8.887, 9.180, 9.353, 9.411, 9.464, 9.575};
    /** The script's producer counts, and the ring buffer's published numbers for them. */
    public static final int[] PRODUCERS = {1, 2, 3, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52};
    static final double[] RB_PROD_PUBLISHED = {10.916, 4.931, 4.880, 3.926, 4.011, 3.967, 2.604, 2.233, 2.085, 2.055, 1.962,
            2.089, 2.118, 2.105, 2.120, 2.074};

    private static final double NA = Double.NaN;

    private Published() {
    }

    /** Every row, in the script's order, the multi-producer sections up to {@code maxProducers}. */
    public static List<ParityRow> rows(int maxProducers) {
        List<ParityRow> r = new ArrayList<>();
        r.add(new ParityRow(PARALLEL, "rb-libbpf", "rb-libbpf", "parallel", 12.054, 0.320, 0));
        r.add(new ParityRow(PARALLEL, "rb-custom", "rb-custom", "parallel", 8.158, 0.118, 0));
        r.add(new ParityRow(PARALLEL, "pb-libbpf", "pb-libbpf", "parallel", 0.931, 0.007, 0));
        r.add(new ParityRow(PARALLEL, "pb-custom", "pb-custom", "parallel+custom", 0.965, 0.003, 0));
        r.add(new ParityRow(PARALLEL_SAMPLED, "rb-libbpf", "rb-libbpf", "parallel-sampled", 11.563, 0.067, 0));
        r.add(new ParityRow(PARALLEL_SAMPLED, "rb-custom", "rb-custom", "parallel-sampled", 15.895, 0.076, 0));
        r.add(new ParityRow(PARALLEL_SAMPLED, "pb-libbpf", "pb-libbpf", "parallel-sampled", 9.889, 0.032, 0));
        r.add(new ParityRow(PARALLEL_SAMPLED, "pb-custom", "pb-custom", "parallel-sampled+custom", 9.866, 0.028, 0));
        r.add(new ParityRow(B2B, "rb-libbpf", "rb-libbpf", "b2b", 15.507, 0.247, 0));
        r.add(new ParityRow(B2B, "rb-libbpf-sampled", "rb-libbpf", "b2b-sampled", 14.692, 0.195, 0));
        r.add(new ParityRow(B2B, "rb-custom", "rb-custom", "b2b", 21.449, 0.157, 0));
        r.add(new ParityRow(B2B, "rb-custom-sampled", "rb-custom", "b2b-sampled", 20.024, 0.386, 0));
        r.add(new ParityRow(B2B, "pb-libbpf", "pb-libbpf", "b2b", 1.601, 0.015, 0));
        r.add(new ParityRow(B2B, "pb-libbpf-sampled", "pb-libbpf", "b2b-sampled", 8.545, 0.064, 0));
        r.add(new ParityRow(B2B, "pb-custom", "pb-custom", "b2b+custom", 1.607, 0.022, 0));
        r.add(new ParityRow(B2B, "pb-custom-sampled", "pb-custom", "b2b-sampled+custom", 8.988, 0.144, 0));
        for (int i = 0; i < RATES.length; i++) {
            r.add(new ParityRow(RB_RATE, "rb-sampled-" + RATES[i], "rb-custom", "rate-" + RATES[i], RB_RATE_PUBLISHED[i], NA, 0));
        }
        for (int i = 0; i < RATES.length; i++) {
            r.add(new ParityRow(PB_RATE, "pb-sampled-" + RATES[i], "pb-custom", "rate-" + RATES[i] + "+custom",
                    PB_RATE_PUBLISHED[i], NA, 0));
        }
        r.add(new ParityRow(RB_OUTPUT, "reserve", "rb-custom", "b2b", 22.819, 0.503, 0));
        r.add(new ParityRow(RB_OUTPUT, "output", "rb-custom", "b2b-output", 18.906, 0.433, 0));
        r.add(new ParityRow(RB_OUTPUT_SAMPLED, "reserve-sampled", "rb-custom", "parallel-sampled", 15.350, 0.132, 0));
        r.add(new ParityRow(RB_OUTPUT_SAMPLED, "output-sampled", "rb-custom", "sampled-output", 14.195, 0.144, 0));
        r.add(new ParityRow(SAME_CPU, "rb-libbpf", "rb-libbpf", "same-cpu", 3.045, NA, 3.536));
        r.add(new ParityRow(SAME_CPU, "rb-custom", "rb-custom", "same-cpu", 3.055, NA, 3.893));
        r.add(new ParityRow(SAME_CPU, "pb-libbpf", "pb-libbpf", "same-cpu", 1.393, NA, 0));
        r.add(new ParityRow(SAME_CPU, "pb-custom", "pb-custom", "same-cpu+custom", 1.407, NA, 0));
        for (int i = 0; i < PRODUCERS.length && PRODUCERS[i] <= maxProducers; i++) {
            r.add(new ParityRow(RB_PROD, "rb-libbpf nr_prod " + PRODUCERS[i], "rb-libbpf", "prod-" + PRODUCERS[i],
                    RB_PROD_PUBLISHED[i], NA, 0));
        }
        for (int i = 0; i < PRODUCERS.length && PRODUCERS[i] <= maxProducers; i++) {
            r.add(new ParityRow(PB_PROD, "pb-libbpf nr_prod " + PRODUCERS[i], "pb-libbpf", "prod-" + PRODUCERS[i], NA, NA, NA));
        }
        return r;
    }
}
