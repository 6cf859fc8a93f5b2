package dev.ringbench.competitors;

/**
 * One inter-thread channel under test: some producers, one consumer. Every competitor is put
 * behind this interface so that each benchmark scenario is written once.
 *
 * <h2>Threads</h2>
 * {@link #producer(int)} {@code i} is used by one producer thread at a time; {@link #poll} and
 * {@link #await} by one consumer thread at a time. {@link #counters()} and {@link #shutdown()}
 * may be called from any thread.
 *
 * <h2>The work every channel is asked to do</h2>
 * Move records of {@code 0..maxRecordLength()} payload bytes from producers to the consumer,
 * preallocated, with no allocation per record; the consumer reads each payload in place through a
 * {@link RecordHandler}. A full channel is a drop (counted), never a wait: producers retry or
 * give up as the scenario decides, as BPF programs do.
 */
public interface Channel extends AutoCloseable {
    /**
     * What this channel can do (its kind's {@link Capabilities}); a scenario checks this to tell
     * "not supported" from "slow".
     */
    Capabilities capabilities();

    /** The consumer's notification or wait strategy, named as its library names it. */
    String waitStrategy();

    /** Number of producers this channel was built for. */
    int producers();

    /** Largest payload one record may carry. */
    int maxRecordLength();

    /** The producer side for producer {@code index} in {@code [0, producers())}. */
    ChannelProducer producer(int index);

    /**
     * Delivers the records available now, at most {@code limit}, without waiting.
     *
     * @return records delivered (discarded ones are not delivered and not counted)
     */
    int poll(RecordHandler handler, int limit);

    /**
     * Waits under this channel's wait strategy until records are available, the timeout passes or
     * {@link #shutdown()} is called, then delivers like {@link #poll}.
     *
     * @return records delivered; 0 on timeout; -1 once shut down and empty
     */
    int await(RecordHandler handler, int limit, long timeoutNanos);

    /** Releases a consumer waiting in {@link #await}; later awaits return at once. */
    void shutdown();

    /**
     * A snapshot of this channel's counters. Two wake-up events are counted, each the same way for
     * every kind that has it:
     * <ul>
     *   <li>{@link ChannelCounters#notifications() notifications}, producer side: a producer
     *       actually signalled a possibly sleeping consumer. Port ring buffer: the deferred wake-up
     *       work <em>ran</em> ({@code irq_work} executed and called {@code wake_up_all}; requests
     *       coalesced into a pending one are not counted). Perf-buffer analogue: a
     *       {@code perf_output_wakeup} issued. Disruptor: a {@code notifyAll} the wait strategy
     *       performed (Blocking: every publish; LiteBlocking: only a publish that found a waiter's
     *       flag set; Sleeping, Yielding, BusySpin never signal: 0). JCTools blocking: an offer that
     *       took the consumer's parked mark, which makes it {@code unpark} the consumer. Agrona and
     *       the polling JCTools queue: 0, their consumers are never signalled. The kernel's rings:
     *       {@link ChannelCounters#NOT_OBSERVABLE} (-1): the kernel counts neither.
     *       Signals sent only to release a consumer (timeouts, shutdown) are not counted.</li>
     *   <li>{@link ChannelCounters#wakeups() wakeups}, consumer side: a wait in {@link #await} that
     *       found nothing to read, slept ({@code epoll_wait}, park, condition wait) and returned
     *       because it was signalled, with a record to read. A timeout, a spurious return and a
     *       return with nothing to read are not counted; a consumer that never sleeps (pure
     *       {@link #poll}, spinning or timed-backoff strategies) counts 0.</li>
     * </ul>
     */
    ChannelCounters counters();

    /** Bytes of buffer memory this channel holds for records (all producers' rings or slots). */
    long memoryBytes();

    /** Frees the channel's memory. The channel must not be used afterwards. */
    @Override
    void close();

    /**
     * A channel assembled from {@link ChannelParts}: the calls the parts answer are answered here,
     * once, for every adapter built that way.
     */
    interface Assembled extends Channel {
        /** The parts this channel is made of. */
        ChannelParts parts();

        @Override
        default Capabilities capabilities() {
            return parts().capabilities();
        }

        @Override
        default int producers() {
            return parts().producers().length;
        }

        @Override
        default int maxRecordLength() {
            return parts().maxRecordLength();
        }

        @Override
        default ChannelProducer producer(int index) {
            return parts().producers()[index];
        }

        @Override
        default int poll(RecordHandler handler, int limit) {
            return parts().consumer().poll(handler, limit);
        }

        @Override
        default int await(RecordHandler handler, int limit, long timeoutNanos) {
            return parts().consumer().await(handler, limit, timeoutNanos);
        }

        @Override
        default void shutdown() {
            parts().consumer().shutdown();
        }
    }
}
