package dev.ringbench.benches.support;

import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.RecordHandler;

/**
 * The JMH consumer thread's records, one per JMH operation, when the producers are
 * {@link BackgroundThreads}: {@link #next} returns once one more record has been delivered,
 * waiting in {@link Channel#await} (the channel's own wait strategy, up to 512 records per call)
 * only when none of the last await's records is left. So a benchmark's primary score is records
 * delivered per second. Records of an iteration's last await not yet returned when it ends are
 * dropped by {@link #restart} (an iteration's operations are its own records) but stay in
 * {@link #delivered}. Used by one thread.
 */
public final class AwaitedRecords {
    /** Largest number of records one await delivers. */
    public static final int LIMIT = 512;

    private final Channel ch;
    private final RecordHandler handler;
    private final long timeoutNanos;
    private final BackgroundThreads threads;
    private final String name;
    /** Records delivered by the last await and not yet returned. */
    private int pending;
    /** Records every await delivered since the last restart. */
    private long delivered;

    /**
     * @param handler      receives each record
     * @param timeoutNanos one await's timeout (an await that times out is repeated)
     * @param threads      the producers, checked for a failure when the channel was shut down
     * @param name         names the channel in the error
     */
    public AwaitedRecords(Channel ch, RecordHandler handler, long timeoutNanos, BackgroundThreads threads, String name) {
        this.ch = ch;
        this.handler = handler;
        this.timeoutNanos = timeoutNanos;
        this.threads = threads;
        this.name = name;
    }

    /** Starts an iteration: nothing pending, nothing delivered. */
    public void restart() {
        pending = 0;
        delivered = 0;
    }

    /** Returns once one more record has been delivered to the handler. */
    public void next() {
        while (pending == 0) {
            pending = await();
        }
        pending--;
    }

    /** Records every await delivered since {@link #restart}, returned by {@link #next} or not. */
    public long delivered() {
        return delivered;
    }

    private int await() {
        int n = ch.await(handler, LIMIT, timeoutNanos);
        if (n < 0) {
            threads.check(); // shut down: only a failed producer does that during a run
            throw new IllegalStateException(name + ": channel shut down during the iteration");
        }
        delivered += n;
        return n;
    }
}
