package dev.ringbench.benches.kernelbench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standard preset's kernel-bench points keep every row the parity report's conclusions divide. */
class KernelBenchPointsTest {
    @Test
    void standardPointsKeepEveryRowTheConclusionsNeed() {
        List<String> standard = List.of(KernelBenchPoints.standard().split(","));
        // conclusion 2: rb-sampled-3000 / rb-sampled-1 and rb-sampled-500 / best rate (ring and perf rows)
        for (String p : List.of("rate-1", "rate-500", "rate-3000", "rate-1+custom", "rate-500+custom", "rate-3000+custom",
                // conclusions 1-6: the sections' plain and custom rows, output, same CPU, two producer counts
                "parallel", "parallel+custom", "parallel-sampled", "parallel-sampled+custom", "b2b", "b2b+custom",
                "b2b-sampled", "b2b-output", "same-cpu", "prod-1", "prod-2")) {
            assertTrue(standard.contains(p), "standard kernel-bench points lack " + p + ": " + standard);
        }
    }
}
