package dev.ringbench.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real-kernel tests run only where the kernel can be driven; elsewhere they are skipped with the one-line reason. */
final class KernelAssumptions {
    private KernelAssumptions() {
    }

    static void assumeKernel() {
        String why = Kernel.unavailableReason();
        assumeTrue(why == null, () -> "real kernel unavailable: " + why);
    }
}
