package dev.ringbench.benches.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quantiles by linear interpolation between closest ranks (R type 7), on arrays whose answers are known. */
class StatsTest {
    @Test
    void quantilesOfKnownArraysInterpolateBetweenClosestRanks() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        // R: quantile(1:10, c(0, .25, .5, .75, 1)) = 1, 3.25, 5.5, 7.75, 10
        assertEquals(1, Stats.quantile(v, 0), 1e-12);
        assertEquals(3.25, Stats.quantile(v, 0.25), 1e-12);
        assertEquals(5.5, Stats.quantile(v, 0.5), 1e-12);
        assertEquals(7.75, Stats.quantile(v, 0.75), 1e-12);
        assertEquals(10, Stats.quantile(v, 1), 1e-12);
        // odd count: the median is the middle value; quartiles of 1..5 are 2 and 4
        double[] odd = {10, 20, 30, 40, 50};
        assertEquals(30, Stats.quantile(odd, 0.5), 1e-12);
        assertEquals(20, Stats.quantile(odd, 0.25), 1e-12);
        assertEquals(40, Stats.quantile(odd, 0.75), 1e-12);
        assertEquals(7, Stats.quantile(new double[] {7}, 0.25), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Stats.quantile(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> Stats.quantile(v, 1.5));
    }

    @Test
    void unsortedInputWithNaNsGivesMedianAndInterquartileRange() {
        Stats s = Stats.of(new double[] {9, Double.NaN, 1, 5, 3, 7});
        assertEquals(5, s.n());
        assertEquals(5, s.median(), 1e-12);
        assertEquals(3, s.q1(), 1e-12);
        assertEquals(7, s.q3(), 1e-12);
        assertEquals(4, s.spread(), 1e-12);
        assertEquals(0.8, s.relativeSpread(), 1e-12);
        assertEquals(1, s.min(), 1e-12);
        assertEquals(9, s.max(), 1e-12);
        assertEquals(5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(10), s.stddev(), 1e-12);
        assertNull(Stats.of(new double[] {Double.NaN}));
        assertEquals(2e-6 * 5, Stats.of(new double[] {9, 1, 5, 3, 7}, 2e-6).median(), 1e-18);
    }

    @Test
    void samplesOfEveryForkArePooledAndOneSlowForkDoesNotMoveTheMedianFar() {
        // three forks of five: one fork 35 % slow (the host's slow mode)
        double[][] forks = {{100, 101, 99, 100, 102}, {65, 66, 64, 65, 65}, {98, 100, 101, 99, 100}};
        Stats s = Stats.ofForks(forks);
        assertEquals(15, s.n());
        // sorted: 64 65 65 65 66 | 98 99 99 100 100 100 100 101 101 102
        assertEquals(99, s.median(), 1e-12); // the pooled 8th of 15, not the first fork's 100, not the mean (88.3)
        assertEquals(65.5, s.q1(), 1e-12);   // position 3.5 of 0..14: between the slow fork's 65 and 66
        assertEquals(100, s.q3(), 1e-12);    // position 10.5: between 100 and 100
        assertFalse(s.tight(), "a slow fork widens the spread past 20 %");
        assertTrue(Stats.ofForks(new double[][] {{100, 101, 100}, {99, 100}}).tight());
        assertFalse(Stats.ofForks(new double[][] {{100, 101}, {99, 100}}).tight(), "4 samples say nothing of the spread");
        assertFalse(Stats.of(new double[] {100}).tight(), "one sample has no spread");
    }
}
