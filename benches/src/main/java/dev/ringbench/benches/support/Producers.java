package dev.ringbench.benches.support;

import dev.ringbench.competitors.Channel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Producer threads a scenario starts itself while the JMH thread is the consumer (so that JMH's
 * primary score counts only records delivered), each running one {@link Attempt} in a loop. Two
 * loops, chosen at construction:
 * <ul>
 *   <li>{@link #freeRunning}: as fast as it can; after a failed attempt (a drop) the producer backs
 *       off with a {@link ProducerBackoff}, the same bounded spin for every channel;</li>
 *   <li>{@link #paced}: the attempt paces itself (a {@link Pacer}); a drop is not retried and not
 *       followed by a back-off (open loop).</li>
 * </ul>
 * {@link #start} in {@code @Setup(Level.Iteration)}, {@link #stop} in
 * {@code @TearDown(Level.Iteration)} (through {@link BackgroundThreads}: a producer that throws
 * shuts the channel down and fails the run). After {@link #stop} the iteration's counts are
 * visible: {@link #sent}, {@link #drops} (failed attempts), {@link #backoffs}, and each producer
 * thread's CPU time ({@link #cpuNanos}, from {@link ThreadMXBean#getCurrentThreadCpuTime()} read
 * by the producer thread itself at its start and end; 0 where the JVM cannot measure it).
 */
public final class Producers {
    /** One attempt of one producer: true when the record went in, false when it was dropped. */
    @FunctionalInterface
    public interface Attempt {
        boolean attempt();
    }

    private final BackgroundThreads threads;
    private final List<Attempt> attempts;
    private final boolean backoff;
    private final long[] sent;
    private final long[] drops;
    private final long[] backoffs;
    private final long[] cpu;

    private Producers(BackgroundThreads threads, List<Attempt> attempts, boolean backoff) {
        if (attempts.isEmpty()) {
            throw new IllegalArgumentException("no producers");
        }
        this.threads = threads;
        this.attempts = List.copyOf(attempts);
        this.backoff = backoff;
        int n = attempts.size();
        sent = new long[n];
        drops = new long[n];
        backoffs = new long[n];
        cpu = new long[n];
    }

    /** Free-running producers of {@code channel}, one thread per attempt, backing off after a drop. */
    public static Producers freeRunning(Channel channel, List<Attempt> attempts) {
        return new Producers(new BackgroundThreads(channel), attempts, true);
    }

    /** Free-running producers of something that is not a {@link Channel}; {@code onFailure} releases its consumer. */
    public static Producers freeRunning(Runnable onFailure, List<Attempt> attempts) {
        return new Producers(new BackgroundThreads(onFailure), attempts, true);
    }

    /** Self-pacing producers of {@code channel}: no back-off after a drop. */
    public static Producers paced(Channel channel, List<Attempt> attempts) {
        return new Producers(new BackgroundThreads(channel), attempts, false);
    }

    /** Zeroes the counts and starts one thread per producer. */
    public void start(String name) {
        java.util.Arrays.fill(sent, 0);
        java.util.Arrays.fill(drops, 0);
        java.util.Arrays.fill(backoffs, 0);
        java.util.Arrays.fill(cpu, 0);
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            int index = i;
            tasks.add(() -> loop(index));
        }
        threads.start(name, tasks);
    }

    private void loop(int index) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpuSupported = mx.isCurrentThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled();
        long cpu0 = cpuSupported ? mx.getCurrentThreadCpuTime() : 0;
        Attempt a = attempts.get(index);
        ProducerBackoff b = new ProducerBackoff();
        long s = 0;
        long d = 0;
        try {
            while (threads.running()) {
                if (a.attempt()) {
                    s++;
                    b.succeeded();
                } else {
                    d++;
                    if (backoff) {
                        b.failed();
                    }
                }
            }
        } finally {
            sent[index] = s;
            drops[index] = d;
            backoffs[index] = b.backoffs();
            cpu[index] = cpuSupported ? mx.getCurrentThreadCpuTime() - cpu0 : 0;
        }
    }

    /** Stops and joins the threads (rethrowing a producer's failure); the counts are then visible. */
    public void stop() {
        threads.stop();
    }

    /** Rethrows a producer thread's failure (call it from the consumer while it finds nothing). */
    public void check() {
        threads.check();
    }

    /** How many producer threads. */
    public int count() {
        return attempts.size();
    }

    /** Records the producers placed in the channel in the last run. */
    public long sent() {
        return sum(sent);
    }

    /** Failed attempts (channel full, reservation failed) in the last run. */
    public long drops() {
        return sum(drops);
    }

    /** Back-offs after failed attempts in the last run (0 for paced producers). */
    public long backoffs() {
        return sum(backoffs);
    }

    /** CPU time of all producer threads in the last run, ns (0 where not measurable). */
    public long cpuNanos() {
        return sum(cpu);
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}
