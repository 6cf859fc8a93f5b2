package dev.ringbench.benches.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.ringbench.benches.charts.ChartSpec.bars;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Captions say what the values and error bars are, and that a run was disturbed where run.json says so. */
class CaptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> caption(String runJson, String id) throws Exception {
        JsonNode run = JSON.readTree(runJson);
        ChartSpec spec = bars(id, id + "-x", "T").yRate("records", "records/s", jmh("hits"));
        return Captions.caption("Run: m", run, id, spec, new Drawn(id + "-x", "T", null, List.of(), new ArrayList<>()));
    }

    @Test
    void everyJmhChartSaysMedianAndInterquartileRange() throws Exception {
        List<String> c = caption("{}", "throughput");
        assertEquals(2, c.size(), c.toString());
        assertTrue(c.get(1).contains(ChartSpec.STATISTICS), c.toString());
        assertTrue(ChartSpec.STATISTICS.contains("median") && ChartSpec.STATISTICS.contains("interquartile"));
    }

    @Test
    void aDisturbedScenarioOrStartIsNamedAndAQuietOneIsNot() throws Exception {
        String run = """
                {"disturbed": true, "quietMachine": {"disturbedAtStart": false, "startWhy": [],
                  "why": ["latency: other processes used 9.0 % of one CPU"],
                  "scenarios": {"latency": {"disturbed": true, "why": ["other processes used 9.0 % of one CPU"]},
                                "throughput": {"disturbed": false, "why": []}}}}""";
        assertTrue(caption(run, "latency").get(1).startsWith("Disturbed run: other processes used 9.0 % of one CPU."),
                caption(run, "latency").toString());
        assertFalse(caption(run, "throughput").toString().contains("Disturbed"), caption(run, "throughput").toString());
        String start = run.replace("\"disturbedAtStart\": false, \"startWhy\": []",
                "\"disturbedAtStart\": true, \"startWhy\": [\"load average 7.40 at the start\"]");
        assertTrue(caption(start, "throughput").get(1).contains("Disturbed run: load average 7.40 at the start"),
                caption(start, "throughput").toString());
        assertFalse(caption("{\"disturbed\": false}", "latency").toString().contains("Disturbed"));
    }
}
