package dev.ringbench.benches.charts;

import dev.ringbench.benches.support.LatencyAccount;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which latency runs the percentile plot marks as saturated. */
class PercentilePlotTest {
    private static RunData.Result result(Map<String, String> params, Map<String, RunData.Metric> secondary) {
        return new RunData.Result("LatencyScenario.consume", "thrpt", params,
                new RunData.Metric(1, Double.NaN, "ops/s", new double[] {1}), secondary);
    }

    private static RunData.Metric raw(String unit, double... values) {
        return new RunData.Metric(0, Double.NaN, unit, values);
    }

    @Test
    void theChartsJudgeSaturationByTheScenariosRule() {
        assertEquals(LatencyAccount.SATURATION_DELIVERED, PercentilePlot.SATURATION_DELIVERED);
    }

    @Test
    void aRunWithTheFlagIsSaturatedInTheIterationsThatSaySo() {
        var r = result(Map.of("channel", "PERFBUF", "ratePerSecond", "100000"),
                Map.of("saturated", raw("0/1", 0, 1, 0), "hits", raw("ops/s", 1, 1, 1)));
        assertEquals(new PercentilePlot.Saturation(1, 3, false), PercentilePlot.saturation(r));
    }

    @Test
    void anOlderRunIsJudgedFromDeliveredPerSecondAgainstTheOfferedRate() {
        var r = result(Map.of("channel", "KERNEL_PERFBUF", "ratePerSecond", "100000"),
                Map.of("hits", raw("ops/s", 99_000, 98_999, 40_000)));
        assertEquals(new PercentilePlot.Saturation(2, 3, true), PercentilePlot.saturation(r));
        assertNull(PercentilePlot.saturation(result(Map.of("channel", "PERFBUF"), Map.of("hits", raw("ops/s", 5)))),
                "no offered rate: nothing to judge");
    }
}
