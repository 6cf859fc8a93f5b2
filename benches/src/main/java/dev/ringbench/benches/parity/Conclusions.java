package dev.ringbench.benches.parity;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.ringbench.benches.parity.ParityReport.KERNEL;
import static dev.ringbench.benches.parity.ParityReport.PORT;
import static dev.ringbench.benches.parity.ParityReport.PORT_PARK;

/**
 * The six conclusions of the original's authors ({@code kernel-bench.md} section 4), each reduced
 * to ratios of medians that this run either shows or does not. A conclusion holds on a side when
 * every one of its checks does; it is "not measured" when a row it needs is missing. The rule each
 * check applies is written beside it (a "beats" needs at least 10 %, so that noise does not count
 * as an effect; "far behind" a factor of 2). Nothing is fitted to make a conclusion hold: where it
 * does not, the report says so.
 */
final class Conclusions {
    /** One ratio, its published value and the rule it must meet; null ratios were not measured. */
    record Check(String what, double published, String rule, Double kernel, Double port, Double portPark) {
    }

    /** A conclusion with its checks and verdicts (null: not measured). */
    record Evaluated(int number, String text, List<Check> checks, Boolean kernel, Boolean port, Boolean portPark) {
    }

    private Conclusions() {
    }

    private interface Ratio extends Function<String, Double> {
    }

    private record Rule(String text, double min, double max) {
        boolean test(double v) {
            return v >= min && v <= max;
        }
    }

    private static Rule atLeast(double v) {
        return new Rule(">= " + v, v, Double.POSITIVE_INFINITY);
    }

    private static Rule atMost(double v) {
        return new Rule("<= " + v, Double.NEGATIVE_INFINITY, v);
    }

    static List<Evaluated> evaluate(ParityReport r) {
        List<Evaluated> out = new ArrayList<>();
        out.add(conclusion(r, 1, "Without sampling, the perf buffer is far behind the ring buffer"
                        + " (parallel 12.1 vs 0.93, back-to-back 15.5 vs 1.6): the perf buffer notifies on every record,"
                        + " the ring buffer only when the consumer has caught up", true,
                check("parallel: rb-libbpf / pb-libbpf", 12.054 / 0.931, atLeast(2),
                        side -> hits(r, Published.PARALLEL, "rb-libbpf", side) / hits(r, Published.PARALLEL, "pb-libbpf", side)),
                check("back-to-back: rb-libbpf / pb-libbpf", 15.507 / 1.601, atLeast(2),
                        side -> hits(r, Published.B2B, "rb-libbpf", side) / hits(r, Published.B2B, "pb-libbpf", side))));
        out.add(conclusion(r, 2, "Sampled notification: the ring buffer's custom consumer gains about 2x in parallel mode,"
                        + " the perf buffer 10x; back-to-back, the ring buffer's throughput rises with the sample rate"
                        + " (= batch) from 1.1 to 21.7 M/s, with diminishing returns from 250-500", false,
                check("parallel: rb-custom sampled / unsampled", 15.895 / 8.158, atLeast(1.5),
                        side -> hits(r, Published.PARALLEL_SAMPLED, "rb-custom", side) / hits(r, Published.PARALLEL, "rb-custom", side)),
                check("parallel: pb-libbpf sampled / unsampled", 9.889 / 0.931, atLeast(2),
                        side -> hits(r, Published.PARALLEL_SAMPLED, "pb-libbpf", side) / hits(r, Published.PARALLEL, "pb-libbpf", side)),
                check("back-to-back sweep: rb-sampled-3000 / rb-sampled-1", 21.688 / 1.106, atLeast(5),
                        side -> hits(r, Published.RB_RATE, "rb-sampled-3000", side) / hits(r, Published.RB_RATE, "rb-sampled-1", side)),
                check("back-to-back sweep: rb-sampled-500 / best rate", 20.881 / 21.688, atLeast(0.8),
                        side -> hits(r, Published.RB_RATE, "rb-sampled-500", side) / best(r, side))));
        out.add(conclusion(r, 3, "Back-to-back, the custom consumer (one consumer_pos store per batch) beats libbpf's loop"
                        + " (21.4 vs 15.5); in parallel mode libbpf's loop wins unsampled (a faster consumer is caught up more"
                        + " often and triggers more notifications)", false,
                check("back-to-back: rb-custom / rb-libbpf", 21.449 / 15.507, atLeast(1.1),
                        side -> hits(r, Published.B2B, "rb-custom", side) / hits(r, Published.B2B, "rb-libbpf", side)),
                check("parallel: rb-libbpf / rb-custom", 12.054 / 8.158, atLeast(1.1),
                        side -> hits(r, Published.PARALLEL, "rb-libbpf", side) / hits(r, Published.PARALLEL, "rb-custom", side))));
        out.add(conclusion(r, 4, "Reserve+commit beats output despite the small 8-byte record (22.8 vs 18.9)", false,
                check("back-to-back: reserve / output", 22.819 / 18.906, atLeast(1.1),
                        side -> hits(r, Published.RB_OUTPUT, "reserve", side) / hits(r, Published.RB_OUTPUT, "output", side))));
        out.add(conclusion(r, 5, "Contention: going from one to two highly contended producers costs almost 2x"
                        + " (10.9 vs 4.9; settling near 2 M/s around 20 producers needs more CPUs than this machine has)", false,
                check("rb-libbpf nr_prod 1 / nr_prod 2", 10.916 / 4.931, atLeast(1.5),
                        side -> hits(r, Published.RB_PROD, "rb-libbpf nr_prod 1", side)
                                / hits(r, Published.RB_PROD, "rb-libbpf nr_prod 2", side))));
        out.add(conclusion(r, 6, "Producer and consumer on one CPU, batch 1: the ring buffer delivers about 3 M/s and drops"
                        + " about as many; the perf buffer delivers 1.4 M/s and drops none", true,
                check("same CPU: rb-libbpf drops / hits", 3.536 / 3.045, atLeast(0.5),
                        side -> drops(r, Published.SAME_CPU, "rb-libbpf", side) / hits(r, Published.SAME_CPU, "rb-libbpf", side)),
                check("same CPU: pb-libbpf drops / hits", 0, atMost(0.01),
                        side -> drops(r, Published.SAME_CPU, "pb-libbpf", side) / hits(r, Published.SAME_CPU, "pb-libbpf", side)),
                check("same CPU: rb-libbpf hits / pb-libbpf hits", 3.045 / 1.393, atLeast(1.5),
                        side -> hits(r, Published.SAME_CPU, "rb-libbpf", side) / hits(r, Published.SAME_CPU, "pb-libbpf", side))));
        return out;
    }

    private record Pending(String what, double published, Rule rule, Ratio ratio) {
    }

    private static Pending check(String what, double published, Rule rule, Ratio ratio) {
        return new Pending(what, published, rule, ratio);
    }

    private static Evaluated conclusion(ParityReport r, int n, String text, boolean parkRows, Pending... pending) {
        List<Check> checks = new ArrayList<>();
        Boolean[] verdict = {true, true, parkRows ? true : null};
        String[] sides = {KERNEL, PORT, PORT_PARK};
        for (Pending p : pending) {
            Double[] v = new Double[3];
            for (int i = 0; i < 3; i++) {
                if (i == 2 && !parkRows) {
                    continue;
                }
                v[i] = value(p.ratio().apply(sides[i]));
                if (verdict[i] != null) {
                    verdict[i] = v[i] == null ? null : verdict[i] && p.rule().test(v[i]);
                }
            }
            checks.add(new Check(p.what(), p.published(), p.rule().text(), v[0], v[1], v[2]));
        }
        return new Evaluated(n, text, checks, verdict[0], verdict[1], verdict[2]);
    }

    private static Double value(Double d) {
        return d == null || d.isNaN() || d.isInfinite() ? null : d;
    }

    /** A side's median hits; NaN when not measured (so that ratios of it are NaN). */
    private static double hits(ParityReport r, String section, String row, String side) {
        ParityReport.Measured m = r.get(section, row, side);
        return m == null || m.hits() == null ? Double.NaN : m.hits().median();
    }

    private static double drops(ParityReport r, String section, String row, String side) {
        ParityReport.Measured m = r.get(section, row, side);
        return m == null || m.drops() == null ? Double.NaN : m.drops().median();
    }

    private static double best(ParityReport r, String side) {
        double best = Double.NaN;
        for (int rate : Published.RATES) {
            double v = hits(r, Published.RB_RATE, "rb-sampled-" + rate, side);
            if (!Double.isNaN(v) && (Double.isNaN(best) || v > best)) {
                best = v;
            }
        }
        return best;
    }
}
