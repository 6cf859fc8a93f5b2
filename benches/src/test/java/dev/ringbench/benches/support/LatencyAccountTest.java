package dev.ringbench.benches.support;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pacer's schedule accounting and the latency account built on it, on a clock the test moves. */
class LatencyAccountTest {
    private static final long MS = 1_000_000;
    private static final long START = 5 * MS;

    private long now;
    private final List<Boolean> accept = new ArrayList<>();
    private final List<Long> stamps = new ArrayList<>();

    private Pacer pacer(long rate) {
        MemorySegment stamp = Arena.ofAuto().allocate(8, 8);
        return new Pacer(stamp, () -> {
            stamps.add(stamp.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
            return accept.isEmpty() || accept.removeFirst();
        }, rate, () -> now);
    }

    /** The producer's cost is the time inside the send, not the wait for the slot. */
    @Test
    void sendTimeExcludesTheWaitForTheSlot() {
        MemorySegment stamp = Arena.ofAuto().allocate(8, 8);
        long[] sendCost = {700, 300};
        int[] call = {0};
        Pacer p = new Pacer(stamp, () -> {
            now += sendCost[call[0]++];   // the send takes this long
            return call[0] == 1;          // the second is dropped: its time counts too
        }, 1000, () -> now);
        p.restart(START);
        now = START + 40_000;             // slot 0 reached 40 µs late
        assertTrue(p.sendNext());
        now = START + MS + 100;           // slot 1
        assertFalse(p.sendNext());
        assertEquals(1000, p.sendNanos, "700 + 300 ns inside the sends; the lag before them is not the producer's cost");
        p.restart(START);
        assertEquals(0, p.sendNanos);
    }

    @Test
    void aScheduleWithLateUnsentAndDroppedRecordsIsCountedAsDue() {
        Pacer p = pacer(1000); // one record per ms
        p.restart(START);
        accept.addAll(List.of(true, true, true, false, false));
        now = START;                      // slot 0 on time
        assertTrue(p.sendNext());
        now = START + MS + 5_000;         // slot 1, 5 µs behind: not late
        assertTrue(p.sendNext());
        now = START + 2 * MS + 50_000;    // slot 2, 50 µs behind: late
        assertTrue(p.sendNext());
        now = START + 3 * MS;             // slot 3 dropped
        assertFalse(p.sendNext());
        now = START + 4 * MS + 20_000;    // slot 4 late and dropped: a drop, not "sent late"
        assertFalse(p.sendNext());
        now = START + 9 * MS + 500_000;   // slots 5..9 due, never reached
        p.finish();

        assertEquals(List.of(START, START + MS, START + 2 * MS, START + 3 * MS, START + 4 * MS), stamps,
                "records carry their intended time, not the time they were sent");
        assertEquals(10, p.due());
        assertEquals(3, p.sent);
        assertEquals(1, p.sentLate);
        assertEquals(2, p.drops);
        assertEquals(5, p.unsent());
        assertEquals(50_000, p.maxLagNs);

        LatencyAccount a = LatencyAccount.of(p, 2, 1);
        assertEquals(new LatencyAccount(10, 3, 1, 5, 2, 2, 1), a);
        assertEquals(a.due(), a.sent() + a.dropped() + a.unsent());
        assertEquals(0, a.lost());
        assertEquals(0.2, a.deliveredFraction(), 1e-12);
        assertTrue(a.saturated());
    }

    @Test
    void dueCountsTheSlotsWhoseIntendedTimeHasCome() {
        Pacer p = pacer(3); // intended times start + 0, 333333333, 666666666 ns
        p.restart(START);
        now = START + 333_333_332;
        p.finish();
        assertEquals(1, p.due());
        now = START + 333_333_333;
        p.finish();
        assertEquals(2, p.due());
        now = START - 1; // ended before it began
        p.finish();
        assertEquals(0, p.due());
    }

    @Test
    void aProducerThatKeepsUpOwesNothing() {
        Pacer p = pacer(1000);
        p.restart(START);
        for (int i = 0; i < 100; i++) {
            now = START + i * MS + 1_000;
            assertTrue(p.sendNext());
        }
        now = START + 99 * MS + 999_999; // the end comes before slot 100 is due
        p.finish();
        assertEquals(100, p.due());
        assertEquals(0, p.unsent());
        assertEquals(0, p.sentLate);
        assertFalse(LatencyAccount.of(p, 99, 1).saturated(), "99 % delivered is not saturated");
        assertTrue(LatencyAccount.of(p, 98, 2).saturated(), "98 % delivered is");
    }

    @Test
    void restartForgetsTheLastIteration() {
        Pacer p = pacer(1000);
        p.restart(START);
        accept.add(false);
        now = START + 2 * MS;
        assertFalse(p.sendNext()); // slot 0 dropped
        assertTrue(p.sendNext());  // slot 1 sent 1 ms late
        p.finish();
        assertEquals(1, p.sent + p.sentLate - p.drops);
        p.restart(START + 100 * MS);
        now = START + 100 * MS;
        p.finish();
        assertEquals(1, p.due());
        assertEquals(0, p.sent + p.drops + p.sentLate + p.maxLagNs);
        assertEquals(1, p.unsent());
    }

    @Test
    void anAccountNeedsAnEndedScheduleAndAHistogramOfTheDeliveredRecords() {
        Pacer p = pacer(1000);
        p.restart(START);
        assertThrows(IllegalStateException.class, () -> LatencyAccount.of(p, 0, 0));
        Histogram h = new Histogram(1_000_000_000L, 3);
        h.recordValue(1000);
        assertThrows(IllegalStateException.class, () -> new LatencyAccount(2, 2, 0, 0, 0, 2, 0).report(h));
    }

    @Test
    void reportPutsTheCountsAndTheFlagBesideThePercentiles() {
        Histogram h = new Histogram(1_000_000_000L, 3);
        for (int i = 1; i <= 100; i++) {
            h.recordValue(i * 1000L); // 1..100 µs
        }
        SideMetrics.clear();
        new LatencyAccount(200, 150, 10, 40, 10, 100, 50).report(h);
        Map<String, Double> m = new TreeMap<>();
        SideMetrics.take().forEach((k, v) -> m.put(k, v.value()));
        assertEquals(50, m.get("p50Us"), 0.1);
        assertEquals(100, m.get("maxUs"), 0.1);
        assertEquals(200, m.get("due"));
        assertEquals(150, m.get("sent"));
        assertEquals(10, m.get("sentLate"));
        assertEquals(40, m.get("unsent"));
        assertEquals(10, m.get("dropped"));
        assertEquals(100, m.get("delivered"));
        assertEquals(50, m.get("undelivered"));
        assertEquals(0, m.get("lost"));
        assertEquals(0.5, m.get("deliveredFraction"));
        assertEquals(1, m.get("saturated"));
    }
}
