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

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@code mpsc-rb+2p1c+bounded.litmus}: two producers push one 2048-byte record each into a ring
 * that holds one; one consumer races them. The litmus test's allowed final states, in its words:
 * {@code dropped=0 /\ px=2 /\ (cx=1 \/ cx=2)} or {@code dropped=1 /\ px=1 /\ (cx=0 \/ cx=1)}: both
 * pushes succeed only if the consumer consumed the first in between, and at most one is dropped.
 *
 * <p>r1: ids the consumer saw (bit set; -1 bad); r2: pushes dropped; r3: the arbiter's verdict
 * (the pushed records delivered once each, intact, in order; positions consistent).
 */
@JCStressTest
@Description("mpsc-rb+2p1c+bounded: 2 producers, 1 consumer, ring holds one record")
@Outcome(id = {"0, 1, 1", "2, 1, 1", "4, 1, 1"}, expect = ACCEPTABLE, desc = "dropped=1: the second push found the first unconsumed")
@Outcome(id = {"2, 0, 1", "4, 0, 1"}, expect = ACCEPTABLE, desc = "dropped=0: consumer took the first, then the second was pushed")
@Outcome(id = "6, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "dropped=0 and the consumer got both")
@Outcome(id = {"0, 0, 1", "0, 0, 0"}, expect = FORBIDDEN, desc = "both pushed but the consumer never freed the space")
@Outcome(expect = FORBIDDEN, desc = "two dropped, record lost, duplicated, torn or seen before commit, or positions inconsistent")
@State
public class Mpsc2p1cBounded {
    final BpfRingBuf rb = StressRings.take(false);
    final Records.Checker chk = new Records.Checker();
    final RingBufConsumer c = RingBufConsumer.create(rb, chk, Ring.Mode.LIBBPF);
    final AtomicInteger pushed = new AtomicInteger();

    @Actor
    public void consumer(III_Result r) {
        int n = c.consume();
        r.r1 = n < 0 ? n : chk.seenMask();
    }

    @Actor
    public void producer1() {
        if (Records.put(rb, Records.HALF, 1)) {
            pushed.getAndAdd(0b10);
        }
    }

    @Actor
    public void producer2() {
        if (Records.put(rb, Records.HALF, 2)) {
            pushed.getAndAdd(0b100);
        }
    }

    @Arbiter
    public void arbiter(III_Result r) {
        int p = pushed.get();
        r.r2 = 2 - Integer.bitCount(p);
        r.r3 = Records.finish(rb, c, chk, p);
    }
}
