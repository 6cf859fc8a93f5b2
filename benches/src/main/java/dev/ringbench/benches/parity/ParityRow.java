package dev.ringbench.benches.parity;

/**
 * One row of {@code run_bench_ringbufs.sh}'s output, and where this suite measures it.
 *
 * @param section   the script's section header
 * @param name      the script's row name ({@code rb-libbpf}, {@code rb-sampled-250}, {@code reserve}, ...)
 * @param consumer  which consumer ({@code rb-libbpf}, {@code rb-custom}, {@code pb-libbpf}, {@code pb-custom})
 * @param point     the kernel-bench point that measures it, without the wake-up option
 * @param published the kernel's 2020 mean in M records/s (NaN where the reference gives none)
 * @param publishedStddev its ± (NaN where none was given)
 * @param publishedDrops the published drops in M/s (0 where the reference says 0.000; NaN unknown)
 */
public record ParityRow(String section, String name, String consumer, String point, double published,
                        double publishedStddev, double publishedDrops) {

    /** Whether the port has a park/unpark twin of this row ({@code point+park}). */
    public boolean hasParkTwin() {
        return point.equals("parallel") || point.equals("b2b") || point.equals("same-cpu")
                || point.equals("parallel+custom") || point.equals("b2b+custom") || point.equals("same-cpu+custom");
    }

    /** The park/unpark twin's point. */
    public String parkPoint() {
        return point + "+park";
    }
}
