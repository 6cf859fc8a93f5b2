package dev.ringbench.benches.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code java -jar benches.jar charts [dir]}: draws every chart of {@link ChartSpecs} that the
 * results in a run directory allow, as PNG and SVG in {@code <dir>/charts/}. Reads only the saved
 * files. Whatever is missing is named on the console and its charts are skipped; the exit status
 * is 0 when at least one chart was drawn, 1 when the directory holds no results (or nothing in it
 * could be drawn). The drawing itself is {@link RunDrawing}'s.
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
        Path run = dir != null ? dir : newest(base);
        if (run == null) {
            out.println("charts: no run directory under " + base + "/ (run `java -jar benches.jar run` first, "
                    + "or name one: charts <dir>)");
            return 1;
        }
        String notARun = notARun(run);
        if (notARun != null) {
            out.println("charts: " + notARun);
            return 1;
        }
        return new RunDrawing(new RunData(run), out).drawAll();
    }

    /** "AMD EPYC, 2 cores, 23.5 GiB · Linux ... · JDK ... · 2026-11-25 22:24 UTC · commit abc · preset standard". */
    public static String machineLine(JsonNode env) {
        return Captions.machineLine(env);
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
}
