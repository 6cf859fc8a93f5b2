package dev.ringbench.benches.charts;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Draws every chart of {@link ChartSpecs} from a fixture of real results (trimmed smoke-preset
 * JMH JSON, extra result files and HdrHistogram logs, in {@code src/test/resources/charts-fixture/run}),
 * and checks the files: both formats exist, the PNG has the chart's size, every series is in the
 * SVG's description and its colour in the PNG, regenerating gives the same bytes, and missing or
 * broken results give messages, not exceptions.
 */
class ChartsTest {
    @TempDir
    Path tmp;

    /** The whole fixture, drawn once for the tests that only read the charts. */
    @TempDir
    static Path shared;
    private static Path full;
    private static Run fullRun;

    @BeforeAll
    static void drawTheFixtureOnce() throws Exception {
        System.setProperty("java.awt.headless", "true");
        full = copyFixture(shared, "2026-11-25_vm_fixture");
        fullRun = draw(full, null);
    }

    /**
     * Copies the fixture run directory into {@code tmp/results/<name>}; with {@code scenarios},
     * only those scenarios' files (and env.json, run.json), to keep a test's drawing short.
     */
    private Path fixture(String name, String... scenarios) throws IOException, URISyntaxException {
        Path dst = copyFixture(tmp, name);
        if (scenarios.length > 0) {
            try (Stream<Path> files = Files.walk(dst)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    String f = p.getFileName().toString();
                    boolean keep = f.equals("env.json") || f.equals("run.json");
                    for (String id : scenarios) {
                        keep |= f.equals(id + ".json") || f.startsWith(id + "-") || f.startsWith(id + "_");
                    }
                    if (!keep) {
                        Files.delete(p);
                    }
                }
            }
        }
        return dst;
    }

    private static Path copyFixture(Path base, String name) throws IOException, URISyntaxException {
        URL url = ChartsTest.class.getResource("/charts-fixture/run/env.json");
        assertNotNull(url, "fixture on the test class path");
        Path src = Path.of(url.toURI()).getParent();
        Path dst = base.resolve("results").resolve(name);
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return dst;
    }

    private record Run(int status, String out) {
    }

    private static Run draw(Path dir, Path base) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = Charts.draw(dir, base, out);
        return new Run(status, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void drawsEveryChartOfTheTableFromRealResults() throws Exception {
        Path dir = full;
        Run run = fullRun;
        assertEquals(0, run.status(), run.out());
        // the fixture predates the producer's CPU and send times: those two charts alone are skipped, and say why
        String out = run.out().replace("notification.json has no metric 'producerCpuNsPerRecord'", "")
                .replace("notification.json has no metric 'producerSendNsPerRecord'", "");
        assertTrue(out.contains(": chart notification-producer-cpu skipped"), run.out());
        assertTrue(out.contains(": chart notification-producer-send skipped"), run.out());
        assertFalse(out.replace(": chart notification-producer-cpu skipped", "")
                .replace(": chart notification-producer-send skipped", "").replace("; 2 skipped (see above)", "")
                .contains("skipped"), run.out());
        Path charts = dir.resolve("charts");
        for (ChartSpec spec : ChartSpecs.ALL) {
            if (spec.name.equals("notification-producer-cpu") || spec.name.equals("notification-producer-send")) {
                continue;
            }
            // the fixture has one value of every split parameter, so every chart keeps its plain name
            Path png = charts.resolve(spec.name + ".png");
            Path svg = charts.resolve(spec.name + ".svg");
            assertTrue(Files.isRegularFile(png), spec.name + ".png missing; output:\n" + run.out());
            assertTrue(Files.isRegularFile(svg), spec.name + ".svg missing");

            BufferedImage img = ImageIO.read(png.toFile());
            assertEquals(ChartRenderer.WIDTH, img.getWidth(), spec.name);
            assertTrue(img.getHeight() > ChartRenderer.HEIGHT && img.getHeight() < ChartRenderer.HEIGHT + 200,
                    spec.name + ": chart plus caption, was " + img.getHeight());

            String text = Files.readString(svg, StandardCharsets.UTF_8);
            assertTrue(text.startsWith("<?xml") && text.contains("<svg") && text.trim().endsWith("</svg>"), spec.name);
            assertTrue(text.contains("<title>" + xml(spec.title)), spec.name + ": title in the SVG");
            String desc = text.substring(text.indexOf("<desc>"), text.indexOf("</desc>"));
            List<String> series = seriesOf(desc);
            assertFalse(series.isEmpty(), spec.name + ": no series");
            Set<Integer> colours = colours(img);
            // every series' colour shows in the legend; bar charts with one bar per series have no legend
            // (the x axis names the bars), and a bar of height 0 shows no colour there
            boolean legend = !(spec.kind == ChartSpec.Kind.BARS && spec.x == null && spec.fields.isEmpty());
            for (String s : legend ? series : List.<String>of()) {
                String channel = s.split(" ")[0];
                assertTrue(colours.contains(Palette.of(channel).getRGB() & 0xFFFFFF) || anyShade(colours, channel),
                        spec.name + ": colour of " + s + " not in the PNG");
            }
            // the caption names the machine, the JDK and the date (as text in the SVG)
            assertTrue(text.contains("AMD EPYC, 2 cores"), spec.name + ": machine in the caption");
            assertTrue(text.contains("JDK Eclipse Adoptium 25"), spec.name + ": JDK in the caption");
            assertTrue(text.contains("2026-11-25"), spec.name + ": date in the caption");
        }
    }

    @Test
    void everyCompetitorOfAScenarioIsASeries() throws Exception {
        Path dir = full;
        assertEquals(0, fullRun.status(), fullRun.out());
        // contention: every channel in contention.json is a legend entry
        Set<String> channels = new java.util.TreeSet<>();
        for (RunData.Result r : new RunData(dir).results("contention").orElseThrow()) {
            channels.add(r.params().get("channel"));
        }
        assertTrue(channels.size() >= 3, "fixture has several competitors: " + channels);
        String desc = Files.readString(dir.resolve("charts/contention-throughput.svg"));
        List<String> series = seriesOf(desc.substring(desc.indexOf("<desc>"), desc.indexOf("</desc>")));
        assertEquals(List.copyOf(channels).stream().sorted(java.util.Comparator.comparingInt(
                c -> dev.ringbench.competitors.ChannelKind.valueOf(c).ordinal())).toList(), series);
        // NMI: the ring buffer's two lock eras are separate series
        String nmi = Files.readString(dir.resolve("charts/nmi-failure-rate.svg"));
        assertTrue(nmi.contains("BPF_RINGBUF_LIBBPF SPINLOCK_5_8") && nmi.contains("BPF_RINGBUF_LIBBPF RESILIENT_6_15"), nmi);
    }

    @Test
    void regeneratingGivesTheSameBytes() throws Exception {
        Map<String, byte[]> first = contents(full.resolve("charts"));
        Path dir = fixture("elsewhere"); // another directory, same files: the same charts, byte for byte
        assertEquals(0, draw(dir, null).status());
        Map<String, byte[]> second = contents(dir.resolve("charts"));
        assertEquals(first.keySet(), second.keySet());
        for (String name : first.keySet()) {
            assertArrayEquals(first.get(name), second.get(name), name + " differs after regenerating");
        }
        assertTrue(first.keySet().stream().anyMatch(n -> n.endsWith(".svg")));
    }

    @Test
    void newestRunDirectoryIsTheDefault() throws Exception {
        Path older = fixture("2026-11-24_vm_old", "throughput");
        Path newer = fixture("2026-11-25_vm_new", "throughput");
        Files.writeString(older.resolve("env.json"),
                Files.readString(older.resolve("env.json")).replace("2026-11-25T", "2026-11-24T"));
        Files.setLastModifiedTime(newer, FileTime.from(Instant.parse("2020-01-01T00:00:00Z"))); // env.json wins
        assertEquals(newer, Charts.newest(tmp.resolve("results")));
        Run run = draw(null, tmp.resolve("results"));
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains(newer.toString()), run.out());
        assertTrue(Files.isDirectory(newer.resolve("charts")));
        assertFalse(Files.exists(older.resolve("charts")));
    }

    @Test
    void noResultsAtAllIsAnErrorWithAMessage() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("results/empty"));
        Files.writeString(empty.resolve("env.json"), "{\"cores\": 2}");
        Run run = draw(empty, null);
        assertEquals(1, run.status());
        assertTrue(run.out().contains("no results in " + empty), run.out());

        Run none = draw(null, tmp.resolve("nothing-here"));
        assertEquals(1, none.status());
        assertTrue(none.out().contains("no run directory under"), none.out());

        Run notDir = draw(tmp.resolve("missing"), null);
        assertEquals(1, notDir.status());
        assertTrue(notDir.out().contains("is not a directory"), notDir.out());
    }

    @Test
    void missingScenariosAreNamedAndTheRestIsDrawn() throws Exception {
        Path dir = fixture("partial", "throughput", "contention", "notification", "latency");
        Files.delete(dir.resolve("contention.json"));
        Files.delete(dir.resolve("contention-rates.json"));
        Files.delete(dir.resolve("notification-metrics.json"));
        try (Stream<Path> logs = Files.list(dir.resolve("hdr"))) {
            for (Path p : logs.filter(p -> p.getFileName().toString().startsWith("latency_")).toList()) {
                Files.delete(p);
            }
        }
        Run run = draw(dir, null);
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("contention.json missing: contention charts skipped"), run.out());
        assertFalse(Files.exists(dir.resolve("charts/contention-throughput.png")));
        // an extra file missing: a chart with a JMH fallback is drawn from the counters, one without is skipped
        assertTrue(run.out().contains("notification-metrics.json missing; drawn from metrics 'wakeups' / [hits]"), run.out());
        assertTrue(Files.exists(dir.resolve("charts/notification-wakeups.png")));
        assertTrue(run.out().contains("notification-metrics.json missing: chart notification-cpu skipped"), run.out());
        assertFalse(Files.exists(dir.resolve("charts/notification-cpu.png")));
        // latency logs missing: the percentile plot is skipped, the percentile bars (from the extra file) drawn
        assertTrue(run.out().contains("no hdr/latency_*.hlog: chart latency skipped"), run.out());
        assertTrue(Files.exists(dir.resolve("charts/latency-percentiles.png")));
        assertTrue(Files.exists(dir.resolve("charts/throughput-parallel.png")));
    }

    @Test
    void aScenarioWithOnlyItsExtraFileDrawsWhatThatFileHolds() throws Exception {
        Path dir = fixture("rates-only", "contention");
        Files.delete(dir.resolve("contention.json"));
        Run run = draw(dir, null);
        assertEquals(0, run.status(), run.out());
        assertTrue(Files.exists(dir.resolve("charts/contention-throughput.png")), run.out());
        assertTrue(run.out().contains("contention.json missing: chart contention-drops skipped"), run.out());
        assertFalse(Files.exists(dir.resolve("charts/contention-drops.png")));
    }

    /**
     * Runs saved before {@code recovery} had its own class kept its benchmarks in
     * {@code overwrite.json}, as OverwriteScenario's; the recovery chart still draws from there.
     */
    @Test
    void aScenarioSplitOffLaterIsReadFromItsFormerFile() throws Exception {
        Path dir = fixture("before-the-split", "overwrite", "recovery");
        String old = Files.readString(dir.resolve("overwrite.json")).stripTrailing();
        String moved = Files.readString(dir.resolve("recovery.json")).strip()
                .replace("OverwriteRecoveryScenario.", "OverwriteScenario.");
        assertTrue(old.endsWith("]") && moved.startsWith("["), "both files are JSON arrays");
        Files.writeString(dir.resolve("overwrite.json"), old.substring(0, old.length() - 1) + ", " + moved.substring(1));
        Files.delete(dir.resolve("recovery.json"));
        Run run = draw(dir, null);
        assertEquals(0, run.status(), run.out());
        assertTrue(Files.exists(dir.resolve("charts/overwrite-recovery.png")), run.out());
        assertTrue(Files.exists(dir.resolve("charts/overwrite-throughput.png")), run.out());
    }

    @Test
    void aMetricTheResultsDoNotHaveIsNamed() throws Exception {
        Path dir = fixture("metric", "throughput");
        List<String> log = new ArrayList<>();
        ChartRenderer r = new ChartRenderer(new RunData(dir), log::add);
        ChartSpec spec = ChartSpec.bars("throughput", "t", "t").benchmark("parallel").x("payload", "payload")
                .y("x", "", ChartSpec.jmh("noSuchMetric"));
        assertTrue(r.render(spec).isEmpty());
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("throughput.json has no metric 'noSuchMetric' (it has: "), log.get(0));
        assertTrue(log.get(0).contains("hits") && log.get(0).endsWith("chart t skipped"), log.get(0));

        log.clear();
        ChartSpec none = ChartSpec.bars("throughput", "u", "u").benchmark("noSuchBenchmark").x("payload", "payload")
                .y("x", "", ChartSpec.jmh("hits"));
        assertTrue(r.render(none).isEmpty());
        assertEquals("throughput.json has no results for benchmark noSuchBenchmark: chart u skipped", log.get(0));
    }

    @Test
    void brokenFilesAreReportedNotThrown() throws Exception {
        Path dir = fixture("broken", "throughput", "discard");
        Files.writeString(dir.resolve("discard.json"), "[ { \"benchmark\" : ");
        Files.writeString(dir.resolve("hdr/latency_BPF_RINGBUF_LIBBPF_99.hlog"), "not a histogram log\n");
        Run run = draw(dir, null);
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("discard.json unreadable (Unexpected end-of-input"), run.out());
        assertTrue(run.out().contains("): discard charts skipped"), run.out());
        assertTrue(run.out().contains("latency_BPF_RINGBUF_LIBBPF_99.hlog"), run.out());
        assertTrue(Files.exists(dir.resolve("charts/throughput-parallel.png")));
    }

    @Test
    void unknownScenarioFilesGetAGenericChart() throws Exception {
        Path dir = fixture("unknown", "throughput");
        Files.copy(dir.resolve("throughput.json"), dir.resolve("future-scenario.json"));
        Run run = draw(dir, null);
        assertEquals(0, run.status(), run.out());
        assertTrue(Files.exists(dir.resolve("charts/future-scenario-score.png")), run.out());
    }

    @Test
    void percentileAxisAndFileNames() {
        assertEquals(0.0, ChartRenderer.percentileX(0), 1e-12);
        assertEquals(1.0, ChartRenderer.percentileX(90), 1e-12);
        assertEquals(4.0, ChartRenderer.percentileX(99.99), 1e-9);
        assertEquals("0%", ChartRenderer.percentileLabel(0));
        assertEquals("90%", ChartRenderer.percentileLabel(1));
        assertEquals("99%", ChartRenderer.percentileLabel(2));
        assertEquals("99.99%", ChartRenderer.percentileLabel(4.0000000001));
        assertEquals(" ", ChartRenderer.percentileLabel(2.5));

        assertEquals(Map.of("channel", "BPF_RINGBUF_BATCHED", "value", "100000"),
                new TreeMap<>(RunData.fileNameParams("BPF_RINGBUF_BATCHED_100000")));
        assertEquals(Map.of("channel", "PERFBUF", "payload", "8", "strategy", "SAMPLED-100"),
                new TreeMap<>(RunData.fileNameParams("PERFBUF_payload-8_strategy-SAMPLED-100")));

    }

    @Test
    void everyCompetitorHasItsOwnColour() {
        Set<Integer> seen = new HashSet<>();
        for (var k : dev.ringbench.competitors.ChannelKind.values()) {
            assertTrue(seen.add(Palette.of(k).getRGB()), k + " shares a colour");
            assertEquals(Palette.of(k), Palette.of(k.name()));
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Series names from an SVG {@code <desc>}: "Series: a; b; c." */
    private static List<String> seriesOf(String desc) {
        int start = desc.indexOf("Series: ") + "Series: ".length();
        int end = desc.indexOf(".\n", start);
        List<String> out = new ArrayList<>();
        for (String s : desc.substring(start, end).split("; ")) {
            out.add(s.replaceAll("  \\(.*\\)$", "")); // latency plots add "(n records)"
        }
        return out;
    }

    private static boolean anyShade(Set<Integer> colours, String channel) {
        Color base = Palette.of(channel);
        for (int v = 0; v < 6; v++) {
            if (colours.contains(Palette.shade(base, v).getRGB() & 0xFFFFFF)) {
                return true;
            }
        }
        return false;
    }

    private static Set<Integer> colours(BufferedImage img) {
        Set<Integer> c = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                c.add(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return c;
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    m.put(p.getFileName().toString(), in.readAllBytes());
                }
            }
        }
        return m;
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
