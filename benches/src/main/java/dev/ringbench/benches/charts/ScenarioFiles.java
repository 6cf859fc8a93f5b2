package dev.ringbench.benches.charts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringbench.benches.suite.Scenario;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which scenarios a run directory holds and which specs draw them: the specs of {@link ChartSpecs}
 * by scenario, plus scenarios with result files but no specs (a scenario added later), which get
 * {@link #genericSpec a generic chart}. Reads file names and, for unknown {@code <x>.json}, whether
 * the file is a JSON array (JMH's format).
 */
final class ScenarioFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScenarioFiles() {
    }

    /**
     * The specs to draw, by scenario id: {@link ChartSpecs#ALL}'s scenarios in table order, then
     * result files of scenarios without specs (empty lists), sorted by id.
     */
    static Map<String, List<ChartSpec>> specsByScenario(Path dir) {
        Map<String, List<ChartSpec>> byScenario = new LinkedHashMap<>();
        for (ChartSpec s : ChartSpecs.ALL) {
            byScenario.computeIfAbsent(s.scenario, k -> new ArrayList<>()).add(s);
        }
        // result files of scenarios without specs (a scenario added later): a generic chart each
        for (String id : unknownScenarioFiles(dir, byScenario.keySet())) {
            byScenario.put(id, List.of());
        }
        return byScenario;
    }

    /** Whether any file of the scenario is there: its JMH JSON, an extra file, or a histogram log. */
    static boolean hasData(RunData data, String id) {
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
    static ChartSpec genericSpec(String id, RunData data) {
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
}
