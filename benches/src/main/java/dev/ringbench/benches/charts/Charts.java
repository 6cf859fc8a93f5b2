package dev.ringbench.benches.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringbench.benches.suite.Scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code java -jar benches.jar charts [dir]}: draws every chart of {@link ChartSpecs} that the
 * results in a run directory allow, as PNG and SVG in {@code <dir>/charts/}. Reads only the saved
 * files. Whatever is missing is named on the console and its charts are skipped; the exit status
 * is 0 when at least one chart was drawn, 1 when the directory holds no results (or nothing in it
 * could be drawn).
 */
public final class Charts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Charts() {
    }

    /**
     * Null when {@code dir} is a run directory (it holds results to draw from); otherwise one line
     * saying why not.
     */
    public static String notARun(Path dir) {
        if (!Files.isDirectory(dir)) {
            return dir + " is not a directory";
        }
        if (!new RunData(dir).hasAnyResults()) {
            return "no results in " + dir + " (no scenario JSON, extra result files or hdr/*.hlog): nothing to draw";
        }
        return null;
    }

    /**
     * Draws the charts of {@code dir}, or of the newest run directory under {@code base} when
     * {@code dir} is null.
     *
     * @return 0 when at least one chart was drawn, 1 otherwise
     */
    public static int draw(Path dir, Path base, PrintStream out) {
        System.setProperty("java.awt.headless", "true"); // before any AWT class loads: no display here
        if (dir == null) {
            dir = newest(base);
            if (dir == null) {
                out.println("charts: no run directory under " + base + "/ (run `java -jar benches.jar run` first, "
                        + "or name one: charts <dir>)");
                return 1;
            }
        }
        String notARun = notARun(dir);
        if (notARun != null) {
            out.println("charts: " + notARun);
            return 1;
        }
        RunData data = new RunData(dir);
        out.println("charts: drawing from " + dir);
        Path chartsDir = dir.resolve("charts");
        try {
            clean(chartsDir);
        } catch (IOException e) {
            out.println("charts: cannot clear " + chartsDir + ": " + e);
        }
        List<String> messages = new ArrayList<>();
        ChartRenderer renderer = new ChartRenderer(data, messages::add);
        ChartWriter writer = new ChartWriter(chartsDir);
        String machine = machineLine(data.env());
        if (data.env().isEmpty()) {
            out.println("  env.json missing: captions name no machine, JDK or date");
        }

        Map<String, List<ChartSpec>> byScenario = new LinkedHashMap<>();
        for (ChartSpec s : ChartSpecs.ALL) {
            byScenario.computeIfAbsent(s.scenario, k -> new ArrayList<>()).add(s);
        }
        // result files of scenarios without specs (a scenario added later): a generic chart each
        for (String id : unknownScenarioFiles(dir, byScenario.keySet())) {
            byScenario.put(id, List.of());
        }

        int drawn = 0;
        int skipped = 0;
        for (var e : byScenario.entrySet()) {
            String id = e.getKey();
            if (!hasData(data, id)) {
                String failed = failures(data.run(), id);
                out.println("  " + data.absent(id + ".json") + (failed.isEmpty() ? "" : " (run.json: failed: " + failed + ")")
                        + ": " + id + " charts skipped");
                skipped += e.getValue().size();
                continue;
            }
            String failedRuns = failures(data.run(), id);
            if (!failedRuns.isEmpty()) {
                out.println("  " + id + ": run.json lists failed runs, their results are absent: " + failedRuns);
            }
            List<ChartSpec> specs = new ArrayList<>(e.getValue());
            int before = drawn;
            List<String> names = new ArrayList<>();
            for (int pass = 0; pass < 2; pass++) {
                for (ChartSpec spec : specs) {
                    messages.clear();
                    List<Drawn> charts;
                    try {
                        charts = renderer.render(spec);
                    } catch (RuntimeException ex) { // a bug, not missing data: report and go on with the rest
                        messages.add(spec.name + ": failed: " + ex);
                        charts = List.of();
                    }
                    for (Drawn d : charts) {
                        try {
                            writer.write(d, caption(machine, data.run(), id, spec, d));
                            names.add(d.name());
                            drawn++;
                        } catch (IOException | RuntimeException ex) {
                            messages.add(d.name() + ": cannot write: " + ex);
                        }
                    }
                    if (charts.isEmpty()) {
                        skipped++;
                    }
                    messages.forEach(m -> out.println("  " + m));
                }
                if (drawn > before || pass == 1 || data.results(id).isEmpty()) {
                    break;
                }
                // nothing of this scenario could be drawn, yet its JMH JSON exists: show its primary scores
                specs = List.of(genericSpec(id, data));
                if (!e.getValue().isEmpty()) {
                    out.println("  " + id + ": none of its charts matched " + id + ".json; drawing its primary scores");
                }
            }
            if (drawn > before) {
                out.println("  " + id + ": " + String.join(", ", names));
            }
        }
        // unreadable files not named above (histogram logs; JSON is named where it was needed)
        data.problems().forEach((f, why) -> {
            if (f.startsWith("hdr/")) {
                out.println("  " + f + ": " + why);
            }
        });
        if (drawn == 0) {
            out.println("charts: nothing could be drawn from " + dir);
            return 1;
        }
        out.printf("charts: %d charts (PNG and SVG) in %s%s%n", drawn, chartsDir,
                skipped > 0 ? "; " + skipped + " skipped (see above)" : "");
        return 0;
    }

    /** Whether any file of the scenario is there: its JMH JSON, an extra file, or a histogram log. */
    private static boolean hasData(RunData data, String id) {
        if (data.results(id).isPresent() || !data.hdrLogs(id).isEmpty()) {
            return true;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(data.dir(), id + "-*.json")) {
            for (Path p : s) {
                String what = p.getFileName().toString();
                what = what.substring(id.length() + 1, what.length() - ".json".length());
                // "<id>-<what>.json" where <id>-<what> is not itself another scenario's id
                if (Scenario.ids().stream().noneMatch(o -> p.getFileName().toString().equals(o + ".json"))
                        && data.extras(id, what).isPresent()) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** {@code <x>.json} files that belong to no known scenario and are not an extra file of one. */
    private static Set<String> unknownScenarioFiles(Path dir, Set<String> known) {
        Set<String> ids = new TreeSet<>();
        Set<String> all = new LinkedHashSet<>(known);
        all.addAll(Scenario.ids());
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : s) {
                String id = p.getFileName().toString().replaceFirst("\\.json$", "");
                if (id.equals("env") || id.equals("run") || all.contains(id)
                        || all.stream().anyMatch(k -> id.startsWith(k + "-"))) {
                    continue;
                }
                try {
                    if (JSON.readTree(p.toFile()).isArray()) { // JMH's format
                        ids.add(id);
                    }
                } catch (IOException e) {
                    // not JSON: not a result file
                }
            }
        } catch (IOException e) {
            return ids;
        }
        return ids;
    }

    /** Primary score per benchmark, series per competitor and every other parameter. */
    private static ChartSpec genericSpec(String id, RunData data) {
        Set<String> params = new TreeSet<>();
        String unit = "";
        for (RunData.Result r : data.results(id).orElse(List.of())) {
            params.addAll(r.params().keySet());
            unit = r.primary().unit();
        }
        params.remove("channel");
        params.remove(RunData.BENCHMARK);
        return ChartSpec.bars(id, id + "-score", id + ": primary score of each benchmark")
                .x(RunData.BENCHMARK, "benchmark").variants(params.toArray(String[]::new))
                .y("primary score", unit, ChartSpec.jmh("primary"))
                .note("A generic chart: no chart of this scenario matched its results.");
    }

    /** The caption: the run, then what the chart shows and leaves out. */
    static List<String> caption(String machine, JsonNode run, String id, ChartSpec spec, Drawn d) {
        List<String> lines = new ArrayList<>();
        lines.add(machine);
        StringBuilder notes = new StringBuilder();
        if (spec.note != null) {
            notes.append(spec.note);
        }
        for (String n : d.notes()) {
            notes.append(notes.isEmpty() ? "" : " ").append(n);
        }
        String left = leftOut(run, id);
        if (!left.isEmpty()) {
            notes.append(notes.isEmpty() ? "" : " ").append(left);
        }
        String failed = failures(run, id);
        if (!failed.isEmpty()) {
            notes.append(notes.isEmpty() ? "" : " ").append("Failed in this run: ").append(failed).append('.');
        }
        if (!notes.isEmpty()) {
            lines.add(notes.toString());
        }
        return lines;
    }

    /** run.json's left-out competitors of a scenario, grouped by reason: "Not supported: A, B." */
    static String leftOut(JsonNode run, String id) {
        Map<String, List<String>> byReason = new TreeMap<>();
        for (JsonNode n : run.path("leftOut").path(id)) {
            String s = n.asText();
            int colon = s.indexOf(": ");
            String kind = colon < 0 ? s : s.substring(0, colon);
            String reason = colon < 0 ? "left out" : s.substring(colon + 2);
            int paren = reason.indexOf(" (");
            reason = paren < 0 ? reason : reason.substring(0, paren);
            byReason.computeIfAbsent(reason, r -> new ArrayList<>()).add(kind);
        }
        StringBuilder sb = new StringBuilder();
        byReason.forEach((reason, kinds) -> sb.append(sb.isEmpty() ? "" : " ")
                .append(Character.toUpperCase(reason.charAt(0))).append(reason.substring(1))
                .append(", not shown: ").append(String.join(", ", kinds)).append('.'));
        return sb.toString();
    }

    /**
     * run.json's failures of a scenario ({@code "<id> [KIND, ...]: <exception>"}), competitors
     * grouped by message: {@code "A, B (RunnerException: Benchmark caught the exception)"}.
     */
    static String failures(JsonNode run, String id) {
        Map<String, Set<String>> byMessage = new TreeMap<>();
        for (JsonNode n : run.path("failures")) {
            String s = n.asText();
            if (!s.startsWith(id + " ")) {
                continue;
            }
            String rest = s.substring(id.length() + 1);
            String kinds = "";
            if (rest.startsWith("[") && rest.contains("]")) {
                kinds = rest.substring(1, rest.indexOf(']'));
                rest = rest.substring(rest.indexOf(']') + 1);
            }
            String message = rest.replaceFirst("^:\\s*", "")
                    .replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z]\\w*(?:Exception|Error))", "$1");
            if (message.length() > 120) {
                message = message.substring(0, 117) + "...";
            }
            Set<String> set = byMessage.computeIfAbsent(message, m -> new TreeSet<>());
            for (String k : kinds.split(",\\s*")) {
                if (!k.isBlank()) {
                    set.add(k.trim());
                }
            }
        }
        List<String> parts = new ArrayList<>();
        byMessage.forEach((m, kinds) -> parts.add((kinds.isEmpty() ? "" : String.join(", ", kinds) + " ")
                + "(" + m + ")"));
        return String.join("; ", parts);
    }

    /** "AMD EPYC, 2 cores, 23.5 GiB · Linux ... · JDK ... · 2026-11-25 22:24 UTC · commit abc · preset standard". */
    public static String machineLine(JsonNode env) {
        List<String> parts = new ArrayList<>();
        String cpu = env.path("cpuModel").asText("");
        int cores = env.path("cores").asInt(0);
        long mem = env.path("memoryBytes").asLong(-1);
        StringBuilder m = new StringBuilder(cpu.isEmpty() ? "unknown CPU" : cpu);
        if (cores > 0) {
            m.append(", ").append(cores).append(cores == 1 ? " core" : " cores");
        }
        if (mem > 0) {
            m.append(String.format(Locale.ROOT, ", %.1f GiB", mem / (1024.0 * 1024 * 1024)));
        }
        parts.add(m.toString());
        if (!env.path("os").asText("").isEmpty()) {
            parts.add(env.path("os").asText());
        }
        parts.add("JDK " + env.path("jdk").asText("unknown"));
        String date = env.path("date").asText("");
        try {
            date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                    .format(Instant.parse(date).atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            date = date.isEmpty() ? "date unknown" : date;
        }
        parts.add(date);
        String commit = env.path("gitCommit").asText("");
        if (!commit.isEmpty()) {
            parts.add("commit " + commit + (env.path("gitDirty").asBoolean(false) ? " with local changes" : ""));
        }
        if (!env.path("preset").asText("").isEmpty()) {
            parts.add("preset " + env.path("preset").asText());
        }
        return "Run: " + String.join(" · ", parts);
    }

    /** The newest run directory under {@code base} (by env.json's date, else modification time), or null. */
    public static Path newest(Path base) {
        if (base == null || !Files.isDirectory(base)) {
            return null;
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(base, Files::isDirectory)) {
            s.forEach(dirs::add);
        } catch (IOException e) {
            return null;
        }
        Map<Path, Instant> when = new TreeMap<>();
        for (Path d : dirs) {
            if (!Files.isRegularFile(d.resolve("env.json")) && !Files.isRegularFile(d.resolve("run.json"))) {
                continue;
            }
            Instant t = null;
            try {
                t = Instant.parse(JSON.readTree(d.resolve("env.json").toFile()).path("date").asText());
            } catch (IOException | DateTimeParseException e) {
                // fall back to the modification time
            }
            if (t == null) {
                try {
                    t = Files.getLastModifiedTime(d).toInstant();
                } catch (IOException e) {
                    continue;
                }
            }
            when.put(d, t);
        }
        return when.entrySet().stream()
                .max(Map.Entry.<Path, Instant>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(null);
    }

    /** Removes the PNG and SVG files a previous drawing left (nothing else). */
    private static void clean(Path chartsDir) throws IOException {
        if (!Files.isDirectory(chartsDir)) {
            return;
        }
        List<Path> old = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(chartsDir, "*.{png,svg}")) {
            s.forEach(old::add);
        }
        old.sort(Comparator.naturalOrder());
        for (Path p : old) {
            Files.deleteIfExists(p);
        }
    }
}
