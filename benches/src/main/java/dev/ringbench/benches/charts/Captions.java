package dev.ringbench.benches.charts;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The text under a chart: the run (machine, JDK, date, commit, preset, from env.json), then what the
 * chart shows and leaves out (the spec's note, the chart's notes, and run.json's left-out and failed
 * competitors of its scenario). Pure functions of the JSON they are given.
 */
final class Captions {
    private Captions() {
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
        boolean fromExtraFile = d.notes().stream().anyMatch(n -> n.startsWith("Values from '")); // an older run's fallback
        if (fromJmh(spec) && !fromExtraFile && !notes.toString().contains(ChartSpec.STATISTICS)) {
            notes.append(notes.isEmpty() ? "" : " ").append(ChartSpec.STATISTICS);
        }
        String disturbed = disturbed(run, id);
        if (!disturbed.isEmpty()) {
            lines.add(disturbed);
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

    /** Whether the chart's values come from JMH metrics (lines or bars of a {@link ChartSpec.Jmh} or ratio source). */
    static boolean fromJmh(ChartSpec spec) {
        if (spec.kind == ChartSpec.Kind.HDR) {
            return false;
        }
        List<ChartSpec.Source> sources = new ArrayList<>();
        if (spec.y != null) {
            sources.addAll(spec.y.sources());
        }
        spec.fields.forEach(f -> sources.add(f.source()));
        return sources.stream().anyMatch(src -> !(src instanceof ChartSpec.ExtraField));
    }

    /**
     * "Disturbed run: ..." when run.json's quiet-machine guard says the run, or this scenario, was
     * disturbed (other work on the machine while it ran), with the guard's reasons; else "".
     */
    static String disturbed(JsonNode run, String id) {
        JsonNode guard = run.path("quietMachine");
        JsonNode scenario = guard.path("scenarios").path(id);
        List<String> why = new ArrayList<>();
        if (guard.path("disturbedAtStart").asBoolean(false)) {
            guard.path("startWhy").forEach(w -> why.add(w.asText()));
        }
        if (scenario.path("disturbed").asBoolean(false)) {
            scenario.path("why").forEach(w -> why.add(w.asText()));
        }
        if (why.isEmpty() && scenario.isMissingNode() && run.path("disturbed").asBoolean(false)) {
            guard.path("why").forEach(w -> why.add(w.asText())); // no per-scenario record: the run's reasons
        }
        if (why.isEmpty() && run.path("disturbed").asBoolean(false) && scenario.isMissingNode()) {
            why.add("see run.json");
        }
        return why.isEmpty() ? "" : "Disturbed run: " + String.join("; ", why) + ". Its numbers may be low or spread.";
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
    static String machineLine(JsonNode env) {
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
}
