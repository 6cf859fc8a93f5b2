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

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The overwrite-mode consumer's torn-read check: a seqlock on overwrite_pos. A 4 KiB overwrite-mode
 * ring holds four records of 1000-byte payloads (ids 1..4, record 1 at position 0). The producer
 * pushes a fifth: its reservation reclaims record 1 (overwrite_pos 0 -> 1008) and, wrapping, its
 * payload covers record 1's bytes; the producer writes {@link #NEW} exactly over record 1's id.
 * The consumer consumes one record and reads its id in the callback; afterwards the port must have
 * counted the read in {@code overwrittenWhileRead} if a byte of the new record could have been in
 * it. It holds only if the producer's smp_wmb after its store of overwrite_pos keeps the new bytes
 * behind it, and the consumer's smp_rmb keeps its payload loads before its re-read.
 *
 * <p>This shape passes on x86 with or without those fences (stores are not reordered with stores,
 * nor loads with loads, there); it is written for arm64 and other weak machines, where the
 * unfenced protocol can produce the forbidden outcome.
 *
 * <p>r1: what the callback read: 1 = record 1's own id, 2 = the new record's bytes, 3 = record 2
 * (record 1 was already reclaimed when the consumer checked its header, so it was skipped);
 * anything else -1. r2: {@code Ring.overwrittenWhileRead()} after the call.
 */
@JCStressTest
@Description("Overwrite mode: a callback that read bytes of the record that replaced its own is always counted "
        + "(passes on x86 with or without the fences; written for arm64)")
@Outcome(id = {"1, 0", "3, 0"}, expect = ACCEPTABLE, desc = "read record 1 before it was reclaimed, or skipped it")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "read record 1's own bytes; reclaimed before the re-check, counted conservatively")
@Outcome(id = "2, 1", expect = ACCEPTABLE_INTERESTING, desc = "read the new record's bytes, and the re-check counted it")
@Outcome(id = "2, 0", expect = FORBIDDEN, desc = "read the new record's bytes and the re-check missed it: a torn read accepted")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class OverwriteTornRead {
    static final int PAYLOAD = 1000;
    static final int REC = 1008;
    /** The word the producer writes over record 1's id. */
    static final long NEW = 0x5A5A_5A5A_0000_0005L;
    /** Where record 1's id lies in the new record's payload: it starts at 4040, record 1's id at 4096 + 8. */
    static final long NEW_OVER_OLD_ID = 4096 + 8 - (4 * REC + 8);

    final BpfRingBuf rb = StressRings.take(true);
    long seen;
    final RingBufConsumer c = RingBufConsumer.create(rb, (MemorySegment d, long off, int len) -> {
        seen = d.get(JAVA_LONG, off);
        return 0;
    }, Ring.Mode.LIBBPF);

    public OverwriteTornRead() {
        for (int id = 1; id <= 4; id++) {
            Records.put(rb, PAYLOAD, id);
        }
    }

    @Actor
    public void producer() {
        long h = rb.reserve(PAYLOAD);
        if (h != 0) {
            rb.sampleArea().set(JAVA_LONG, rb.sampleOffset(h) + NEW_OVER_OLD_ID, NEW);
            rb.submit(h, BpfRingBuf.BPF_RB_NO_WAKEUP);
        }
    }

    @Actor
    public void consumer(II_Result r) {
        int n = c.consumeN(1);
        long s = seen;
        r.r1 = n != 1 ? -1 : s == 1 ? 1 : s == NEW ? 2 : s == 2 ? 3 : -1;
        r.r2 = (int) c.ring(0).overwrittenWhileRead();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        c.close();
        StressRings.release(rb);
    }
}
