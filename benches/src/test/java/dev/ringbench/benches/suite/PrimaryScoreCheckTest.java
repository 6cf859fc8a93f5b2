package dev.ringbench.benches.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrimaryScoreCheckTest {
    private static String result(String benchmark, String mode, double primary, String unit, Double hits) {
        return "{\"benchmark\":\"dev.ringbench.X." + benchmark + "\",\"mode\":\"" + mode + "\",\"params\":{\"channel\":\"C\"},"
                + "\"primaryMetric\":{\"score\":" + primary + ",\"scoreUnit\":\"" + unit + "\"},"
                + "\"secondaryMetrics\":{" + (hits == null ? "" : "\"hits\":{\"score\":" + hits + ",\"scoreUnit\":\"ops/s\"},")
                + "\"drops\":{\"score\":5.0,\"scoreUnit\":\"ops/s\"}}}";
    }

    @Test
    void honestPassesDishonestFails(@TempDir Path dir) throws Exception {
        String json = "[" + String.join(",",
                result("honest", "thrpt", 3_300_000, "ops/s", 3_310_000.0),            // 0.3 % apart
                result("summed", "thrpt", 42_000_000, "ops/s", 3_300_000.0),           // a @Group's sum of all threads
                result("latency", "avgt", 1_000, "ns/op", 3_300_000.0)) + "]";        // not a throughput
        List<String> problems = PrimaryScoreCheck.check(new ObjectMapper().readTree(json));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("X.summed"), problems.get(0));

        Files.writeString(dir.resolve("throughput.json"), json);
        Files.writeString(dir.resolve("run.json"), "{\"failures\":[]}");
        List<String> inDir = PrimaryScoreCheck.check(dir);
        assertEquals(1, inDir.size(), inDir.toString());
        assertTrue(inDir.get(0).startsWith("throughput.json: "), inDir.get(0));
    }

    /** Attempts or rounds per second with no delivered count beside them are not records delivered. */
    @Test
    void aThroughputWithoutHitsFailsUnlessItIsTheHitCount() throws Exception {
        String json = "[" + String.join(",",
                result("attempts", "thrpt", 57_000_000, "ops/s", null),               // producer-only attempts
                result("rounds", "thrpt", 1_733, "ops/s", null),                      // rounds of a recovery
                result("hits", "thrpt", 4_100_000, "ops/s", null),                    // the kernel-bench: primary is hits
                result("perMs", "thrpt", 4_100, "ops/ms", 4_100.0),                   // not per second
                result("sampled", "sample", 3.5, "us/op", null),                      // a latency
                result("cost", "avgt", 29.7, "ns/op", null),                          // a cost per operation
                result("weird", "avgt", 29.7, "ops/s", null)) + "]";                  // a rate outside throughput mode
        List<String> problems = PrimaryScoreCheck.check(new ObjectMapper().readTree(json));
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("X.attempts") && problems.get(0).contains("no hits"), problems.get(0));
        assertTrue(problems.get(1).contains("X.rounds"), problems.get(1));
        assertTrue(problems.get(2).contains("X.perMs") && problems.get(2).contains("ops/ms"), problems.get(2));
        assertTrue(problems.get(3).contains("X.weird"), problems.get(3));
    }

    @Test
    void toleranceIsOnePercentOfHits() throws Exception {
        String json = "[" + result("justIn", "thrpt", 1_009_000, "ops/s", 1_000_000.0) + ","
                + result("justOut", "thrpt", 1_011_000, "ops/s", 1_000_000.0) + ","
                + result("below", "thrpt", 989_000, "ops/s", 1_000_000.0) + "]";
        List<String> problems = PrimaryScoreCheck.check(new ObjectMapper().readTree(json));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("justOut") && problems.get(1).contains("below"), problems.toString());
    }

    @Test
    void oneOperationPerIterationIsAllowedWhenNothingIsDelivered() throws Exception {
        String ok = result("allDiscarded", "thrpt", 5, "ops/s", 0.0).replace("{\"benchmark\"", "{\"measurementTime\":\"200 ms\",\"benchmark\"");
        String bad = result("allDiscarded", "thrpt", 6, "ops/s", 0.0).replace("{\"benchmark\"", "{\"measurementTime\":\"200 ms\",\"benchmark\"");
        assertEquals(List.of(), PrimaryScoreCheck.check(new ObjectMapper().readTree("[" + ok + "]")));
        assertEquals(1, PrimaryScoreCheck.check(new ObjectMapper().readTree("[" + bad + "]")).size());
    }
}
