package dev.ringbench.competitors.disruptor;

import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;

/** Placeholder until the adapter is written. */
public final class DisruptorChannel {
    private DisruptorChannel() {
    }

    public static Channel create(ChannelKind kind, ChannelConfig config) {
        throw new UnsupportedOperationException(kind + " is not implemented yet");
    }
}
