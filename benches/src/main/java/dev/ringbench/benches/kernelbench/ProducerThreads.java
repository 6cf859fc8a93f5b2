package dev.ringbench.benches.kernelbench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The original's producer threads ({@code bufs_sample_producer}): in parallel mode each triggers
 * batches in a loop until stopped; in back-to-back mode one triggers the initial batch and ends.
 * For the same-CPU section they, and the consumer thread that calls {@link #start}, are pinned to
 * CPU 0 ({@code --prod-affinity 0 --cons-affinity 0}). A producer that throws is reported on the
 * consumer thread by {@link #check} (the consumer's poll times out, so it gets there).
 */
public final class ProducerThreads {
    private static final long JOIN_MILLIS = 10_000;

    private final BenchRig rig;
    private final BenchPoint p;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile Throwable failure;
    private byte[] consumerAffinity;

    public ProducerThreads(BenchRig rig, BenchPoint p) {
        this.rig = rig;
        this.p = p;
    }

    /** Pins the calling (consumer) thread if the section says so, and starts the producers. */
    public void start() {
        if (p.sameCpu()) {
            consumerAffinity = CpuAffinity.current();
            CpuAffinity.pin(0);
        }
        running = true;
        int n = p.back2back() ? 1 : p.producers();
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread t = new Thread(() -> run(index), "kernel-bench-producer-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        if (p.back2back()) {
            // the initial batch is in before the consumer's first trigger: a perf ring has one writer at a time
            join();
            check();
        }
    }

    private void run(int index) {
        try {
            if (p.sameCpu()) {
                CpuAffinity.pin(0);
            }
            if (p.back2back()) {
                rig.triggerBatch(index); // "initial batch to get everything started"
                return;
            }
            while (running) {
                rig.triggerBatch(index);
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    /**
     * CPU time the producer threads have used so far, summed ({@code ThreadMXBean}; for the live
     * kernel's rows it includes the {@code bpf(2)} syscalls and the BPF programs they run); -1 when
     * the JVM cannot measure thread CPU time. A thread that has ended (back-to-back's one initial
     * batch) counts 0: in back-to-back mode the consumer thread triggers the batches itself.
     */
    public long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported() || !mx.isThreadCpuTimeEnabled()) {
            return -1;
        }
        long sum = 0;
        for (Thread t : threads) {
            long c = mx.getThreadCpuTime(t.threadId());
            if (c > 0) {
                sum += c;
            }
        }
        return sum;
    }

    /** Rethrows a producer's failure on the calling thread. */
    public void check() {
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("producer thread failed: " + f, f);
        }
    }

    private void join() {
        try {
            for (Thread t : threads) {
                t.join(JOIN_MILLIS);
                if (t.isAlive()) {
                    throw new IllegalStateException(t.getName() + " did not stop within " + JOIN_MILLIS + " ms");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops and joins the producers, then restores the consumer's CPU mask. */
    public void stop() {
        running = false;
        try {
            join();
        } finally {
            threads.clear();
            if (consumerAffinity != null) {
                CpuAffinity.set(consumerAffinity);
            }
        }
        check();
    }
}
