package dev.ringbench.benches.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringbench.benches.suite.SuiteRunner;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Results that are not rates (ratios, percentiles), written by a forked benchmark beside the JMH
 * JSON: {@code <run dir>/<scenario-id>-<what>.json}, one JSON object whose keys are the parameter
 * combinations, {@code "channel=X,name=value,..."} (JMH's parameter names, sorted), and whose
 * values hold the parameters ({@code "params"}) and plain numbers (null where undefined, e.g. a
 * ratio over zero records). Each fork merges its own entry into the file, under a file lock. The
 * run directory comes from {@link SuiteRunner#OUT_DIR_PROPERTY}; without it (JMH run directly)
 * nothing is written. The file format is {@link ScenarioResultFile}'s; this variant takes the
 * parameters straight from JMH ({@link #params(BenchmarkParams)}).
 */
public final class ExtraResults {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExtraResults() {
    }

    /** The run directory, or null when the benchmark was not started by the suite's runner. */
    public static Path outDir() {
        String dir = System.getProperty(SuiteRunner.OUT_DIR_PROPERTY);
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /** JMH's parameters of this run, sorted by name. */
    public static Map<String, String> params(BenchmarkParams bp) {
        List<String> keys = new ArrayList<>(bp.getParamsKeys());
        keys.sort(null);
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : keys) {
            m.put(k, bp.getParam(k));
        }
        return m;
    }

    /** {@code "a=1,b=2"}: the key of a parameter combination. */
    public static String key(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    /**
     * {@code <run dir>/hdr/<scenario-id>_<channel>_<other params>.hlog} (parameters as
     * {@code name-value}, joined by {@code _}; in values, {@code _} and any character other than a
     * letter, digit, {@code .} or {@code -} become {@code -}, so that {@code _} only separates), or
     * null without a run directory. Write the exact parameters into the log's comment as well.
     */
    public static Path hdrLog(String scenarioId, Map<String, String> params) {
        Path dir = outDir();
        if (dir == null) {
            return null;
        }
        StringBuilder name = new StringBuilder(scenarioId).append('_').append(params.getOrDefault("channel", "none"));
        params.forEach((k, v) -> {
            if (!k.equals("channel")) {
                name.append('_').append(k).append('-').append(v.replaceAll("[^A-Za-z0-9.-]", "-"));
            }
        });
        return dir.resolve("hdr").resolve(name.toString().replaceAll("[^A-Za-z0-9._-]", "-") + ".hlog");
    }

    /**
     * Merges one combination's numbers into {@code <run dir>/<scenarioId>-<what>.json}.
     *
     * @return the file written, or null without a run directory
     */
    public static Path put(String scenarioId, String what, Map<String, String> params, Map<String, ? extends Number> values) {
        Path dir = outDir();
        if (dir == null) {
            return null;
        }
        Path file = dir.resolve(scenarioId + "-" + what + ".json");
        try {
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(dir.resolve("." + scenarioId + "-" + what + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                ObjectNode root = Files.exists(file) && Files.size(file) > 0
                        ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
                ObjectNode entry = JSON.createObjectNode();
                ObjectNode p = entry.putObject("params");
                params.forEach(p::put);
                values.forEach((k, v) -> {
                    if (v instanceof Double || v instanceof Float) {
                        double d = v.doubleValue();
                        if (Double.isFinite(d)) {
                            entry.put(k, d);
                        } else {
                            entry.putNull(k); // e.g. a ratio over zero records: JSON has no NaN
                        }
                    } else {
                        entry.put(k, v.longValue());
                    }
                });
                root.set(key(params), entry);
                Path tmp = dir.resolve(file.getFileName() + ".tmp");
                Files.writeString(tmp, JSON.writeValueAsString(root));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
