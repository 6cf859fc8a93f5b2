package dev.ringbench.competitors.agrona;

import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;

/** Placeholder until the adapter is written. */
public final class AgronaChannel {
    private AgronaChannel() {
    }

    public static Channel create(ChannelKind kind, ChannelConfig config) {
        throw new UnsupportedOperationException(kind + " is not implemented yet");
    }
}
