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
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@code mpsc-rb+1p1c+unbound.litmus} (Andrii Nakryiko, 2020) on the port's classes: one producer
 * reserves, fills and submits one record into a ring with room to spare; one consumer
 * ({@link RingBufConsumer#consume}, libbpf's loop) races it. The litmus test's claim: the consumer
 * sees 0 or 1 record, never a failure. Here a failure is a record delivered torn, BUSY or at the
 * wrong position, and the arbiter then requires that exactly that one record was delivered once
 * and consumer_pos == producer_pos.
 *
 * <p>r1: ids the consumer saw (bit set, -1 bad); r2: the arbiter's verdict (1 ok).
 */
@JCStressTest
@Description("mpsc-rb+1p1c+unbound: 1 producer, 1 consumer, ring never full")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "consumer ran before the commit; the record arrived afterwards")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "consumer saw the committed record")
@Outcome(expect = FORBIDDEN, desc = "record lost, duplicated, torn, seen before its commit, or positions inconsistent")
@State
public class Mpsc1p1cUnbound {
    final BpfRingBuf rb = StressRings.take(false);
    final Records.Checker chk = new Records.Checker();
    final RingBufConsumer c = RingBufConsumer.create(rb, chk, Ring.Mode.LIBBPF);

    @Actor
    public void consumer(II_Result r) {
        int n = c.consume();
        r.r1 = n < 0 ? n : chk.seenMask();
    }

    @Actor
    public void producer() {
        Records.put(rb, Records.SMALL, 1);
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r2 = Records.finish(rb, c, chk, 0b10);
    }
}
