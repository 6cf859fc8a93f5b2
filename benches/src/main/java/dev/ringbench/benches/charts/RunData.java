package dev.ringbench.benches.charts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringbench.benches.stats.Stats;
import dev.ringbench.benches.suite.Scenario;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run directory as the charts see it, read only from the files the suite saved: the JMH JSON
 * of each scenario ({@code <id>.json}, side metrics among its secondary metrics), the extra result
 * files that runs written before the side metrics went into the JMH JSON have beside it
 * ({@code <id>-<what>.json}), the HdrHistogram logs ({@code hdr/*.hlog}), {@code env.json} and
 * {@code run.json}. Nothing is parsed from console output. Files are read lazily and once; a file
 * that is absent or unreadable reads as empty, and the reason is kept for the console.
 */
public final class RunData {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The JMH benchmark's short name, added to every result's parameters under this key. */
    public static final String BENCHMARK = "benchmark";

    /**
     * One JMH metric: score, JMH's error (NaN when JMH gave none; not used by the charts), unit, and
     * the raw per-iteration values of every fork pooled, from which the charts take the median and
     * spread ({@link Stats}).
     */
    public record Metric(double score, double error, String unit, double[] raw) {
        /** The median and spread of the raw values; null when the result has none. */
        public Stats stats() {
            return Stats.of(raw);
        }

        /**
         * The value to plot: the median of the raw per-iteration values of every fork ({@link Stats});
         * JMH's score only for a result saved without raw values.
         */
        public double value() {
            Stats s = stats();
            return s == null ? score : s.median();
        }
    }

    /** One element of a JMH JSON array: a benchmark method (or group) with one parameter combination. */
    public record Result(String benchmark, String mode, Map<String, String> params, Metric primary,
                  Map<String, Metric> secondary) {
        /** {@code "primary"} for the primary score, else a secondary metric by name; null when absent. */
        public Metric metric(String name) {
            return "primary".equals(name) ? primary : secondary.get(name);
        }
    }

    /** One entry of an older run's extra result file: the parameters and the numbers (NaN for JSON null). */
    record Extra(Map<String, String> params, Map<String, Double> values) {
    }

    /** One HdrHistogram log: its parameters (from its comment and file name) and all its intervals added up. */
    record HdrLog(Path file, String scenario, Map<String, String> params, Histogram histogram) {
    }

    private final Path dir;
    private final Map<String, Optional<List<Result>>> results = new TreeMap<>();
    private final Map<String, Optional<List<Extra>>> extras = new TreeMap<>();
    private final Map<String, String> problems = new TreeMap<>();
    private JsonNode env;
    private JsonNode run;
    private List<HdrLog> hdrLogs;

    RunData(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** Why a file could not be read (file name to message), for files that exist but failed to parse. */
    Map<String, String> problems() {
        return problems;
    }

    /** "{@code <file> missing}", or "{@code <file> unreadable (why)}" when it exists but could not be parsed. */
    String absent(String file) {
        String why = problems.get(file);
        return why == null ? file + " missing" : file + " " + why;
    }

    /** {@code env.json}, or an empty object. */
    JsonNode env() {
        if (env == null) {
            env = readTree(dir.resolve("env.json")).orElse(JSON.createObjectNode());
        }
        return env;
    }

    /** {@code run.json}, or an empty object. */
    JsonNode run() {
        if (run == null) {
            run = readTree(dir.resolve("run.json")).orElse(JSON.createObjectNode());
        }
        return run;
    }

    /**
     * The JMH results of {@code <scenario>.json}, or empty when the file is absent or unreadable.
     * A run saved before the scenario had its own class ({@link Scenario#formerlyIn()}) has them in
     * the former scenario's file: then the results there whose benchmark (method or group) the scenario's class declares.
     */
    Optional<List<Result>> results(String scenario) {
        return results.computeIfAbsent(scenario, id -> readTree(dir.resolve(id + ".json")).map(RunData::parseResults)
                .or(() -> formerResults(id)));
    }

    private Optional<List<Result>> formerResults(String id) {
        Scenario s = Scenario.ids().contains(id) ? Scenario.byId(id) : null;
        if (s == null || s.formerlyIn() == null) {
            return Optional.empty();
        }
        Set<String> methods = s.benchmarkNames();
        return readTree(dir.resolve(s.formerlyIn() + ".json")).map(RunData::parseResults)
                .map(rs -> rs.stream().filter(r -> methods.contains(r.benchmark().substring(r.benchmark().lastIndexOf('.') + 1))).toList())
                .filter(rs -> !rs.isEmpty());
    }

    /** The entries of {@code <scenario>-<what>.json}, or empty when absent or unreadable. */
    Optional<List<Extra>> extras(String scenario, String what) {
        return extras.computeIfAbsent(scenario + "-" + what,
                name -> readTree(dir.resolve(name + ".json")).map(RunData::parseExtras));
    }

    /** Every {@code hdr/*.hlog}, sorted by file name; logs that cannot be read are left out (see {@link #problems()}). */
    List<HdrLog> hdrLogs() {
        if (hdrLogs == null) {
            List<HdrLog> logs = new ArrayList<>();
            Path hdr = dir.resolve("hdr");
            if (Files.isDirectory(hdr)) {
                List<Path> files = new ArrayList<>();
                try (DirectoryStream<Path> s = Files.newDirectoryStream(hdr, "*.hlog")) {
                    s.forEach(files::add);
                } catch (IOException e) {
                    problems.put("hdr/", e.toString());
                }
                files.sort(Comparator.comparing(p -> p.getFileName().toString()));
                for (Path f : files) {
                    try {
                        HdrLog log = readHdrLog(f);
                        if (log != null) {
                            logs.add(log);
                        }
                    } catch (IOException | RuntimeException e) {
                        problems.put("hdr/" + f.getFileName(), e.toString());
                    }
                }
            }
            hdrLogs = Collections.unmodifiableList(logs);
        }
        return hdrLogs;
    }

    /** The HdrHistogram logs of one scenario. */
    List<HdrLog> hdrLogs(String scenario) {
        return hdrLogs().stream().filter(l -> l.scenario().equals(scenario)).toList();
    }

    /** Whether the directory holds any result at all: a scenario JSON, an extra file or a histogram log. */
    boolean hasAnyResults() {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (!name.equals("env.json") && !name.equals("run.json")) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return !hdrLogs().isEmpty();
    }

    private Optional<JsonNode> readTree(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            problems.put(dir.relativize(file).toString(), "unreadable ("
                    + firstLine(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString()) + ")");
            return Optional.empty();
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public static List<Result> parseResults(JsonNode array) {
        List<Result> list = new ArrayList<>();
        if (!array.isArray()) {
            return list;
        }
        for (JsonNode r : array) {
            String benchmark = r.path("benchmark").asText("");
            benchmark = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            Map<String, String> params = new TreeMap<>();
            r.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            params.put(BENCHMARK, benchmark);
            Metric primary = metric(r.path("primaryMetric"));
            Map<String, Metric> secondary = new TreeMap<>();
            r.path("secondaryMetrics").properties().forEach(e -> secondary.put(e.getKey(), metric(e.getValue())));
            list.add(new Result(benchmark, r.path("mode").asText(""), Collections.unmodifiableMap(params), primary,
                    Collections.unmodifiableMap(secondary)));
        }
        return list;
    }

    private static Metric metric(JsonNode m) {
        List<Double> raw = new ArrayList<>();
        for (JsonNode fork : m.path("rawData")) {
            for (JsonNode v : fork) {
                raw.add(number(v));
            }
        }
        return new Metric(number(m.path("score")), number(m.path("scoreError")), m.path("scoreUnit").asText(""),
                raw.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** A JSON number, or JMH's {@code "NaN"} string, or null: NaN when not a number. */
    private static double number(JsonNode v) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    static List<Extra> parseExtras(JsonNode root) {
        List<Extra> list = new ArrayList<>();
        if (!root.isObject()) {
            return list;
        }
        // keys sorted: the file's order depends on which fork wrote first
        Map<String, JsonNode> sorted = new TreeMap<>();
        root.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        for (JsonNode entry : sorted.values()) {
            Map<String, String> params = new TreeMap<>();
            entry.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            Map<String, Double> values = new TreeMap<>();
            entry.properties().forEach(e -> {
                if (!e.getKey().equals("params")) {
                    values.put(e.getKey(), number(e.getValue()));
                }
            });
            list.add(new Extra(Collections.unmodifiableMap(params), Collections.unmodifiableMap(values)));
        }
        return list;
    }

    private static final Pattern KEY_VALUE = Pattern.compile("([A-Za-z][A-Za-z0-9]*)=([^\\s,;]+)");

    /**
     * Reads one log: all intervals added into one histogram; parameters from the file name
     * ({@code <scenario>_<CHANNEL>_<name-value or value>_...}) and, where present, the
     * {@code name=value} pairs of its comment lines, which win.
     */
    static HdrLog readHdrLog(Path file) throws IOException {
        String stem = file.getFileName().toString().replaceFirst("\\.hlog$", "");
        int us = stem.indexOf('_');
        String scenario = us < 0 ? stem : stem.substring(0, us);
        Map<String, String> params = new TreeMap<>(fileNameParams(us < 0 ? "" : stem.substring(us + 1)));
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("#[")) {
                continue; // StartTime, BaseTime, format version
            }
            Matcher m = KEY_VALUE.matcher(line);
            while (m.find()) {
                params.put(m.group(1), m.group(2));
            }
        }
        params.remove("latency"); // "latency = receive - intended" in a comment is no parameter
        Histogram total = null;
        try {
            HistogramLogReader reader = new HistogramLogReader(file.toFile());
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                if (h instanceof Histogram interval) {
                    if (total == null) {
                        total = new Histogram(interval.getNumberOfSignificantValueDigits());
                        total.setAutoResize(true);
                    }
                    total.add(interval);
                }
            }
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
        if (total == null || total.getTotalCount() == 0) {
            return new HdrLog(file, scenario, Collections.unmodifiableMap(params), null);
        }
        return new HdrLog(file, scenario, Collections.unmodifiableMap(params), total);
    }

    /** {@code CHANNEL_a-1_b-2} or {@code CHANNEL_1}: the channel (the longest kind name that matches) and the rest. */
    static Map<String, String> fileNameParams(String rest) {
        Map<String, String> p = new LinkedHashMap<>();
        String channel = null;
        for (String n : Kinds.NAMES) {
            if ((rest.equals(n) || rest.startsWith(n + "_")) && (channel == null || n.length() > channel.length())) {
                channel = n;
            }
        }
        if (channel == null) {
            int us = rest.indexOf('_');
            channel = us < 0 ? rest : rest.substring(0, us);
        }
        if (!channel.isEmpty()) {
            p.put("channel", channel);
        }
        String tail = rest.length() > channel.length() ? rest.substring(channel.length() + 1) : "";
        int unnamed = 0;
        for (String token : tail.isEmpty() ? new String[0] : tail.split("_")) {
            int dash = token.indexOf('-');
            if (dash > 0 && Character.isLetter(token.charAt(0))) {
                p.put(token.substring(0, dash), token.substring(dash + 1));
            } else {
                p.put(unnamed++ == 0 ? "value" : "value" + unnamed, token);
            }
        }
        return p;
    }
}
