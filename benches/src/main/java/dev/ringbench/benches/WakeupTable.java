package dev.ringbench.benches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringbench.benches.charts.RunData;
import dev.ringbench.benches.scenarios.NotificationScenario;
import dev.ringbench.competitors.ChannelKind;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints the notification scenario's results as a table: per competitor and strategy, delivered
 * throughput and drops, notifications and wake-ups per 1000 records, consumer CPU and latency percentiles, all from
 * the JMH JSON, {@code notification.json} (the latter as the secondary metrics the scenario reports
 * per iteration: their median over every iteration of every fork, as the charts show them). A run directory written before those metrics went
 * into the JMH JSON has them in {@code notification-metrics.json} beside it, which is read when
 * present. Nothing is taken from console output.
 */
final class WakeupTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WakeupTable() {
    }

    /** One row: a parameter combination's numbers (NaN where a file did not have them). */
    record Row(Map<String, String> params, double hits, double drops, double notificationsPer1000,
               double wakeupsPer1000, double cpuNsPerRecord,
               double cpuUtilisation, double emptyAwaitsPer1000, double p50, double p99, double p999, double p9999,
               double max) {
    }

    static void print(Path json, PrintStream out) {
        try {
            List<Row> rows = read(json);
            if (rows.isEmpty()) {
                out.println("wake-up table: no results in " + json);
                return;
            }
            out.print(format(rows));
        } catch (IOException | RuntimeException e) {
            out.println("wake-up table: cannot read " + json + ": " + e);
        }
    }

    /**
     * Reads the JMH JSON and the metrics file beside it, one row per parameter combination. The
     * two are matched by their parameters (the metrics file's {@code "params"} of each entry).
     */
    static List<Row> read(Path json) throws IOException {
        Map<Map<String, String>, JsonNode> metrics = new LinkedHashMap<>();
        Path metricsFile = json.resolveSibling(NotificationScenario.ID + "-metrics.json");
        if (Files.exists(metricsFile)) {
            for (JsonNode entry : JSON.readTree(metricsFile.toFile())) {
                metrics.put(params(entry.path("params")), entry);
            }
        }
        Map<Map<String, String>, Row> rows = new LinkedHashMap<>();
        if (Files.exists(json)) {
            for (JsonNode run : JSON.readTree(json.toFile())) {
                Map<String, String> params = params(run.path("params"));
                JsonNode sec = run.path("secondaryMetrics");
                JsonNode m = metrics.containsKey(params) ? metrics.get(params) : scores(sec);
                rows.put(params, row(params, score(sec, "hits"), score(sec, "drops"), m));
            }
        }
        metrics.forEach((params, m) -> rows.computeIfAbsent(params, k -> row(params, Double.NaN, Double.NaN, m)));
        List<Row> list = new ArrayList<>(rows.values());
        list.sort(Comparator.comparing((Row r) -> kindOrder(r.params().get("channel")))
                .thenComparing(r -> r.params().getOrDefault("ratePerSecond", ""))
                .thenComparing(r -> strategyOrder(r.params().getOrDefault("strategy", "")))
                .thenComparing(r -> r.params().getOrDefault("strategy", "")));
        return list;
    }

    private static Row row(Map<String, String> params, double hits, double drops, JsonNode m) {
        return new Row(params, hits, drops, num(m, "notificationsPer1000"), num(m, "wakeupsPer1000"),
                num(m, "consumerCpuNsPerRecord"),
                num(m, "consumerCpuUtilisation"), num(m, "emptyAwaitsPer1000"), num(m, "latencyP50Ns"),
                num(m, "latencyP99Ns"), num(m, "latencyP999Ns"), num(m, "latencyP9999Ns"), num(m, "latencyMaxNs"));
    }

    /** A combination's parameters, sorted by name (so that both files' maps compare equal). */
    private static Map<String, String> params(JsonNode node) {
        Map<String, String> p = new TreeMap<>();
        node.properties().forEach(e -> p.put(e.getKey(), e.getValue().asText()));
        return p;
    }

    /** The secondary metrics' medians ({@link #score}), by name. */
    private static JsonNode scores(JsonNode secondary) {
        com.fasterxml.jackson.databind.node.ObjectNode m = JSON.createObjectNode();
        secondary.properties().forEach(e -> m.put(e.getKey(), score(secondary, e.getKey())));
        return m;
    }

    /**
     * A metric's value as the charts show it: the median of its per-iteration samples of every fork
     * ({@link RunData.Metric#value()}, {@link dev.ringbench.benches.stats.Stats}); NaN when absent.
     */
    private static double score(JsonNode secondary, String name) {
        if (!secondary.has(name)) {
            return Double.NaN;
        }
        com.fasterxml.jackson.databind.node.ArrayNode one = JSON.createArrayNode();
        one.addObject().set("primaryMetric", secondary.path(name));
        return RunData.parseResults(one).get(0).primary().value();
    }

    private static double num(JsonNode m, String name) {
        if (m == null) {
            return Double.NaN;
        }
        JsonNode v = m.path(name);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static int kindOrder(String kind) {
        try {
            return ChannelKind.valueOf(kind).ordinal();
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static int strategyOrder(String strategy) {
        String name = strategy.contains(":") ? strategy.substring(0, strategy.indexOf(':')) : strategy;
        int i = NotificationScenario.RINGBUF_STRATEGIES.indexOf(name);
        if (i >= 0) {
            return i;
        }
        i = NotificationScenario.PERFBUF_STRATEGIES.indexOf(name);
        return i >= 0 ? 10 + i : 100;
    }

    /** The table as text. */
    static String format(List<Row> rows) {
        String[] head = {"channel", "strategy", "offered/s", "delivered/s", "drops/s", "notif/1k", "wakeups/1k",
                "cpu ns/rec",
                "cpu %", "empty/1k", "p50 us", "p99 us", "p99.9 us", "p99.99 us", "max us"};
        List<String[]> cells = new ArrayList<>();
        for (Row r : rows) {
            cells.add(new String[] {
                    r.params().getOrDefault("channel", "?"),
                    r.params().getOrDefault("strategy", "?"),
                    r.params().getOrDefault("ratePerSecond", "?"),
                    count(r.hits()), count(r.drops()),
                    fixed(r.notificationsPer1000(), 1), fixed(r.wakeupsPer1000(), 1), fixed(r.cpuNsPerRecord(), 0), fixed(100 * r.cpuUtilisation(), 1),
                    fixed(r.emptyAwaitsPer1000(), 2),
                    micros(r.p50()), micros(r.p99()), micros(r.p999()), micros(r.p9999()), micros(r.max())});
        }
        int[] width = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            width[i] = head[i].length();
            for (String[] c : cells) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Notification strategies at a fixed offered load (latency = receive - intended send time; ")
                .append("consumer await timeout ").append(NotificationScenario.AWAIT_TIMEOUT_NANOS / 1_000_000)
                .append(" ms)\n");
        line(sb, head, width);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        sb.append(rule).append('\n');
        for (String[] c : cells) {
            line(sb, c, width);
        }
        sb.append("notif/1k: notifications per 1000 records delivered (a producer signalled a possibly sleeping ")
                .append("consumer; '-' for the kernel's rings, which do not count them);\nwakeups/1k: wake-ups ")
                .append("per 1000 records (a sleeping consumer returned because it was signalled);\n")
                .append("cpu: the consumer thread's CPU time ")
                .append("(cpu %: share of one core);\nempty/1k: awaits that returned no record (timeouts, ")
                .append("readiness on a record not yet committed); '-': not measured.\n");
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] c, int[] width) {
        for (int i = 0; i < c.length; i++) {
            if (i > 0) {
                sb.append("  ");
            }
            sb.append(i < 2 ? pad(c[i], width[i], false) : pad(c[i], width[i], true));
        }
        sb.append('\n');
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }

    private static String count(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String micros(double ns) {
        return Double.isNaN(ns) ? "-" : String.format(Locale.ROOT, ns < 10_000 ? "%.1f" : "%,.0f", ns / 1000.0);
    }
}
