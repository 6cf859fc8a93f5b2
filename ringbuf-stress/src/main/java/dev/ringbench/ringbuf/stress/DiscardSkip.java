package dev.ringbench.ringbuf.stress;

import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import dev.ringbench.ringbuf.StressRings;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * BUSY and DISCARD bits together: two records reserved before the race; one producer discards the
 * first (after scribbling a payload into it), the other submits the second, the consumer (the
 * batched "rb-custom" loop this time) consumes. The discarded record is never delivered, and the
 * second is delivered only once the first is no longer BUSY.
 *
 * <p>r1: ids the consumer saw (bit set; -1 bad); r2: consumer_pos after its consume, in records
 * (1 means it passed the discarded record alone); r3: the arbiter's verdict.
 */
@JCStressTest
@Description("DISCARD bit: a discarded record is skipped, never delivered, and still blocks until committed")
@Outcome(id = {"0, 0, 1", "0, 1, 1"}, expect = ACCEPTABLE, desc = "first still BUSY, or discarded and the second still BUSY")
@Outcome(id = "4, 2, 1", expect = ACCEPTABLE_INTERESTING, desc = "discarded one skipped, second delivered")
@Outcome(id = {"2, 1, 1", "6, 2, 1", "2, 1, 0", "6, 2, 0"}, expect = FORBIDDEN, desc = "the discarded record was delivered")
@Outcome(expect = FORBIDDEN, desc = "second delivered past a BUSY first, torn, consumer_pos inconsistent, lost or duplicated")
@State
public class DiscardSkip {
    final BpfRingBuf rb = StressRings.take(false);
    final Records.Checker chk = new Records.Checker();
    final RingBufConsumer c = RingBufConsumer.create(rb, chk, Ring.Mode.BATCHED);
    final long h1 = rb.reserve(Records.SMALL);
    final long h2 = rb.reserve(Records.SMALL);

    @Actor
    public void consumer(III_Result r) {
        int n = c.consume();
        r.r1 = n < 0 ? n : chk.seenMask();
        r.r2 = (int) (c.ring(0).consumerPos() / Records.SMALL_REC);
    }

    @Actor
    public void discarder() {
        Records.fill(rb, h1, Records.SMALL, 1);
        rb.discard(h1, 0);
    }

    @Actor
    public void producer() {
        Records.fill(rb, h2, Records.SMALL, 2);
        rb.submit(h2, 0);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = Records.finish(rb, c, chk, 0b100);
    }
}
