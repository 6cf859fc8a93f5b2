package dev.ringbench.benches.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringbench.benches.stats.Stats;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How far a run's numbers can be trusted: for every entry of its JMH results (scenario, benchmark,
 * competitor and parameters), the primary score's median, spread (interquartile range) and spread
 * relative to the median, over every measured iteration of every fork ({@link Stats}); then the
 * share of entries whose spread is below {@link Stats#TIGHT} (20 %) of the median. The publication
 * criterion: at least {@link #CRITERION} (80 %) of the {@link #HEADLINE} scenarios' entries (the
 * throughput and kernel-bench scenarios) are. Written as {@code spread.txt} into the run directory
 * ({@code java -jar benches.jar spread <run>}, and after every suite run).
 */
public final class SpreadReport {
    /** The scenarios whose entries the publication criterion counts. */
    public static final Set<String> HEADLINE = Set.of("throughput", "kernel-bench");
    /** The share of headline entries that must be tight for a run to be published. */
    public static final double CRITERION = 0.80;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NOT_RESULTS = Set.of("env.json", "run.json", "parity.json");

    /** One entry: where it comes from and its primary score's statistics (null: no samples). */
    public record Entry(String scenario, String benchmark, String channel, Map<String, String> params, Stats stats) {
        /** Spread below {@link Stats#TIGHT} of the median. */
        public boolean tight() {
            return stats != null && stats.tight();
        }
    }

    /** The share of tight entries among {@code entries} (NaN for none). */
    public static double tightShare(List<Entry> entries) {
        return entries.isEmpty() ? Double.NaN : entries.stream().filter(Entry::tight).count() / (double) entries.size();
    }

    private SpreadReport() {
    }

    /** The entries of every JMH result file in {@code dir} ({@code <scenario>.json}), by scenario, in file order. */
    public static List<Entry> entries(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            s.forEach(files::add);
        }
        files.sort(null);
        List<Entry> entries = new ArrayList<>();
        for (Path f : files) {
            if (NOT_RESULTS.contains(f.getFileName().toString())) {
                continue;
            }
            JsonNode root;
            try {
                root = JSON.readTree(f.toFile());
            } catch (IOException e) {
                continue; // not JSON: not a result file
            }
            if (!root.isArray()) {
                continue; // an older run's extra file (an object), not JMH results
            }
            String scenario = f.getFileName().toString().replaceFirst("\\.json$", "");
            for (RunData.Result r : RunData.parseResults(root)) {
                Map<String, String> params = new TreeMap<>(r.params());
                params.remove(RunData.BENCHMARK);
                String channel = params.remove("channel");
                entries.add(new Entry(scenario, r.benchmark(), channel == null ? "-" : channel, params,
                        r.primary().stats()));
            }
        }
        return entries;
    }

    /** The report's text. */
    public static String text(String run, List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        b.append("Spread of ").append(run).append(": per entry, the primary score's median and ").append(Stats.SPREAD)
                .append(" over every measured iteration of every fork (n samples); tight: spread below ")
                .append(pct(Stats.TIGHT)).append(" of the median from at least ").append(Stats.MIN_SAMPLES)
                .append(" samples (!: not tight).\n");
        String fmt = "%-18s %-20s %-26s %-34s %4s %12s %12s %12s %8s%n";
        b.append(String.format(Locale.ROOT, fmt, "scenario", "benchmark", "channel", "params", "n", "median", "q1", "q3",
                "spread/median"));
        for (Entry e : entries) {
            Stats s = e.stats();
            String params = e.params().entrySet().stream().map(p -> p.getKey() + "=" + p.getValue())
                    .collect(Collectors.joining(","));
            b.append(String.format(Locale.ROOT, fmt, e.scenario(), e.benchmark(), e.channel(), params.isEmpty() ? "-" : params,
                    s == null ? "0" : Integer.toString(s.n()), s == null ? "-" : num(s.median()), s == null ? "-" : num(s.q1()),
                    s == null ? "-" : num(s.q3()),
                    s == null || Double.isNaN(s.relativeSpread()) ? "-" : pct(s.relativeSpread()) + (e.tight() ? "" : " !")));
        }
        b.append('\n');
        Map<String, List<Entry>> byScenario = new TreeMap<>();
        entries.forEach(e -> byScenario.computeIfAbsent(e.scenario(), k -> new ArrayList<>()).add(e));
        byScenario.forEach((id, es) -> {
            long few = es.stream().filter(e -> e.stats() != null && e.stats().n() < Stats.MIN_SAMPLES
                    && e.stats().relativeSpread() < Stats.TIGHT).count();
            b.append(String.format(Locale.ROOT, "%-18s %d of %d entries tight (%s)%s%n", id,
                    es.stream().filter(Entry::tight).count(), es.size(), pct(tightShare(es)),
                    few == 0 ? "" : "; " + few + " more within " + pct(Stats.TIGHT) + " but from fewer than "
                            + Stats.MIN_SAMPLES + " samples"));
        });
        List<Entry> headline = entries.stream().filter(e -> HEADLINE.contains(e.scenario())).toList();
        b.append('\n').append(verdict(headline)).append('\n');
        return b.toString();
    }

    /** The publication criterion's line over the headline entries. */
    static String verdict(List<Entry> headline) {
        if (headline.isEmpty()) {
            return "Publication criterion (at least " + pct(CRITERION) + " of the throughput and kernel-bench entries"
                    + " tight): not judged, this run has no such entries.";
        }
        long tight = headline.stream().filter(Entry::tight).count();
        boolean met = tight >= CRITERION * headline.size();
        return String.format(Locale.ROOT, "Publication criterion: %d of %d throughput and kernel-bench entries (%s) have a"
                + " spread below %s of the median; needs at least %s: %s.", tight, headline.size(),
                pct(tightShare(headline)), pct(Stats.TIGHT), pct(CRITERION), met ? "MET" : "NOT MET");
    }

    /**
     * Writes {@code spread.txt} into {@code dir} and prints its summary lines (per scenario, and the
     * publication criterion's verdict) to {@code out}.
     *
     * @return 0 when written, 2 when the directory holds no JMH results
     */
    public static int write(Path dir, PrintStream out) throws IOException {
        return write(dir, out, false);
    }

    /** As {@link #write(Path, PrintStream)}; {@code full}: prints the whole table, not only the summary lines. */
    public static int write(Path dir, PrintStream out, boolean full) throws IOException {
        List<Entry> entries = Files.isDirectory(dir) ? entries(dir) : List.of();
        if (entries.isEmpty()) {
            out.println("spread: " + dir + " holds no JMH results (<scenario>.json)");
            return 2;
        }
        String text = text(dir.getFileName().toString(), entries);
        Files.writeString(dir.resolve("spread.txt"), text);
        out.print(full ? text : text.substring(text.lastIndexOf("\n\n", text.lastIndexOf("\n\n") - 1) + 2));
        out.println("spread report written to " + dir.resolve("spread.txt"));
        return 0;
    }

    private static String pct(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 1e5 ? "%.4g" : "%.3f", v);
    }
}
