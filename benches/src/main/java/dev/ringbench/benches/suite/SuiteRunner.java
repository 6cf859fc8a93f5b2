package dev.ringbench.benches.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ringbench.benches.support.HdrLogs;
import dev.ringbench.benches.support.SideMetricsProfiler;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs a {@link RunPlan} with JMH and writes the run directory: one JMH JSON file per scenario
 * (the runs of every library merged), HdrHistogram logs from latency scenarios, {@code env.json}
 * and {@code run.json} (what ran, what was left out and why, what failed).
 */
public final class SuiteRunner {
    /** System property through which forked benchmarks find the run directory (for HdrHistogram logs). */
    public static final String OUT_DIR_PROPERTY = HdrLogs.OUT_DIR_PROPERTY;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What runs after the scenario files and {@code run.json} are written, when the run holds a
     * scenario that asks for it ({@link Scenario#parityReport()}): the command line passes the
     * parity report here, so the suite does not depend on the package that reads its results.
     */
    @FunctionalInterface
    public interface Report {
        void write(Path runDirectory, PrintStream out) throws IOException;
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Report parityReport;
    private final Report spreadReport;
    private final java.util.function.BooleanSupplier gitDirty;

    /** A runner that writes no report after the run. */
    public SuiteRunner(PrintStream out) {
        this(out, (dir, o) -> { }, (dir, o) -> { });
    }

    /**
     * @param parityReport written after a run that holds a scenario asking for it
     * @param spreadReport written after every run (the spread of every entry, {@code spread.txt})
     */
    public SuiteRunner(PrintStream out, Report parityReport, Report spreadReport) {
        this(out, parityReport, spreadReport, Environment::gitDirty);
    }

    /** As above, asking {@code gitDirty} whether the tree is dirty (tests: a fake). */
    SuiteRunner(PrintStream out, Report parityReport, Report spreadReport, java.util.function.BooleanSupplier gitDirty) {
        this.out = out;
        this.err = System.err;
        this.parityReport = parityReport;
        this.spreadReport = spreadReport;
        this.gitDirty = gitDirty;
    }

    /**
     * Refuses a publishable run from a tree with uncommitted changes: a published number must name
     * the commit it was measured on, and a dirty tree has none.
     *
     * @param gitDirty whether the working tree has uncommitted changes to tracked files
     * @throws BadInput when it has
     */
    public static void refuseDirtyTree(java.util.function.BooleanSupplier gitDirty) {
        if (gitDirty.getAsBoolean()) {
            throw new BadInput("--publish: the git tree has uncommitted changes (git status --porcelain"
                    + " --untracked-files=no lists them); commit or stash them, then run again");
        }
    }

    /** {@code <base>/<date>_<host>_<commit>/}. */
    public static Path runDirectory(Path base) {
        String name = LocalDate.now() + "_" + Environment.hostName() + "_" + Environment.gitCommit();
        return base.resolve(name.replaceAll("[^A-Za-z0-9._-]", "-"));
    }

    /** Runs every step of the plan, not for publication. */
    public int run(RunPlan plan, Path dir, List<String> command) throws IOException {
        return run(plan, dir, command, false);
    }

    /**
     * Runs every step of the plan, watched by the quiet-machine guard ({@link QuietMachine}), and
     * writes the spread report after it.
     *
     * @param publish a run for publication: refused on a dirty tree ({@link #refuseDirtyTree}) before
     *                anything runs, and marked {@code published: true} in run.json
     * @return the number of JMH runs that failed (0 when all passed)
     */
    public int run(RunPlan plan, Path dir, List<String> command, boolean publish) throws IOException {
        if (publish) {
            refuseDirtyTree(gitDirty);
        }
        Files.createDirectories(dir.resolve("hdr"));
        Map<String, Object> speed = new LinkedHashMap<>();
        speed.put("what", "GiB/s of taskset -c N dd if=/dev/zero of=/dev/null bs=256k (10 GiB) per CPU: a JVM-free"
                + " speed probe; a host slow mode shows as a slower CPU");
        speed.put("atStart", QuietMachine.speedProbe());
        Map<String, Object> env = Environment.capture(plan.preset(), command);
        Files.writeString(dir.resolve("env.json"), JSON.writeValueAsString(env));
        QuietMachine guard = QuietMachine.ofThisMachine(err);
        try {
            guard.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while watching the machine before the run", e);
        }
        out.printf("ringbench: %d JMH runs, preset %s, estimated %s; results in %s%n", plan.steps().size(),
                plan.preset().name().toLowerCase(), format(plan.estimateMillis(0)), dir);
        plan.leftOut().forEach((s, why) -> why.forEach(w -> out.printf("  %s: left out %s%n", s.id(), w)));

        Map<Scenario, ArrayNode> merged = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        Scenario watched = null;
        for (int i = 0; i < plan.steps().size(); i++) {
            RunPlan.Step step = plan.steps().get(i);
            if (step.scenario() != watched) {
                if (watched != null) {
                    guard.endScenario(watched.id());
                }
                watched = step.scenario();
                guard.scenario(watched.id());
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            out.printf("[%d/%d] %s: %s%s (%d combinations) elapsed %s, remaining ~%s%n", i + 1, plan.steps().size(),
                    step.scenario().id(), step.kinds(), step.producers() > 0 ? " producers=" + step.producers() : "",
                    step.combinations(), format(elapsed), format(plan.estimateMillis(i)));
            Path json = dir.resolve("tmp-" + i + ".json");
            try {
                new Runner(options(plan.preset(), step, dir, json)).run();
                JsonNode results = JSON.readTree(json.toFile());
                merged.computeIfAbsent(step.scenario(), s -> JSON.createArrayNode()).addAll((ArrayNode) results);
            } catch (RunnerException | RuntimeException e) {
                String why = step.scenario().id() + " " + step.kinds() + ": " + e;
                failures.add(why);
                out.println("FAILED " + why);
            } finally {
                Files.deleteIfExists(json);
            }
        }
        if (watched != null) {
            guard.endScenario(watched.id());
        }
        guard.stop();
        speed.put("atEnd", QuietMachine.speedProbe());
        for (var e : merged.entrySet()) {
            Files.writeString(dir.resolve(e.getKey().id() + ".json"), JSON.writeValueAsString(e.getValue()));
            for (String problem : PrimaryScoreCheck.check(e.getValue())) { // a primary score must count records delivered
                String why = e.getKey().id() + ": " + problem;
                failures.add(why);
                out.println("FAILED " + why);
            }
        }
        Map<String, Object> quiet = guard.summary();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("published", publish);
        summary.put("disturbed", guard.disturbed());
        summary.put("preset", plan.preset().name().toLowerCase());
        summary.put("command", String.join(" ", command));
        summary.put("scenarios", merged.keySet().stream().map(Scenario::id).toList());
        Map<String, List<String>> left = new LinkedHashMap<>();
        plan.leftOut().forEach((s, why) -> left.put(s.id(), why));
        summary.put("leftOut", left);
        summary.put("failures", failures);
        summary.put("elapsedSeconds", (System.nanoTime() - start) / 1_000_000_000L);
        summary.put("loadAverageAtEnd", quiet.get("loadAverageAtEnd"));
        summary.put("quietMachine", quiet);
        summary.put("speedProbe", speed);
        Files.writeString(dir.resolve("run.json"), JSON.writeValueAsString(summary));
        Map<String, Object> quietEnv = new LinkedHashMap<>();
        for (String k : List.of("disturbed", "rule", "loadAverageAtStart", "loadAverageAtEnd", "loadAverageMax",
                "otherCpuSeconds", "stealCpuSeconds", "why")) {
            quietEnv.put(k, quiet.get(k));
        }
        quietEnv.put("speedProbe", speed);
        env.put("published", publish);
        env.put("quietMachine", quietEnv); // the summary beside the machine; per scenario in run.json
        Files.writeString(dir.resolve("env.json"), JSON.writeValueAsString(env));
        if (!merged.isEmpty()) {
            spreadReport.write(dir, out);
        }
        if (merged.keySet().stream().anyMatch(Scenario::parityReport)) {
            parityReport.write(dir, out);
        }
        if (guard.disturbed()) {
            err.println("WARNING: disturbed run (other work on the machine): " + String.join("; ", guard.why()) + ". See run.json's quietMachine.");
        }
        out.printf("done in %s: %d scenario files, %d failures, in %s%n",
                format((System.nanoTime() - start) / 1_000_000), merged.size(), failures.size(), dir);
        return failures.size();
    }

    static org.openjdk.jmh.runner.options.Options options(Preset preset, RunPlan.Step step, Path dir, Path json) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + Pattern.quote(step.scenario().benchmarkClass()) + "\\.")
                .forks(preset.forks())
                .warmupIterations(preset.warmupIterations())
                .warmupTime(TimeValue.milliseconds(preset.warmupMillis()))
                .measurementIterations(preset.iterations())
                .measurementTime(TimeValue.milliseconds(preset.measurementMillis()))
                .param("channel", step.kinds().stream().map(Enum::name).toArray(String[]::new))
                // one call: a second jvmArgsAppend would replace the first
                .jvmArgsAppend(forkArgs(step, dir))
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .addProfiler(SideMetricsProfiler.class) // the scenarios' per-iteration side metrics
                .shouldFailOnError(true);
        step.params().forEach((k, v) -> b.param(k, v.split(",")));
        if (step.producers() > 0) {
            b.param("producers", Integer.toString(step.producers()));
        }
        if (step.scenario().gcProfiler()) {
            b.addProfiler(GCProfiler.class);
        }
        return b.build();
    }

    /** The library's own flags, and where to write HdrHistogram logs; nothing else. */
    static String[] forkArgs(RunPlan.Step step, Path dir) {
        List<String> args = new ArrayList<>(step.library().jvmArgs());
        args.add("-D" + OUT_DIR_PROPERTY + "=" + dir.toAbsolutePath());
        return args.toArray(String[]::new);
    }

    static String format(long millis) {
        Duration d = Duration.ofMillis(millis);
        return String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
