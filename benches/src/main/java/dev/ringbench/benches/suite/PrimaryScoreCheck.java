package dev.ringbench.benches.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The rule that a primary score counts what its reader thinks it counts: in every throughput
 * result (primary unit {@code ops/s}) that carries a {@code hits} secondary metric (records
 * delivered to the consumer), the primary score must equal {@code hits} within
 * {@value #TOLERANCE_PERCENT} %, or within one operation per measurement iteration (the one a
 * consumer may end an iteration on without a record, when nothing arrives: e.g. every reservation
 * discarded). A {@code @Group} benchmark that sums producer and consumer
 * operations fails it; a benchmark whose JMH operation is one delivered record passes.
 * {@link SuiteRunner} runs it on every scenario's results and counts a violation as a failure, so
 * {@code java -jar benches.jar run} exits non-zero.
 */
public final class PrimaryScoreCheck {
    /** Largest allowed difference between the primary score and {@code hits}, % of {@code hits}. */
    public static final double TOLERANCE_PERCENT = 1.0;

    private static final ObjectMapper JSON = new ObjectMapper();

    private PrimaryScoreCheck() {
    }

    /** The violations in one JMH JSON result array, one line each (empty when all pass). */
    public static List<String> check(JsonNode results) {
        List<String> problems = new ArrayList<>();
        if (!results.isArray()) {
            problems.add("not a JMH result array");
            return problems;
        }
        for (JsonNode r : results) {
            JsonNode primary = r.path("primaryMetric");
            JsonNode hits = r.path("secondaryMetrics").path("hits");
            if (!"thrpt".equals(r.path("mode").asText()) || !"ops/s".equals(primary.path("scoreUnit").asText())
                    || hits.isMissingNode()) {
                continue;
            }
            double p = primary.path("score").asDouble(Double.NaN);
            double h = hits.path("score").asDouble(Double.NaN);
            double slack = Math.max(Math.abs(h) * TOLERANCE_PERCENT / 100, oneOperationPerIteration(r));
            if (!(Math.abs(p - h) <= slack)) {
                problems.add(String.format("%s %s: primary score %.6g ops/s is not the delivered-record rate hits %.6g ops/s "
                                + "(more than %.0f %% apart)", r.path("benchmark").asText(), r.path("params"), p, h,
                        TOLERANCE_PERCENT));
            }
        }
        return problems;
    }

    /** One operation per measurement iteration, as ops/s ({@code measurementTime}, e.g. "200 ms"); 0 when absent. */
    static double oneOperationPerIteration(JsonNode r) {
        String t = r.path("measurementTime").asText("");
        if (t.isEmpty()) {
            return 0;
        }
        try {
            long nanos = TimeValue.fromString(t).convertTo(TimeUnit.NANOSECONDS);
            return nanos > 0 ? 1e9 / nanos : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The violations in every {@code *.json} JMH result file of a run directory, prefixed by file name. */
    public static List<String> check(Path runDirectory) throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(runDirectory)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode root = JSON.readTree(f.toFile());
                if (root.isArray()) { // JMH result files; env.json, run.json and extras are objects
                    check(root).forEach(p -> problems.add(f.getFileName() + ": " + p));
                }
            }
        }
        return problems;
    }
}
