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

import java.util.concurrent.TimeUnit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The caught-up wake-up rule. Record 1 is committed before the race. The consumer polls
 * ({@link RingBufConsumer#poll}, the real epoll stand-in, with a bounded timeout) until it has
 * both records; the producer reserves and submits record 2 with the adaptive rule, which wakes
 * the consumer only if consumer_pos already points at record 2. The race: the consumer publishes
 * consumer_pos past record 1 and goes to sleep while the producer commits record 2 and reads
 * consumer_pos. One of them must see the other (the commit's full barrier, the waiter's barrier
 * before its last check); otherwise the consumer sleeps through a committed record.
 *
 * <p>A miss shows as a poll that timed out although record 2 had been committed
 * {@link #SLACK_MS} ms or more before that poll's deadline. A poll that returns early with 0 (the
 * level-triggered ring was ready but record 2 still BUSY) is not a miss: the consumer polls again.
 *
 * <p>r1: records the consumer got (2), -1 for a missed wake-up, -2 when record 2 never arrived
 * within {@link #GIVE_UP_S} s, or a negative errno; r2: the arbiter's verdict; r3: 1 if the commit
 * sent a wake-up (it found consumer_pos at record 2: the consumer had caught up), else 0.
 */
@JCStressTest
@Description("Caught-up wake-up: a consumer about to sleep never misses the commit that should wake it")
@Outcome(id = "2, 1, 0", expect = ACCEPTABLE, desc = "both delivered; the consumer found record 2 by itself (no wake-up sent)")
@Outcome(id = "2, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "both delivered; the commit saw the consumer caught up and woke it")
@Outcome(id = {"-1, 1, 0", "-1, 1, 1", "-1, 0, 0", "-1, 0, 1"}, expect = FORBIDDEN, desc = "missed wake-up: poll slept through a committed record")
@Outcome(expect = FORBIDDEN, desc = "record never arrived, error, lost/duplicated/torn record, or positions inconsistent")
@State
public class CaughtUpWakeup {
    static final int TIMEOUT_MS = 100;
    static final int SLACK_MS = 30;
    static final int GIVE_UP_S = 10;

    final BpfRingBuf rb = StressRings.take(false);
    final Records.Checker chk = new Records.Checker();
    final RingBufConsumer c = RingBufConsumer.create(rb, chk, Ring.Mode.LIBBPF);
    final long sentBefore;
    volatile long committedAt;

    public CaughtUpWakeup() {
        Records.put(rb, Records.SMALL, 1);
        sentBefore = rb.notificationsSent() + rb.notificationsCoalesced();
    }

    @Actor
    public void consumer(III_Result r) {
        int got = 0;
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_S);
        while (got < 2) {
            long t0 = System.nanoTime();
            if (t0 > giveUp) {
                r.r1 = -2;
                return;
            }
            int n = c.poll(TIMEOUT_MS);
            long t1 = System.nanoTime();
            if (n < 0) {
                r.r1 = n;
                return;
            }
            got += n;
            long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            long done = committedAt;
            if (n == 0 && t1 >= deadline && done != 0
                    && done <= deadline - TimeUnit.MILLISECONDS.toNanos(SLACK_MS)) {
                r.r1 = -1;
                return;
            }
        }
        r.r1 = got;
    }

    @Actor
    public void producer() {
        Records.put(rb, Records.SMALL, 2);
        committedAt = System.nanoTime();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = rb.notificationsSent() + rb.notificationsCoalesced() > sentBefore ? 1 : 0;
        r.r2 = Records.finish(rb, c, chk, 0b110);
    }
}
