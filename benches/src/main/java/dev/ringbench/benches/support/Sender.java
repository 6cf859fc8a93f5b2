package dev.ringbench.benches.support;

import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelProducer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The producer's work, the same for every competitor: one record of {@code payload} bytes copied
 * from a prepared source. Channels that can reserve write in place (reserve, copy, commit);
 * the others copy in ({@code offer}). Either way the payload is copied exactly once.
 */
public final class Sender {
    private final ChannelProducer producer;
    private final boolean reserve;
    private final MemorySegment source;
    private final int payload;

    public Sender(Channel channel, int index, int payload, Arena arena) {
        this.producer = channel.producer(index);
        this.reserve = channel.capabilities().reserveCommit();
        this.payload = payload;
        this.source = arena.allocate(Math.max(payload, 8), 8);
        for (int i = 0; i < source.byteSize(); i++) {
            source.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (index * 31 + i));
        }
    }

    /** One attempt; false when the channel was full. */
    public boolean send() {
        if (reserve) {
            if (!producer.tryClaim(payload)) {
                return false;
            }
            MemorySegment.copy(source, 0, producer.buffer(), producer.offset(), payload);
            producer.commit();
            return true;
        }
        return producer.offer(source, 0, payload);
    }

    /** One attempt that is then discarded (channels with discard only). */
    public boolean sendDiscarded() {
        if (!producer.tryClaim(payload)) {
            return false;
        }
        MemorySegment.copy(source, 0, producer.buffer(), producer.offset(), payload);
        producer.abort();
        return true;
    }

    /** The producer, for scenario-specific calls. */
    public ChannelProducer producer() {
        return producer;
    }

    /** The prepared source bytes (at least 8, aligned). */
    public MemorySegment source() {
        return source;
    }
}
