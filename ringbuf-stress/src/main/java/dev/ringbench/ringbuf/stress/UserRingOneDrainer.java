package dev.ringbench.ringbuf.stress;

import dev.ringbench.os.Errno;
import dev.ringbench.ringbuf.StressRings;
import dev.ringbench.ringbuf.UserRingBuf;
import dev.ringbench.ringbuf.UserRingBufProducer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The user ring's one-drainer flag. Two samples are submitted before the race; two "kernel"
 * threads call {@link UserRingBuf#drain} at once. The compare-and-set on the busy flag lets one
 * in; the other gets -EBUSY ({@value Errno#EBUSY}) or runs entirely before or after it. Never do
 * both drain at once (which would split the samples or deliver one twice), never do both get
 * -EBUSY, and the flag is clear afterwards.
 *
 * <p>r1, r2: the two drains' results; r3: the arbiter's verdict (each sample delivered exactly
 * once, flag clear, consumer_pos == producer_pos).
 */
@JCStressTest
@Description("User ring: one drainer at a time; the other gets -EBUSY")
@Outcome(id = {"2, 0, 1", "0, 2, 1"}, expect = ACCEPTABLE, desc = "the drains ran one after the other")
@Outcome(id = {"2, -16, 1", "-16, 2, 1"}, expect = ACCEPTABLE_INTERESTING, desc = "they overlapped: the second got -EBUSY")
@Outcome(id = {"1, 1, 1", "1, 1, 0", "2, 2, 0"}, expect = FORBIDDEN, desc = "both drained at once")
@Outcome(expect = FORBIDDEN, desc = "both -EBUSY, a sample lost or delivered twice, or the flag left set")
@State
public class UserRingOneDrainer {
    final UserRingBuf ring = StressRings.takeUser();
    final AtomicIntegerArray delivered = new AtomicIntegerArray(3);
    final UserRingBuf.DrainCallback cb = s -> {
        delivered.incrementAndGet((int) s.get(JAVA_LONG, 0));
        return 0;
    };

    public UserRingOneDrainer() {
        try (UserRingBufProducer p = UserRingBufProducer.create(ring)) {
            for (long id = 1; id <= 2; id++) {
                long h = p.reserve(8);
                p.sample(h).set(JAVA_LONG, 0, id);
                p.submit(h);
            }
        }
    }

    @Actor
    public void drainer1(III_Result r) {
        r.r1 = (int) ring.drain(cb, 0);
    }

    @Actor
    public void drainer2(III_Result r) {
        r.r2 = (int) ring.drain(cb, 0);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        boolean ok = delivered.get(1) == 1 && delivered.get(2) == 1 && delivered.get(0) == 0
                && StressRings.drainBusyFlag(ring) == 0
                && ring.consumerPage().get(JAVA_LONG, 0) == ring.producerPage().get(JAVA_LONG, 0);
        r.r3 = ok ? 1 : 0;
        StressRings.release(ring);
    }
}
