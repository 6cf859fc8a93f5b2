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
 * The commit/consume race on the BUSY bit. Two records are reserved before the race (producer_pos
 * already covers both, both headers BUSY); two producers fill and submit one each, in either order,
 * while the consumer consumes. The header's atomic exchange (release) pairs with the consumer's
 * acquire load of it: a record seen not-BUSY has its whole payload visible. Records are delivered
 * in position order: a BUSY record stops the consumer even if the one after it is committed.
 *
 * <p>r1: ids the consumer saw (bit set; -1 torn/BUSY/out of order); r2: consumer_pos after its
 * consume, in records (must match what it delivered); r3: the arbiter's verdict.
 */
@JCStressTest
@Description("BUSY bit: a record is delivered only once committed, with its payload, and in position order")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "the first record was still BUSY")
@Outcome(id = "2, 1, 1", expect = ACCEPTABLE, desc = "first committed and delivered, second still BUSY")
@Outcome(id = "6, 2, 1", expect = ACCEPTABLE_INTERESTING, desc = "both committed before the consumer passed them")
@Outcome(id = {"4, 1, 1", "4, 2, 1", "4, 1, 0", "4, 2, 0"}, expect = FORBIDDEN, desc = "the second delivered past a BUSY first")
@Outcome(expect = FORBIDDEN, desc = "torn or BUSY payload delivered, consumer_pos inconsistent, or record lost/duplicated")
@State
public class BusyBitOrder {
    final BpfRingBuf rb = StressRings.take(false);
    final Records.Checker chk = new Records.Checker();
    final RingBufConsumer c = RingBufConsumer.create(rb, chk, Ring.Mode.LIBBPF);
    final long h1 = rb.reserve(Records.SMALL);
    final long h2 = rb.reserve(Records.SMALL);

    @Actor
    public void consumer(III_Result r) {
        int n = c.consume();
        r.r1 = n < 0 ? n : chk.seenMask();
        r.r2 = (int) (c.ring(0).consumerPos() / Records.SMALL_REC);
    }

    @Actor
    public void producer1() {
        Records.fill(rb, h1, Records.SMALL, 1);
        rb.submit(h1, 0);
    }

    @Actor
    public void producer2() {
        Records.fill(rb, h2, Records.SMALL, 2);
        rb.submit(h2, 0);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = Records.finish(rb, c, chk, 0b110);
    }
}
