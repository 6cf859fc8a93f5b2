package dev.ringbench.competitors;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CapabilitiesTest {
    private static final Capabilities AGRONA_ONE_TO_ONE = new Capabilities(true, true, true, true, false, false);

    @Test
    void wordsInOneOrder() {
        assertEquals("reserve/commit, discard, variable length, global order", AGRONA_ONE_TO_ONE.toString());
        assertEquals("reserve/commit, discard, variable length, global order, blocking consumer, multi-producer",
                new Capabilities(true, true, true, true, true, true).toString());
        assertEquals("none", new Capabilities(false, false, false, false, false, false).toString());
        assertEquals(List.of("discard", "multi-producer"),
                new Capabilities(false, false, true, false, false, true).words());
    }

    @Test
    void lackingNamesWhatANeedAsksFor() {
        assertEquals(List.of("multi-producer"), AGRONA_ONE_TO_ONE.lacking(Capabilities::multiProducer));
        assertEquals(List.of(), AGRONA_ONE_TO_ONE.lacking(Capabilities::discard));
        Capabilities jctools = new Capabilities(false, false, false, true, false, true);
        assertEquals(List.of("discard"), jctools.lacking(Capabilities::discard));
        assertEquals(List.of("reserve/commit", "variable length"),
                jctools.lacking(c -> c.reserveCommit() || c.variableLength()));
        assertEquals(List.of("reserve/commit", "discard", "variable length", "blocking consumer"),
                jctools.lacking(c -> c.discard() && c.blockingConsumer()));
    }
}
