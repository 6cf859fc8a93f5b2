package dev.ringbench.benches.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ringbench.benches.charts.Charts;
import dev.ringbench.benches.charts.ParityChart;
import dev.ringbench.benches.charts.RunData;
import dev.ringbench.benches.stats.Stats;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Does the port behave like the kernel? Reads a run's {@code kernel-bench.json} and writes
 * {@code parity.json}, {@code parity.txt} and two charts ({@code charts/parity-rows.png},
 * {@code charts/parity-sample-rate.png}): for every row of {@code run_bench_ringbufs.sh}, the
 * kernel's published 2020 number beside this run's live kernel, port and (where it exists) port
 * woken by park/unpark, each the median of its per-iteration samples with their interquartile range
 * ({@link Stats}) and mean ± stddev; then the six conclusions the original's authors drew ({@link Conclusions}),
 * each evaluated on this run's numbers, for the live kernel and for the port separately.
 */
public final class ParityReport {
    /** The sides of the comparison, as parity.json names them. */
    public static final String KERNEL = "kernel";
    public static final String PORT = "port";
    public static final String PORT_PARK = "portPark";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final double M = 1e-6;

    /**
     * Per-record side metrics the parity JSON carries for each side (not the text table): CPU time
     * (producer threads, consumer thread, or the one back-to-back thread) and the two wake-up events.
     */
    static final List<String> PER_RECORD = List.of("producerCpuNsPerRecord", "consumerCpuNsPerRecord",
            "threadCpuNsPerRecord", "notificationsPer1000", "wakeupsPer1000");

    /**
     * One side's measurement of one row: hits and drops (M/s), wake-ups (per s), and the
     * {@link #PER_RECORD} metrics it has.
     */
    public record Measured(String kind, String point, Stats hits, Stats drops, Stats wakeups, Map<String, Stats> perRecord) {
    }

    private final Map<String, RunData.Result> byKindPoint = new HashMap<>();
    private final List<ParityRow> rows;
    private final Map<ParityRow, Map<String, Measured>> measured = new LinkedHashMap<>();

    private ParityReport(List<RunData.Result> results) {
        int maxProducers = 0;
        for (RunData.Result r : results) {
            String point = r.params().get("point");
            byKindPoint.put(r.params().get("channel") + "|" + point, r);
            if (point != null && point.startsWith("prod-")) {
                maxProducers = Math.max(maxProducers, Integer.parseInt(point.substring(5).replaceAll("\\+.*", "")));
            }
        }
        rows = Published.rows(Math.max(maxProducers, 1));
        for (ParityRow row : rows) {
            Map<String, Measured> sides = new LinkedHashMap<>();
            put(sides, KERNEL, kernelKind(row.consumer()), row.point());
            put(sides, PORT, portKind(row.consumer()), row.point());
            if (row.hasParkTwin()) {
                put(sides, PORT_PARK, portKind(row.consumer()), row.parkPoint());
            }
            measured.put(row, sides);
        }
    }

    private void put(Map<String, Measured> sides, String side, String kind, String point) {
        RunData.Result r = byKindPoint.get(kind + "|" + point);
        if (r == null) {
            return;
        }
        RunData.Metric drops = r.metric("drops");
        RunData.Metric wakeups = r.metric("wakeups");
        Map<String, Stats> perRecord = new LinkedHashMap<>();
        for (String name : PER_RECORD) {
            RunData.Metric m = r.metric(name);
            Stats s = m == null ? null : Stats.of(m.raw(), 1);
            if (s != null) {
                perRecord.put(name, s);
            }
        }
        sides.put(side, new Measured(kind, point, Stats.of(r.primary().raw(), M),
                drops == null ? null : Stats.of(drops.raw(), M), wakeups == null ? null : Stats.of(wakeups.raw(), 1),
                perRecord));
    }

    static String kernelKind(String consumer) {
        return switch (consumer) {
            case "rb-libbpf" -> "KERNEL_RINGBUF_LIBBPF";
            case "rb-custom" -> "KERNEL_RINGBUF_BATCHED";
            default -> "KERNEL_PERFBUF";
        };
    }

    static String portKind(String consumer) {
        return switch (consumer) {
            case "rb-libbpf" -> "BPF_RINGBUF_LIBBPF";
            case "rb-custom" -> "BPF_RINGBUF_BATCHED";
            default -> "PERFBUF";
        };
    }

    /** This run's measurement of the row named {@code name} in {@code section}, on {@code side}; null if not measured. */
    Measured get(String section, String name, String side) {
        for (var e : measured.entrySet()) {
            if (e.getKey().section().equals(section) && e.getKey().name().equals(name)) {
                return e.getValue().get(side);
            }
        }
        return null;
    }

    /**
     * Reads {@code dir/kernel-bench.json}, writes the report files into {@code dir}.
     *
     * @return 0 when written, 2 when the directory holds no kernel-bench results (a one-line reason is printed)
     */
    public static int write(Path dir, PrintStream out) throws IOException {
        Path file = dir.resolve("kernel-bench.json");
        if (!Files.isRegularFile(file)) {
            out.println("parity: " + dir + " has no kernel-bench.json (run: java -jar benches.jar run kernel-bench)");
            return 2;
        }
        List<RunData.Result> results = RunData.parseResults(JSON.readTree(file.toFile()));
        ParityReport report = new ParityReport(results);
        List<Conclusions.Evaluated> conclusions = Conclusions.evaluate(report);
        JsonNode env = Files.isRegularFile(dir.resolve("env.json")) ? JSON.readTree(dir.resolve("env.json").toFile()) : null;
        String machine = env == null ? "machine unknown (no env.json)" : Charts.machineLine(env);

        List<String> leftOut = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve("run.json"))) {
            JSON.readTree(dir.resolve("run.json").toFile()).path("leftOut").path("kernel-bench")
                    .forEach(n -> leftOut.add(n.asText()));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", dir.getFileName().toString());
        json.put("machine", machine);
        json.put("published", "bpf-next mail of 2020-05-29, 28-core Intel Xeon E5-2680 v4 @ 2.40GHz, M records/s");
        json.put("units", "hits and drops in M records/s; wakeups per second; *CpuNsPerRecord in ns and *Per1000"
                + " per 1000 records delivered; median of the per-iteration samples"
                + " with q1-q3 (" + Stats.SPREAD + ") and min-max; mean and stddev as the kernel's table");
        json.put("sides", new TreeMap<>(Map.of(KERNEL, "the live kernel's maps, the original's BPF programs, one BPF_PROG_TEST_RUN per batch",
                PORT, "the port and the perf-buffer analogue, one Java call per batch, consumers woken through an eventfd",
                PORT_PARK, "the same, consumers woken by the JVM's park/unpark"))); // sorted: the same file every time
        List<Map<String, Object>> rowsJson = new ArrayList<>();
        for (var e : report.measured.entrySet()) {
            ParityRow row = e.getKey();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("section", row.section());
            m.put("row", row.name());
            m.put("consumer", row.consumer());
            m.put("point", row.point());
            Map<String, Object> pub = new LinkedHashMap<>();
            pub.put("mean", nan(row.published()));
            pub.put("stddev", nan(row.publishedStddev()));
            pub.put("drops", nan(row.publishedDrops()));
            m.put("published", pub);
            for (String side : List.of(KERNEL, PORT, PORT_PARK)) {
                Measured x = e.getValue().get(side);
                if (x != null) {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("kind", x.kind());
                    s.put("point", x.point());
                    s.put("hits", x.hits());
                    s.put("drops", x.drops());
                    s.put("wakeupsPerSecond", x.wakeups());
                    s.putAll(x.perRecord());
                    m.put(side, s);
                }
            }
            rowsJson.add(m);
        }
        json.put("leftOut", leftOut);
        json.put("rows", rowsJson);
        json.put("conclusions", conclusions);
        json.put("triggers", new TreeMap<>(Map.of(KERNEL, "one bpf(BPF_PROG_TEST_RUN) per batch of a raw tracepoint program looping"
                        + " batch_cnt times (fentry on getpgid is not available on this kernel)",
                PORT, "one Java call per batch looping batch_cnt times over the port's (or analogue's) helpers")));
        Files.writeString(dir.resolve("parity.json"), JSON.writeValueAsString(json));
        String text = report.text(machine, conclusions, leftOut);
        Files.writeString(dir.resolve("parity.txt"), text);
        report.charts(dir.resolve("charts"), machine);
        out.print(text);
        out.println("parity: wrote " + dir.resolve("parity.json") + ", parity.txt and charts/parity-*.png");
        return 0;
    }

    private static Object nan(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private String text(String machine, List<Conclusions.Evaluated> conclusions, List<String> leftOut) {
        StringBuilder b = new StringBuilder();
        b.append("Does the port behave like the kernel? (").append(machine).append(")\n");
        leftOut.forEach(l -> b.append("Left out of this run: ").append(l).append('\n'));
        b.append("M records/s: published 2020 mean; this run's median [25th-75th percentile] of the per-iteration samples\n");
        String section = null;
        String fmt = "  %-22s %10s  %-26s %-26s %-26s%n";
        for (var e : measured.entrySet()) {
            ParityRow row = e.getKey();
            if (!row.section().equals(section)) {
                section = row.section();
                b.append('\n').append(section).append('\n');
                b.append(String.format(Locale.ROOT, fmt, "row", "published", "live kernel", "port (eventfd)", "port (park)"));
            }
            b.append(String.format(Locale.ROOT, fmt, row.name(), Double.isNaN(row.published()) ? "-" : f(row.published()),
                    cell(e.getValue().get(KERNEL)), cell(e.getValue().get(PORT)), cell(e.getValue().get(PORT_PARK))));
        }
        b.append("\nThe original's conclusions, on this run's numbers\n");
        for (Conclusions.Evaluated c : conclusions) {
            b.append(String.format(Locale.ROOT, "%d. %s%n   live kernel: %s; port: %s%s%n", c.number(), c.text(),
                    word(c.kernel()), word(c.port()), c.portPark() == null ? "" : "; port woken by park/unpark: " + word(c.portPark())));
            for (Conclusions.Check k : c.checks()) {
                b.append(String.format(Locale.ROOT, "   - %s (published %s, needs %s): kernel %s, port %s%s%n", k.what(),
                        f(k.published()), k.rule(), ratio(k.kernel()), ratio(k.port()),
                        k.portPark() == null ? "" : ", port+park " + ratio(k.portPark())));
            }
        }
        return b.toString();
    }

    private static String word(Boolean held) {
        return held == null ? "not measured" : held ? "HELD" : "NOT HELD";
    }

    private static String ratio(Double r) {
        return r == null ? "-" : f(r);
    }

    private static String cell(Measured m) {
        if (m == null || m.hits() == null) {
            return "-";
        }
        Stats s = m.hits();
        String drops = m.drops() != null && m.drops().median() > 0.0005 ? " d" + f(m.drops().median()) : "";
        return f(s.median()) + " [" + f(s.q1()) + "-" + f(s.q3()) + "]" + drops;
    }

    static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : v >= 1 ? "%.2f" : "%.3f", v);
    }

    private void charts(Path dir, String machine) throws IOException {
        List<String> cats = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String s : List.of("published 2020 (28-core Xeon)", "live kernel", "port, eventfd wake-ups", "port, park/unpark")) {
            series.put(s, new ArrayList<>());
        }
        for (var e : measured.entrySet()) {
            ParityRow row = e.getKey();
            if (row.section().equals(Published.RB_RATE) || row.section().equals(Published.PB_RATE)
                    || row.section().equals(Published.PB_PROD)) {
                continue;
            }
            cats.add(shortSection(row.section()) + " " + row.name());
            List<List<Double>> cols = new ArrayList<>(series.values());
            cols.get(0).add(Double.isNaN(row.published()) ? null : row.published());
            cols.get(1).add(median(e.getValue().get(KERNEL)));
            cols.get(2).add(median(e.getValue().get(PORT)));
            cols.get(3).add(median(e.getValue().get(PORT_PARK)));
        }
        List<String> caption = List.of(machine, "Median of each row's per-iteration samples. Live kernel: the original's BPF"
                + " programs, one BPF_PROG_TEST_RUN per batch (no fentry here). Port: the port and the perf-buffer analogue,"
                + " one Java call per batch; consumers sleep and are woken through an eventfd (or by park/unpark)."
                + " Published: the kernel's 2020 numbers on a 28-core Xeon; this machine has " + Runtime.getRuntime().availableProcessors()
                + " CPUs. See parity.txt for spreads and the conclusions.");
        ParityChart.bars(dir, "parity-rows", "Kernel benchmark rows: published, live kernel, port", cats, series, caption);

        List<Double> xs = new ArrayList<>();
        for (int r : Published.RATES) {
            xs.add((double) r);
        }
        Map<String, List<Double>> sweep = new LinkedHashMap<>();
        sweep.put("published 2020, ring buffer", boxed(Published.RB_RATE_PUBLISHED));
        sweep.put("live kernel, ring buffer", sweepOf(Published.RB_RATE, "rb", KERNEL));
        sweep.put("port, ring buffer", sweepOf(Published.RB_RATE, "rb", PORT));
        sweep.put("published 2020, perf buffer", boxed(Published.PB_RATE_PUBLISHED));
        sweep.put("live kernel, perf buffer", sweepOf(Published.PB_RATE, "pb", KERNEL));
        sweep.put("analogue, perf buffer", sweepOf(Published.PB_RATE, "pb", PORT));
        ParityChart.lines(dir, "parity-sample-rate", "Back-to-back, effect of sample rate (batch = rate)",
                "sample rate = batch (records)", xs, sweep, List.of(machine, "Custom consumers (rb-custom, pb-custom);"
                        + " median of the per-iteration samples. Dashed: the kernel's published 2020 numbers."));
    }

    private List<Double> sweepOf(String section, String prefix, String side) {
        List<Double> out = new ArrayList<>();
        for (int r : Published.RATES) {
            out.add(median(get(section, prefix + "-sampled-" + r, side)));
        }
        return out;
    }

    private static List<Double> boxed(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double x : v) {
            out.add(x);
        }
        return out;
    }

    static Double median(Measured m) {
        return m == null || m.hits() == null ? null : m.hits().median();
    }

    private static String shortSection(String s) {
        return switch (s) {
            case Published.PARALLEL -> "par";
            case Published.PARALLEL_SAMPLED -> "par-smp";
            case Published.B2B -> "b2b";
            case Published.RB_OUTPUT -> "b2b-out";
            case Published.RB_OUTPUT_SAMPLED -> "smp-out";
            case Published.SAME_CPU -> "same-cpu";
            case Published.RB_PROD -> "contention";
            default -> s;
        };
    }
}
