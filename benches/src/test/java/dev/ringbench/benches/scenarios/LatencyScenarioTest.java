package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.support.Delivered;
import dev.ringbench.benches.support.SideMetricsProfiler;
import dev.ringbench.competitors.ChannelKind;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The latency scenario's iterations, run by hand as JMH would run them: each iteration reports its
 * own percentiles and accounting (nothing carried over from the one before), and one benchmark
 * operation is one delivered record.
 */
class LatencyScenarioTest {
    private static final long ITERATION_NS = 150_000_000;
    private static final long STALL_MS = 400;

    private final SideMetricsProfiler profiler = new SideMetricsProfiler();

    @Test
    void percentilesAndCountsArePerIteration() throws Exception {
        LatencyScenario s = new LatencyScenario();
        s.channel = ChannelKind.DISRUPTOR_BLOCKING; // pure Java, no native access needed
        s.ratePerSecond = 10_000;
        s.setup(null);
        try {
            // iteration 1: the consumer starts STALL_MS late, so its records wait that long
            Map<String, Double> first = iteration(s, STALL_MS);
            // iteration 2: no stall
            Map<String, Double> second = iteration(s, 0);

            assertTrue(first.get("maxUs") >= STALL_MS * 1000 * 0.9, "stalled iteration: " + first);
            assertTrue(second.get("maxUs") < STALL_MS * 1000 * 0.75,
                    "the second iteration's percentiles must not include the first's records: " + second);
            for (Map<String, Double> m : new Map[] {first, second}) {
                double due = m.get("due");
                assertTrue(due > 0.8 * ITERATION_NS / 1e9 * s.ratePerSecond, "due per iteration, not summed: " + m);
                assertTrue(due < 1.2 * (ITERATION_NS / 1e9 + STALL_MS / 1e3) * s.ratePerSecond, "due: " + m);
                assertEquals(due, m.get("sent") + m.get("dropped") + m.get("unsent"), "due = sent + dropped + unsent: " + m);
                assertEquals(m.get("sent"), m.get("delivered") + m.get("undelivered"), "sent = delivered + undelivered: " + m);
                assertEquals(m.get("saturated"), m.get("deliveredFraction") < 0.99 ? 1.0 : 0.0, m.toString());
            }
        } finally {
            s.tearDown(null);
        }
    }

    /** One measured iteration: set-up, {@code stallMs} of no consumer, the loop, tear-down; its side metrics. */
    private Map<String, Double> iteration(LatencyScenario s, long stallMs) throws InterruptedException {
        profiler.beforeIteration(null, null);
        s.startIteration(new IterationParams(IterationType.MEASUREMENT, 1, TimeValue.milliseconds(150), 1));
        Thread.sleep(stallMs);
        long ops = 0;
        Delivered hits = new Delivered();
        long records0 = s.recorder.records;
        long end = System.nanoTime() + ITERATION_NS;
        while (System.nanoTime() - end < 0) {
            s.consume(hits);
            ops++;
        }
        long delivered = s.recorder.records - records0;
        s.endIteration();
        assertEquals(ops, hits.hits, "hits counts the operations");
        assertTrue(delivered - ops >= 0 && delivered - ops < 512,
                "one operation per delivered record (at most one await's records pending): ops " + ops
                        + ", delivered " + delivered);
        Map<String, Double> m = new TreeMap<>();
        for (Result<?> r : profiler.afterIteration(null, null, null)) {
            m.put(r.getLabel(), r.getScore());
        }
        assertEquals(s.recorder.histogram().getTotalCount(), m.get("delivered"), "the histogram holds the delivered records");
        return m;
    }
}
