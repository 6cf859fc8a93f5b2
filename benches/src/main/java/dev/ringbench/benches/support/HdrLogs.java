package dev.ringbench.benches.support;

import org.openjdk.jmh.infra.BenchmarkParams;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a forked benchmark writes its HdrHistogram log: under the run directory the suite's runner
 * passes as system property {@value #OUT_DIR_PROPERTY}; without it (JMH run directly) no log is
 * written, everything else is measured and reported as usual.
 */
public final class HdrLogs {
    /** System property through which forked benchmarks find the run directory. */
    public static final String OUT_DIR_PROPERTY = "ringbench.out";

    private HdrLogs() {
    }

    /** The run directory, or null when the benchmark was not started by the suite's runner. */
    public static Path outDir() {
        String dir = System.getProperty(OUT_DIR_PROPERTY);
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

    /** {@code "a=1,b=2"}: a parameter combination as one string (for a log's comment). */
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
    public static Path file(String scenarioId, Map<String, String> params) {
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
}
