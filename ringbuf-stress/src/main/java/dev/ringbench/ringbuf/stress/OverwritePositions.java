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

import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_OVERWRITE_POS;
import static dev.ringbench.ringbuf.BpfRingBuf.BPF_RB_PROD_POS;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Overwrite mode's position updates. A 4 KiB overwrite-mode ring is filled with four records of
 * 1008 bytes (4032 bytes, full); two producers push one more each, so each reservation moves
 * overwrite_pos forward by exactly one record, under the lock, and store-releases it before
 * producer_pos. An observer reads producer_pos then overwrite_pos (both acquire): whatever
 * producer_pos it sees, the overwrite_pos published with it must be visible too, and both sit on
 * record boundaries.
 *
 * <p>r1: producer_pos seen, in records (4..6; -1 off a boundary); r2: overwrite_pos seen after it,
 * in records (-1 off a boundary); r3: the arbiter's verdict: producer_pos 6, overwrite_pos 2,
 * pending_pos 6 records, and a consumer resuming from overwrite_pos gets records 3 to 6, intact,
 * in order.
 */
@JCStressTest
@Description("Overwrite mode: overwrite_pos moves by whole records and is published before producer_pos")
@Outcome(id = {"4, 0, 1", "4, 1, 1", "4, 2, 1", "5, 2, 1"}, expect = ACCEPTABLE, desc = "observer ran before or between the pushes")
@Outcome(id = {"5, 1, 1", "6, 2, 1"}, expect = ACCEPTABLE_INTERESTING, desc = "observer saw a push's positions together")
@Outcome(id = {"5, 0, 1", "6, 0, 1", "6, 1, 1"}, expect = FORBIDDEN, desc = "producer_pos visible before the overwrite_pos published with it")
@Outcome(expect = FORBIDDEN, desc = "a position off a record boundary, wrong final positions, or records lost/torn/out of order")
@State
public class OverwritePositions {
    static final int PAYLOAD = 1000;
    static final int REC = 1008;

    final BpfRingBuf rb = StressRings.take(true);

    public OverwritePositions() {
        for (int id = 1; id <= 4; id++) {
            Records.put(rb, PAYLOAD, id);
        }
    }

    @Actor
    public void producer1() {
        Records.put(rb, PAYLOAD, 5);
    }

    @Actor
    public void producer2() {
        Records.put(rb, PAYLOAD, 6);
    }

    @Actor
    public void observer(III_Result r) {
        long prod = rb.query(BPF_RB_PROD_POS);
        long over = rb.query(BPF_RB_OVERWRITE_POS);
        r.r1 = prod % REC == 0 ? (int) (prod / REC) : -1;
        r.r2 = over % REC == 0 ? (int) (over / REC) : -1;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        boolean ok = rb.query(BPF_RB_PROD_POS) == 6 * REC && rb.query(BPF_RB_OVERWRITE_POS) == 2 * REC
                && StressRings.pendingPos(rb) <= 6 * REC;
        Records.Checker chk = new Records.Checker();
        RingBufConsumer c = RingBufConsumer.create(rb, chk, Ring.Mode.LIBBPF);
        try {
            ok &= c.consume() == 4 && chk.count == 4;
            // records 3..6 in order (ids 5 and 6 in either order: whichever reserved first)
            ok &= chk.ids[0] == 3 && chk.ids[1] == 4 && chk.ids[2] + chk.ids[3] == 11 && !chk.bad;
            ok &= c.ring(0).consumerPos() == 6 * REC;
        } finally {
            c.close();
            StressRings.release(rb);
        }
        r.r3 = ok ? 1 : 0;
    }
}
