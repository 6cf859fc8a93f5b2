package dev.ringbench.benches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plain {@code benches.jar jmh} run gets the scenarios' side metrics in the JMH JSON: one value
 * per measured iteration in {@code rawData}, the score their mean (not a sum).
 */
class SideMetricsTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void noLock() {
        System.setProperty("jmh.ignoreLock", "true");
    }

    @Test
    void latencyPercentilesArePerIterationSecondaryMetrics() throws Exception {
        Path json = tmp.resolve("latency.json");
        int rc = JmhPassThrough.run(new String[] {"LatencyScenario", "-p", "channel=BPF_RINGBUF_LIBBPF",
                "-p", "ratePerSecond=10000", "-f", "1", "-wi", "0", "-i", "2", "-r", "200ms", "-foe", "true",
                "-rf", "json", "-rff", json.toString()});
        assertEquals(0, rc, "the forked run failed (see its output above)");
        JsonNode r = new ObjectMapper().readTree(json.toFile()).get(0);
        for (String name : new String[] {"p50Us", "p99Us", "maxUs", "delivered", "due", "saturated"}) {
            JsonNode m = r.at("/secondaryMetrics/" + name);
            assertTrue(m.isObject(), name + " missing: " + r.get("secondaryMetrics"));
            JsonNode raw = m.at("/rawData/0");
            assertEquals(2, raw.size(), name + ": one value per iteration: " + m);
            double mean = (raw.get(0).asDouble() + raw.get(1).asDouble()) / 2;
            assertEquals(mean, m.get("score").asDouble(), Math.abs(mean) * 1e-9 + 1e-9, name + ": the score is the mean");
        }
        assertTrue(r.at("/secondaryMetrics/delivered/score").asDouble() > 0, r.toString());
    }
}
