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
 * {@code mpsc-rb+1p1c+bounded.litmus}: a ring with room for exactly one record (4 KiB, records of
 * 2048 bytes: two would need 4096 > mask). The litmus test pushes one record, which must always
 * succeed; here the producer then pushes a second one, which succeeds only if the consumer has
 * already consumed the first (its consumer_pos store is seen by the reservation's acquire load).
 *
 * <p>r1: ids the consumer saw (bit set; -1 bad); r2: reservations that failed; r3: the arbiter's
 * verdict (every record that was reserved delivered once, intact, positions consistent).
 */
@JCStressTest
@Description("mpsc-rb+1p1c+bounded: 1 producer, 1 consumer, ring holds one record")
@Outcome(id = {"0, 1, 1", "2, 1, 1"}, expect = ACCEPTABLE, desc = "second push dropped: the first was not consumed yet")
@Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "first consumed, second pushed and left for later")
@Outcome(id = "6, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "consumer took the first, freed the space, and took the second")
@Outcome(id = {"0, 0, 1", "0, 0, 0"}, expect = FORBIDDEN, desc = "second push succeeded although the first was never consumed")
@Outcome(expect = FORBIDDEN, desc = "first push failed, record lost, duplicated, torn or seen before commit, or positions inconsistent")
@State
public class Mpsc1p1cBounded {
    final BpfRingBuf rb = StressRings.take(false);
    final Records.Checker chk = new Records.Checker();
    final RingBufConsumer c = RingBufConsumer.create(rb, chk, Ring.Mode.LIBBPF);
    int expected;

    @Actor
    public void consumer(III_Result r) {
        int n = c.consume();
        r.r1 = n < 0 ? n : chk.seenMask();
    }

    @Actor
    public void producer(III_Result r) {
        int dropped = 0;
        if (Records.put(rb, Records.HALF, 1)) {
            expected |= 0b10;
        } else {
            dropped += 10; // the ring was empty: never allowed
        }
        if (Records.put(rb, Records.HALF, 2)) {
            expected |= 0b100;
        } else {
            dropped++;
        }
        r.r2 = dropped;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = Records.finish(rb, c, chk, expected);
    }
}
