package dev.ringbench.benches.charts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Draws every chart of one run directory into its {@code charts/} folder, printing what it does:
 * old PNG and SVG files removed, then scenario by scenario each spec rendered
 * ({@link ChartRenderer}) and written with its caption ({@link ChartWriter}, {@link Captions}),
 * the renderer's messages and what was skipped, and a summary. A scenario none of whose specs
 * matched its JMH JSON gets a generic chart of its primary scores. One use per instance.
 */
final class RunDrawing {
    private final RunData data;
    private final PrintStream out;
    private final Path chartsDir;
    /** The renderer's messages about the spec being drawn; printed after it. */
    private final List<String> messages = new ArrayList<>();
    private final ChartRenderer renderer;
    private final ChartWriter writer;
    private final String machine;
    private int drawn;
    private int skipped;

    /** @param out receives the progress lines and the summary */
    RunDrawing(RunData data, PrintStream out) {
        this.data = data;
        this.out = out;
        this.chartsDir = data.dir().resolve("charts");
        this.renderer = new ChartRenderer(data, messages::add);
        this.writer = new ChartWriter(chartsDir);
        this.machine = Captions.machineLine(data.env());
    }

    /** Draws everything; returns 0 when at least one chart was drawn, 1 otherwise (after a line saying so). */
    int drawAll() {
        out.println("charts: drawing from " + data.dir());
        removeOldCharts();
        if (data.env().isEmpty()) {
            out.println("  env.json missing: captions name no machine, JDK or date");
        }
        ScenarioFiles.specsByScenario(data.dir()).forEach(this::drawScenario);
        // unreadable files not named above (histogram logs; JSON is named where it was needed)
        data.problems().forEach((f, why) -> {
            if (f.startsWith("hdr/")) {
                out.println("  " + f + ": " + why);
            }
        });
        if (drawn == 0) {
            out.println("charts: nothing could be drawn from " + data.dir());
            return 1;
        }
        out.printf("charts: %d charts (PNG and SVG) in %s%s%n", drawn, chartsDir,
                skipped > 0 ? "; " + skipped + " skipped (see above)" : "");
        return 0;
    }

    /** Removes the PNG and SVG files a previous drawing left (nothing else); a line when it cannot. */
    private void removeOldCharts() {
        if (!Files.isDirectory(chartsDir)) {
            return;
        }
        try {
            List<Path> old = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(chartsDir, "*.{png,svg}")) {
                s.forEach(old::add);
            }
            old.sort(Comparator.naturalOrder());
            for (Path p : old) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            out.println("charts: cannot clear " + chartsDir + ": " + e);
        }
    }

    /** The charts of one scenario, or the line saying why there are none. */
    private void drawScenario(String id, List<ChartSpec> specs) {
        if (!ScenarioFiles.hasData(data, id)) {
            String absent = data.absent(id + ".json");
            String failed = Captions.failures(data.run(), id);
            out.println("  " + absent + (failed.isEmpty() ? "" : " (run.json: failed: " + failed + ")")
                    + ": " + id + " charts skipped");
            skipped += specs.size();
            return;
        }
        String failedRuns = Captions.failures(data.run(), id);
        if (!failedRuns.isEmpty()) {
            out.println("  " + id + ": run.json lists failed runs, their results are absent: " + failedRuns);
        }
        List<String> names = drawSpecs(id, specs);
        if (names.isEmpty() && data.results(id).isPresent()) {
            // nothing of this scenario could be drawn, yet its JMH JSON exists: show its primary scores
            if (!specs.isEmpty()) {
                out.println("  " + id + ": none of its charts matched " + id + ".json; drawing its primary scores");
            }
            names = drawSpecs(id, List.of(ScenarioFiles.genericSpec(id, data)));
        }
        if (!names.isEmpty()) {
            out.println("  " + id + ": " + String.join(", ", names));
        }
    }

    /** Renders and writes each spec, each followed by its messages; returns the names of the charts written. */
    private List<String> drawSpecs(String id, List<ChartSpec> specs) {
        List<String> names = new ArrayList<>();
        for (ChartSpec spec : specs) {
            messages.clear();
            List<Drawn> charts = render(spec);
            for (Drawn d : charts) {
                if (write(id, spec, d)) {
                    names.add(d.name());
                }
            }
            if (charts.isEmpty()) {
                skipped++;
            }
            messages.forEach(m -> out.println("  " + m));
        }
        return names;
    }

    private List<Drawn> render(ChartSpec spec) {
        try {
            return renderer.render(spec);
        } catch (RuntimeException ex) { // a bug, not missing data: report and go on with the rest
            messages.add(spec.name + ": failed: " + ex);
            return List.of();
        }
    }

    /** Writes one chart with its caption; false (and a message) when it cannot. */
    private boolean write(String id, ChartSpec spec, Drawn d) {
        try {
            writer.write(d, Captions.caption(machine, data.run(), id, spec, d));
            drawn++;
            return true;
        } catch (IOException | RuntimeException ex) {
            messages.add(d.name() + ": cannot write: " + ex);
            return false;
        }
    }
}
