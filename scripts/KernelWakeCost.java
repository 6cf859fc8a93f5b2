import dev.ringbench.kernel.Bpf;
import dev.ringbench.kernel.BenchPrograms;
import dev.ringbench.kernel.BpfProgram;
import dev.ringbench.kernel.IoMap;
import dev.ringbench.kernel.KernelRingBuf;
import dev.ringbench.kernel.RingPrograms;
import dev.ringbench.kernel.TestRun;

import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * What one trigger of the kernel-bench's ring program costs the live kernel on this machine, with
 * and without a notification: the numbers that place the sample-rate sweep's point of diminishing
 * returns. For batch sizes 1, 100, 500 and 3000 it runs {@code BenchPrograms.ringbuf} (the
 * kernel benchmark's producer loop: reserve 8 bytes, store, submit) with {@code BPF_PROG_TEST_RUN}
 * on the caller's CPU, once with every commit {@code BPF_RB_NO_WAKEUP} and once with every commit
 * {@code BPF_RB_FORCE_WAKEUP} (each queues the ring's irq_work, which wakes its wait queue). The
 * consumer keeps up without reading: after each trigger {@code consumer_pos = producer_pos}. Prints
 * the median of 5 timed rounds (after 2 warm-up rounds) per trigger and per record, with min-max.
 * Then the same loop with {@code bpf_ringbuf_output} in place of reserve and submit, NO_WAKEUP, at
 * batches 500 and 3000: the per-record difference between the two helpers, undiluted by the
 * trigger and the wake-up (the kernel benchmark's reserve+commit vs output section).
 *
 * <p>Run as root: {@code scripts/kernel-wake-cost.sh} (builds nothing: uses {@code benches.jar}).
 */
public class KernelWakeCost {
    /** ns per trigger of {@code p}: 5 timed rounds of {@code triggers} after 2 untimed, sorted. */
    static double[] time(TestRun run, KernelRingBuf rb, BpfProgram p, int triggers) {
        double[] rounds = new double[5];
        for (int round = -2; round < rounds.length; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < triggers; i++) {
                if (run.runOnCpu(p, -1) < 0) {
                    throw new IllegalStateException("BPF_PROG_TEST_RUN failed");
                }
                long prod = rb.producerPage().get(ValueLayout.JAVA_LONG, 0);
                rb.consumerPage().set(ValueLayout.JAVA_LONG, 0, prod);
            }
            if (round >= 0) {
                rounds[round] = (System.nanoTime() - t0) / (double) triggers;
            }
        }
        Arrays.sort(rounds);
        return rounds;
    }

    public static void main(String[] args) {
        try (KernelRingBuf rb = KernelRingBuf.create(512 * 1024); IoMap io = IoMap.create(RingPrograms.ioSize(8));
             TestRun run = new TestRun()) {
            io.value().set(ValueLayout.JAVA_LONG, RingPrograms.PAYLOAD, BenchPrograms.SAMPLE_VAL);
            for (int batch : new int[] {1, 100, 500, 3000}) {
                for (boolean force : new boolean[] {false, true}) {
                    long wakeupDataSize = force ? 1 : 1L << 40; // FORCE when avail >= 1 (always), else NO_WAKEUP
                    try (BpfProgram p = BpfProgram.load(Bpf.BPF_PROG_TYPE_RAW_TRACEPOINT,
                            BenchPrograms.ringbuf(rb.fd(), io, batch, false, wakeupDataSize), "wake_cost")) {
                        double[] rounds = time(run, rb, p, Math.max(200, (force ? 60_000 : 600_000) / batch));
                        System.out.printf("batch %4d  %-12s  %10.0f ns per trigger [%.0f-%.0f]  %8.1f ns per record%n",
                                batch, force ? "FORCE_WAKEUP" : "NO_WAKEUP", rounds[2], rounds[0], rounds[4], rounds[2] / batch);
                    }
                }
            }
            for (int batch : new int[] {500, 3000}) {
                for (boolean output : new boolean[] {false, true}) {
                    try (BpfProgram p = BpfProgram.load(Bpf.BPF_PROG_TYPE_RAW_TRACEPOINT,
                            BenchPrograms.ringbuf(rb.fd(), io, batch, output, 1L << 40), "out_cost")) {
                        double[] rounds = time(run, rb, p, Math.max(200, 600_000 / batch));
                        System.out.printf("batch %4d  %-12s  %10.0f ns per trigger [%.0f-%.0f]  %8.1f ns per record%n",
                                batch, output ? "output" : "reserve", rounds[2], rounds[0], rounds[4], rounds[2] / batch);
                    }
                }
            }
            long drops = io.value().get(ValueLayout.JAVA_LONG, RingPrograms.DROPS);
            if (drops != 0) {
                throw new IllegalStateException(drops + " records dropped: the ring was full, the numbers are not of a ring that keeps up");
            }
        }
    }
}
