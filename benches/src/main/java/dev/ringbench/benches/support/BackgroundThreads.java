package dev.ringbench.benches.support;

import dev.ringbench.competitors.Channel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Producer threads a scenario starts itself (when its producer count or pacing cannot be JMH
 * group threads) while the JMH thread is the consumer. {@link #start} in
 * {@code @Setup(Level.Iteration)}, {@link #stop} in {@code @TearDown(Level.Iteration)}: the
 * producers then run during the whole measured loop, so a consumer waiting in
 * {@link Channel#await} always gets records back (the Disruptor's waits have no timeout).
 *
 * <p>If a producer thread throws, the channel is shut down (a waiting consumer returns at once)
 * and {@link #check} rethrows on the consumer thread, so a failing producer fails the run
 * instead of hanging it.
 */
public final class BackgroundThreads {
    /** How long {@link #stop} waits for each thread. */
    private static final long JOIN_MILLIS = 10_000;

    private final Runnable onFailure;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile Throwable failure;

    public BackgroundThreads(Channel channel) {
        this(channel::shutdown);
    }

    /** Threads of something that is not a {@link Channel}: {@code onFailure} releases its consumer. */
    public BackgroundThreads(Runnable onFailure) {
        this.onFailure = onFailure;
    }

    /** Whether producers should go on; they poll this between records. */
    public boolean running() {
        return running;
    }

    /** Starts one daemon thread per task; each runs until {@link #running()} turns false. */
    public void start(String name, List<Runnable> tasks) {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        running = true;
        for (int i = 0; i < tasks.size(); i++) {
            Runnable task = tasks.get(i);
            Thread t = new Thread(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    failure = e;
                    running = false;
                    onFailure.run();
                }
            }, name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /** Stops and joins every thread; their results are then visible to the caller. */
    public void stop() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop within " + JOIN_MILLIS + " ms");
            }
        }
        threads.clear();
        check();
    }

    /** Rethrows a producer thread's failure. */
    public void check() {
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("producer thread failed: " + f, f);
        }
    }

    /** Spin-then-yield back-off step for a thread waiting on another one. */
    public static void backoff(int idle) {
        if (idle < 64) {
            Thread.onSpinWait();
        } else if (idle < 1024) {
            Thread.yield();
        } else {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
        }
    }
}
