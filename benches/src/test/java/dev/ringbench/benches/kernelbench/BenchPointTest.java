package dev.ringbench.benches.kernelbench;

import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.os.WakeMechanism;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel-bench points say what the script's flags say, and each kind runs exactly the script's rows. */
class BenchPointTest {
    @Test
    void sectionsCarryTheScriptsFlags() {
        BenchPoint rate = BenchPoint.parse("rate-25+custom");
        assertEquals(25, rate.batch());
        assertEquals(25, rate.sampleRate());
        assertTrue(rate.back2back() && rate.sampled() && rate.custom());
        assertEquals(WakeMechanism.EVENTFD, rate.wake());

        BenchPoint prod = BenchPoint.parse("prod-3");
        assertEquals(3, prod.producers());
        assertEquals(50, prod.batch());
        assertFalse(prod.sampled(), "the script passes --rb-sample-rate 50 without --rb-sampled");

        BenchPoint same = BenchPoint.parse("same-cpu+park");
        assertEquals(1, same.batch());
        assertTrue(same.sameCpu());
        assertFalse(same.sampled());
        assertEquals(WakeMechanism.PARK, same.wake());

        BenchPoint out = BenchPoint.parse("sampled-output");
        assertTrue(out.useOutput() && out.sampled() && !out.back2back());
        assertEquals(500, out.batch());
        assertEquals(500, out.sampleRate());
    }

    @Test
    void everyPointPrintsAsItParses() {
        for (String s : List.of("parallel", "parallel-sampled+custom", "b2b+park", "b2b-sampled", "rate-3000",
                "b2b-output", "sampled-output", "same-cpu+custom+park", "prod-4")) {
            assertEquals(s, BenchPoint.parse(s).toString());
        }
    }

    @Test
    void badPointsNameWhatIsWrongAndWhatIsValid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchPoint.parse("b2bb"));
        assertTrue(e.getMessage().startsWith("kernel-bench point 'b2bb': unknown section 'b2bb'; valid: parallel,"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchPoint.parse("rate-x")).getMessage()
                .contains("'x' is not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchPoint.parse("rate"))
                .getMessage().contains("rate needs a positive value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchPoint.parse("b2b-3"))
                .getMessage().contains("unknown section 'b2b-3'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchPoint.parse("b2b+fast"))
                .getMessage().contains("unknown option '+fast'"));
    }

    @Test
    void eachKindRunsTheRowsTheScriptGivesItsConsumer() {
        // the sample-rate sweeps: custom consumers only
        assertTrue(BenchRig.applies(ChannelKind.BPF_RINGBUF_BATCHED, BenchPoint.parse("rate-5")));
        assertFalse(BenchRig.applies(ChannelKind.BPF_RINGBUF_LIBBPF, BenchPoint.parse("rate-5")));
        assertTrue(BenchRig.applies(ChannelKind.KERNEL_PERFBUF, BenchPoint.parse("rate-5+custom")));
        assertFalse(BenchRig.applies(ChannelKind.PERFBUF, BenchPoint.parse("rate-5")));
        // contention: the libbpf consumers only
        assertTrue(BenchRig.applies(ChannelKind.KERNEL_RINGBUF_LIBBPF, BenchPoint.parse("prod-2")));
        assertFalse(BenchRig.applies(ChannelKind.KERNEL_RINGBUF_BATCHED, BenchPoint.parse("prod-2")));
        assertFalse(BenchRig.applies(ChannelKind.PERFBUF, BenchPoint.parse("prod-2+custom")));
        // output: rb-custom only; +custom means nothing for the ring buffer
        assertTrue(BenchRig.applies(ChannelKind.BPF_RINGBUF_BATCHED, BenchPoint.parse("b2b-output")));
        assertFalse(BenchRig.applies(ChannelKind.PERFBUF, BenchPoint.parse("b2b-output")));
        assertFalse(BenchRig.applies(ChannelKind.BPF_RINGBUF_BATCHED, BenchPoint.parse("b2b+custom")));
        // a kernel buffer is woken through the kernel only
        assertFalse(BenchRig.applies(ChannelKind.KERNEL_RINGBUF_BATCHED, BenchPoint.parse("b2b+park")));
        assertTrue(BenchRig.applies(ChannelKind.BPF_RINGBUF_BATCHED, BenchPoint.parse("b2b+park")));
        // other competitors have no row at all
        assertFalse(BenchRig.applies(ChannelKind.AGRONA_MANY_TO_ONE, BenchPoint.parse("b2b")));
        assertThrows(IllegalArgumentException.class, () -> BenchRig.create(ChannelKind.PERFBUF, BenchPoint.parse("b2b-output")));
    }

    @Test
    void portRowsRunAndCountTheirRecords() {
        for (ChannelKind k : List.of(ChannelKind.BPF_RINGBUF_LIBBPF, ChannelKind.BPF_RINGBUF_BATCHED, ChannelKind.PERFBUF)) {
            for (String pt : List.of("b2b", "b2b+park", "rate-10", "rate-10+custom", "b2b-output")) {
                BenchPoint p = BenchPoint.parse(pt);
                if (!BenchRig.applies(k, p)) {
                    continue;
                }
                try (BenchRig rig = BenchRig.create(k, p)) {
                    rig.triggerBatch(0);
                    rig.triggerBatch(0);
                    int got = 0;
                    while (got < 2 * p.batch()) {
                        int n = rig.poll(1000);
                        assertTrue(n > 0, k + " " + pt + ": poll timed out after " + got + " records");
                        got += n;
                    }
                    assertEquals(2 * p.batch(), got, k + " " + pt);
                    assertEquals(0, rig.drops());
                }
            }
        }
    }

    @Test
    void aFullRingCountsEveryRecordThatDidNotFitAsADrop() {
        try (BenchRig rig = BenchRig.create(ChannelKind.BPF_RINGBUF_BATCHED, BenchPoint.parse("rate-3000"))) {
            for (int i = 0; i < 11; i++) {
                rig.triggerBatch(0); // 33,000 records of 16 bytes into 512 KiB: 32,767 fit
            }
            assertEquals(33_000 - 32_767, rig.drops());
        }
        try (BenchRig rig = BenchRig.create(ChannelKind.PERFBUF, BenchPoint.parse("rate-3000+custom"))) {
            for (int i = 0; i < 11; i++) {
                rig.triggerBatch(0); // 24-byte samples into 128 pages: 21,845 fit
            }
            assertEquals(33_000 - 21_845, rig.drops());
        }
    }
}
