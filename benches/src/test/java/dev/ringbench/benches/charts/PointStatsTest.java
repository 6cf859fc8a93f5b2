package dev.ringbench.benches.charts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A chart's point is the median of every iteration of every fork (rawData), its error bar the
 * interquartile range: never JMH's score and error, which with 3 samples on a noisy machine reach
 * below zero.
 */
class PointStatsTest {
    @Test
    void pointsAreThePooledMedianWithTheInterquartileRangeNotJmhsScoreAndError() throws Exception {
        ArrayNode a = new ObjectMapper().createArrayNode();
        // forks {80, 90, 95} and {100, 105, 110, 120}: pooled median 100, quartiles 92.5 and 107.5;
        // the first fork alone would give 90; JMH's (misleading) score is 1 with an error of 1e9
        SpreadReportTest.result(a, "parallel", "A", 8, new double[] {80, 90, 95}, new double[] {100, 105, 110, 120});
        List<RunData.Result> results = RunData.parseResults(a);
        assertEquals(100, results.get(0).primary().value(), 1e-9);

        RunData.Metric m = results.get(0).primary();
        double[] p = PointReader.values(m, 2);
        assertEquals(200, p[0], 1e-9);
        assertEquals(185, p[1], 1e-9);
        assertEquals(215, p[2], 1e-9);
        double[] negative = PointReader.values(m, -1);
        assertEquals(-107.5, negative[1], 1e-9); // a negative scale keeps low below high
        assertEquals(-92.5, negative[2], 1e-9);
        double[] noRaw = PointReader.values(new RunData.Metric(5, 1e9, "ops/s", new double[0]), 1);
        assertEquals(5, noRaw[0], 1e-9); // a result saved without samples: JMH's score, no error bar
        assertEquals(Double.NaN, noRaw[1]);
    }
}
