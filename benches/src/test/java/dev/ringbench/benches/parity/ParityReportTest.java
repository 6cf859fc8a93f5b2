package dev.ringbench.benches.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parity report reads medians from the one-second samples and judges each conclusion by its own rows. */
class ParityReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void result(ArrayNode a, String kind, String point, double... hitsM) {
        ObjectNode r = a.addObject();
        r.put("benchmark", "dev.ringbench.benches.scenarios.KernelBenchScenario.hits");
        r.put("mode", "thrpt");
        r.putObject("params").put("channel", kind).put("point", point);
        r.set("primaryMetric", metric(hitsM));
        ObjectNode sec = r.putObject("secondaryMetrics");
        sec.set("drops", metric(0, 0, 0));
        sec.set("wakeups", metric(1e-3, 1e-3, 1e-3));
    }

    private static ObjectNode metric(double... m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("score", m[0] * 1e6);
        n.put("scoreError", 0.0);
        n.put("scoreUnit", "ops/s");
        ArrayNode fork = n.putArray("rawData").addArray();
        for (double v : m) {
            fork.add(v * 1e6);
        }
        return n;
    }

    @Test
    void conclusionsHoldOnlyWhereTheirRatiosDoAndMissingRowsAreNotMeasured(@TempDir Path dir) throws Exception {
        ArrayNode a = JSON.createArrayNode();
        // live kernel: the ring buffer 10x ahead of the perf buffer in both modes
        result(a, "KERNEL_RINGBUF_LIBBPF", "parallel", 9, 10, 30);
        result(a, "KERNEL_PERFBUF", "parallel", 1, 1, 1);
        result(a, "KERNEL_RINGBUF_LIBBPF", "b2b", 15, 15, 15);
        result(a, "KERNEL_PERFBUF", "b2b", 1.5, 1.5, 1.5);
        // port: as fast as each other in parallel, so conclusion 1 cannot hold
        result(a, "BPF_RINGBUF_LIBBPF", "parallel", 5, 5, 5);
        result(a, "PERFBUF", "parallel", 5, 6, 4);
        result(a, "BPF_RINGBUF_LIBBPF", "b2b", 20, 20, 20);
        result(a, "PERFBUF", "b2b", 1, 1, 1);
        Files.writeString(dir.resolve("kernel-bench.json"), a.toString());

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        assertEquals(0, ParityReport.write(dir, new PrintStream(text, true)));

        JsonNode p = JSON.readTree(dir.resolve("parity.json").toFile());
        JsonNode c1 = p.path("conclusions").get(0);
        assertEquals(1, c1.path("number").asInt());
        assertTrue(c1.path("kernel").asBoolean(), c1.toString());
        assertEquals(false, c1.path("port").asBoolean(), c1.toString());
        assertEquals(10.0, c1.path("checks").get(0).path("kernel").asDouble(), 1e-9); // median 10 / 1
        assertEquals(1.0, c1.path("checks").get(0).path("port").asDouble(), 1e-9);
        assertTrue(p.path("conclusions").get(1).path("kernel").isNull(), "conclusion 2's rows were not run");

        JsonNode row = p.path("rows").get(0);
        assertEquals("rb-libbpf", row.path("row").asText());
        assertEquals(12.054, row.path("published").path("mean").asDouble(), 1e-9);
        assertEquals(10.0, row.path("kernel").path("hits").path("median").asDouble(), 1e-9);
        assertEquals(30.0, row.path("kernel").path("hits").path("max").asDouble(), 1e-9);
        assertTrue(Files.size(dir.resolve("charts").resolve("parity-rows.png")) > 0);
        assertTrue(Files.readString(dir.resolve("parity.txt")).contains("live kernel: HELD; port: NOT HELD"));
    }

    @Test
    void aDirectoryWithoutKernelBenchResultsIsAClearErrorNotAnEmptyReport(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        assertEquals(2, ParityReport.write(dir, new PrintStream(text, true)));
        assertTrue(text.toString().contains("has no kernel-bench.json"), text.toString());
        assertTrue(Files.notExists(dir.resolve("parity.json")));
    }
}
