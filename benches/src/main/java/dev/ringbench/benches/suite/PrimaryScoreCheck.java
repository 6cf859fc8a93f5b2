package dev.ringbench.benches.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The rule that a primary score counts what its reader thinks it counts: records delivered
 * (throughput) or a time per operation (latency), nothing else. Every result must be one of:
 * <ul>
 *   <li>a throughput result (mode {@code thrpt}, unit {@code ops/s}) with a {@code hits} secondary
 *       metric (records delivered to the consumer; in a producer-only benchmark, records committed
 *       to the ring, the kernel benchmark's producer-only hits), its primary score equal to
 *       {@code hits} within {@value #TOLERANCE_PERCENT} %, or within one operation per measurement
 *       iteration (the one a consumer may end an iteration on without a record, when nothing
 *       arrives: e.g. every reservation discarded);</li>
 *   <li>a throughput result whose benchmark method is itself named {@code hits} (the kernel-bench
 *       scenario: the primary score is the hit count, one operation per delivered record);</li>
 *   <li>a time per operation ({@code ns/op}, {@code us/op}, {@code ms/op}, {@code s/op}: a latency or
 *       a cost), in any mode but throughput.</li>
 * </ul>
 * A {@code @Group} benchmark that sums producer and consumer operations fails it, and so does a
 * throughput of attempts or rounds with no {@code hits} beside it. {@link SuiteRunner} runs it on
 * every scenario's results and counts a violation as a failure, so {@code java -jar benches.jar run}
 * exits non-zero.
 */
public final class PrimaryScoreCheck {
    /** Largest allowed difference between the primary score and {@code hits}, % of {@code hits}. */
    public static final double TOLERANCE_PERCENT = 1.0;

    /** JMH's units of a time per operation. */
    private static final Set<String> TIME_PER_OP = Set.of("ns/op", "us/op", "ms/op", "s/op");
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
            String problem = problem(r);
            if (problem != null) {
                problems.add(r.path("benchmark").asText() + " " + r.path("params") + ": " + problem);
            }
        }
        return problems;
    }

    /** What is wrong with one result's primary score, or null when it counts delivered records or a time. */
    private static String problem(JsonNode r) {
        JsonNode primary = r.path("primaryMetric");
        String unit = primary.path("scoreUnit").asText();
        String benchmark = r.path("benchmark").asText();
        if (!"thrpt".equals(r.path("mode").asText())) {
            return TIME_PER_OP.contains(unit) ? null
                    : "primary score in " + unit + " is neither delivered records per second nor a time per operation";
        }
        if (!"ops/s".equals(unit)) {
            return "throughput primary score in " + unit + ", not delivered records per second (ops/s)";
        }
        JsonNode hits = r.path("secondaryMetrics").path("hits");
        if (hits.isMissingNode()) {
            return benchmark.endsWith(".hits") ? null
                    : "throughput primary score with no hits (records delivered) beside it: it counts something else";
        }
        double p = primary.path("score").asDouble(Double.NaN);
        double h = hits.path("score").asDouble(Double.NaN);
        double slack = Math.max(Math.abs(h) * TOLERANCE_PERCENT / 100, oneOperationPerIteration(r));
        return Math.abs(p - h) <= slack ? null
                : String.format("primary score %.6g ops/s is not the delivered-record rate hits %.6g ops/s "
                        + "(more than %.0f %% apart)", p, h, TOLERANCE_PERCENT);
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
