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
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@code mpsc-rb+2p1c+unbound.litmus}: two producers push one record each through the
 * reservation lock; one consumer races them. The consumer may see 0, 1 or 2 records, in
 * reservation (position) order, each intact and committed; the arbiter then requires both
 * delivered exactly once and consumer_pos == producer_pos.
 *
 * <p>r1: ids the consumer saw (bit set; -1 bad: torn, BUSY, out of position order); r2: verdict.
 */
@JCStressTest
@Description("mpsc-rb+2p1c+unbound: 2 producers, 1 consumer, ring never full")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "consumer ran before the first commit")
@Outcome(id = {"2, 1", "4, 1"}, expect = ACCEPTABLE, desc = "consumer saw the record reserved first")
@Outcome(id = "6, 1", expect = ACCEPTABLE_INTERESTING, desc = "consumer saw both")
@Outcome(expect = FORBIDDEN, desc = "record lost, duplicated, torn, seen before commit, out of order, or positions inconsistent")
@State
public class Mpsc2p1cUnbound {
    final BpfRingBuf rb = StressRings.take(false);
    final Records.Checker chk = new Records.Checker();
    final RingBufConsumer c = RingBufConsumer.create(rb, chk, Ring.Mode.LIBBPF);

    @Actor
    public void consumer(II_Result r) {
        int n = c.consume();
        r.r1 = n < 0 ? n : chk.seenMask();
    }

    @Actor
    public void producer1() {
        Records.put(rb, Records.SMALL, 1);
    }

    @Actor
    public void producer2() {
        Records.put(rb, Records.SMALL, 2);
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r2 = Records.finish(rb, c, chk, 0b110);
    }
}
