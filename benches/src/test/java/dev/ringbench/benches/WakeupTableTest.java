package dev.ringbench.benches;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The wake-up table reads the side metrics from the JMH JSON, or an older run's metrics file. */
class WakeupTableTest {
    @TempDir
    Path tmp;

    private static final String PARAMS = "{\"channel\": \"BPF_RINGBUF_LIBBPF\", \"payload\": \"8\", "
            + "\"ratePerSecond\": \"100000\", \"strategy\": \"FORCE\"}";

    private static String metric(double score) {
        return "{\"score\": " + score + ", \"scoreUnit\": \"x\", \"rawData\": [[" + score + "]]}";
    }

    @Test
    void sideMetricsComeFromTheJmhJson() throws Exception {
        Path json = tmp.resolve("notification.json");
        Files.writeString(json, "[{\"benchmark\": \"dev.ringbench.benches.scenarios.NotificationScenario.notification\", "
                + "\"params\": " + PARAMS + ", \"secondaryMetrics\": {\"hits\": " + metric(99000) + ", \"drops\": "
                + metric(5) + ", \"notificationsPer1000\": " + metric(1000) + ", \"wakeupsPer1000\": " + metric(800) + ", \"consumerCpuNsPerRecord\": " + metric(900)
                + ", \"latencyP99Ns\": " + metric(12000) + "}}]");
        List<WakeupTable.Row> rows = WakeupTable.read(json);
        assertEquals(1, rows.size());
        WakeupTable.Row r = rows.get(0);
        assertEquals(99000, r.hits());
        assertEquals(1000, r.notificationsPer1000());
        assertEquals(800, r.wakeupsPer1000());
        assertEquals(900, r.cpuNsPerRecord());
        assertEquals(12000, r.p99());
        assertEquals(Double.NaN, r.p50()); // not in the JSON: not measured
    }

    @Test
    void anOlderRunsMetricsFileIsStillRead() throws Exception {
        Path json = tmp.resolve("notification.json");
        Files.writeString(json, "[{\"benchmark\": \"dev.ringbench.benches.scenarios.NotificationScenario.notification\", "
                + "\"params\": " + PARAMS + ", \"secondaryMetrics\": {\"hits\": " + metric(99000) + "}}]");
        Files.writeString(tmp.resolve("notification-metrics.json"), "{\"k\": {\"params\": " + PARAMS
                + ", \"wakeupsPer1000\": 7.5, \"latencyP99Ns\": 3000}}");
        WakeupTable.Row r = WakeupTable.read(json).get(0);
        assertEquals(7.5, r.wakeupsPer1000());
        assertEquals(3000, r.p99());
    }
}
