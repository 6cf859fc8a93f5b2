package dev.ringbench.benches.charts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spread report on synthetic JMH JSON: medians across forks, the tight share and the publication verdict. */
class SpreadReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One JMH result whose primary metric has these forks' raw values, and a misleading score and error. */
    static void result(ArrayNode a, String benchmark, String channel, int payload, double[]... forks) {
        ObjectNode r = a.addObject();
        r.put("benchmark", "dev.ringbench.benches.scenarios.ThroughputScenario." + benchmark);
        r.put("mode", "thrpt");
        r.putObject("params").put("channel", channel).put("payload", Integer.toString(payload));
        ObjectNode m = r.putObject("primaryMetric");
        m.put("score", 1.0); // neither score nor error is read
        m.put("scoreError", 1e9);
        m.put("scoreUnit", "ops/s");
        ArrayNode raw = m.putArray("rawData");
        for (double[] fork : forks) {
            ArrayNode f = raw.addArray();
            for (double v : fork) {
                f.add(v);
            }
        }
        r.putObject("secondaryMetrics");
    }

    @Test
    void mediansPoolEveryForkAndTheCriterionCountsHeadlineEntries(@TempDir Path dir) throws Exception {
        ArrayNode t = JSON.createArrayNode();
        // tight: median of both forks pooled is 100 (first fork alone: 90), IQR 95-105 = 10 %
        result(t, "parallel", "A", 8, new double[] {80, 90, 95}, new double[] {100, 105, 110, 120});
        for (int i = 0; i < 3; i++) { // three more tight entries
            result(t, "parallel", "B" + i, 8, new double[] {100, 101, 102}, new double[] {100, 99, 98});
        }
        result(t, "backToBack", "C", 8, new double[] {50, 100, 150}, new double[] {60, 140}); // wide
        result(t, "backToBack", "F", 8, new double[] {100}, new double[] {100}); // 2 samples: no spread, not tight
        Files.writeString(dir.resolve("throughput.json"), t.toString());
        ArrayNode other = JSON.createArrayNode();
        result(other, "x", "D", 8, new double[] {1, 100}); // wide, but not a headline scenario
        Files.writeString(dir.resolve("latency.json"), other.toString());
        Files.writeString(dir.resolve("latency-percentiles.json"), "{\"a\":{\"params\":{}}}"); // extra file: skipped
        Files.writeString(dir.resolve("env.json"), "{}");

        List<SpreadReport.Entry> entries = SpreadReport.entries(dir);
        assertEquals(7, entries.size());
        SpreadReport.Entry a = entries.stream().filter(e -> e.channel().equals("A")).findFirst().orElseThrow();
        assertEquals("parallel", a.benchmark());
        assertEquals("throughput", a.scenario());
        assertEquals(7, a.stats().n());
        assertEquals(100, a.stats().median(), 1e-9);
        assertEquals(92.5, a.stats().q1(), 1e-9);
        assertEquals(107.5, a.stats().q3(), 1e-9);
        assertTrue(a.tight());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, SpreadReport.write(dir, new PrintStream(out, true)));
        String text = Files.readString(dir.resolve("spread.txt"));
        assertTrue(text.contains("4 of 6 throughput and kernel-bench entries (67 %)"), text);
        assertTrue(text.contains(": NOT MET."), text);
        assertTrue(text.contains("latency            0 of 1 entries tight"), text);
        assertTrue(out.toString().contains("MET"), out.toString());

        t.remove(t.size() - 1); // without the two-sample entry: 4 of 5, exactly 80 %
        Files.writeString(dir.resolve("throughput.json"), t.toString());
        SpreadReport.write(dir, new PrintStream(new ByteArrayOutputStream(), true));
        assertTrue(Files.readString(dir.resolve("spread.txt")).contains("(80 %) have a spread below 20 % of the median;"
                + " needs at least 80 %: MET."), Files.readString(dir.resolve("spread.txt")));
    }

    @Test
    void aDirectoryWithoutResultsIsSaidSo(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(2, SpreadReport.write(dir, new PrintStream(out, true)));
        assertTrue(out.toString().contains("holds no JMH results"));
    }
}
