package dev.ringbench.benches.support;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProducersTest {
    @Test
    void backoffDoublesToTheCapAndRestartsAfterASuccess() {
        ProducerBackoff b = new ProducerBackoff();
        assertEquals(ProducerBackoff.FIRST_SPINS, b.nextSpins());
        int expected = ProducerBackoff.FIRST_SPINS;
        for (int i = 0; i < 20; i++) {
            assertEquals(expected, b.nextSpins(), "back-off " + i);
            b.failed();
            expected = Math.min(expected * 2, ProducerBackoff.MAX_SPINS);
        }
        assertEquals(ProducerBackoff.MAX_SPINS, b.nextSpins());
        assertEquals(20, b.backoffs());
        b.succeeded();
        assertEquals(ProducerBackoff.FIRST_SPINS, b.nextSpins());
        assertEquals(20, b.backoffs(), "a success does not forget the count");
    }

    @Test
    void freeRunningProducersBackOffOncePerDropAndCountWhatWentIn() throws Exception {
        AtomicLong calls = new AtomicLong();
        Producers p = Producers.freeRunning(() -> { }, List.of(() -> calls.incrementAndGet() % 3 == 0, () -> false));
        p.start("test");
        Thread.sleep(50);
        p.stop();
        assertTrue(p.sent() > 0 && p.drops() > p.sent(), p.sent() + " sent, " + p.drops() + " drops");
        assertEquals(p.drops(), p.backoffs(), "one back-off per failed attempt");
        p.start("test"); // the counts are the last run's
        p.stop();
        assertTrue(p.drops() < calls.get());
    }

    @Test
    void pacedProducersDoNotBackOff() throws Exception {
        try (var ch = dev.ringbench.competitors.ChannelKind.BPF_RINGBUF_LIBBPF
                .create(dev.ringbench.competitors.ChannelConfig.defaults())) {
            Producers paced = Producers.paced(ch, List.of(() -> false));
            paced.start("paced");
            Thread.sleep(20);
            paced.stop();
            assertTrue(paced.drops() > 0);
            assertEquals(0, paced.backoffs());
        }
    }

    @Test
    void aFailingProducerReleasesTheConsumerAndFailsTheRun() throws Exception {
        AtomicBoolean released = new AtomicBoolean();
        Producers p = Producers.freeRunning(() -> released.set(true), List.of(() -> {
            throw new IllegalStateException("boom");
        }));
        p.start("failing");
        for (int i = 0; i < 200 && !released.get(); i++) {
            Thread.sleep(5);
        }
        assertTrue(released.get());
        assertThrows(IllegalStateException.class, p::check);
        assertThrows(IllegalStateException.class, p::stop);
    }
}
