package dev.ringbench.benches;

import dev.ringbench.benches.scenarios.NotificationScenario;
import dev.ringbench.benches.suite.BadInput;
import dev.ringbench.benches.charts.SpreadReport;
import dev.ringbench.benches.suite.BuildInfo;
import dev.ringbench.benches.suite.Environment;
import dev.ringbench.benches.suite.ParamOverrides;
import dev.ringbench.benches.suite.Preset;
import dev.ringbench.benches.suite.RunPlan;
import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.suite.Selection;
import dev.ringbench.benches.suite.SuiteRunner;
import dev.ringbench.benches.parity.ParityReport;
import dev.ringbench.competitors.ChannelKind;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The program behind {@code java -jar benches.jar}. With no arguments it runs every scenario with
 * the standard preset and then draws the charts.
 *
 * <p>Errors a user makes (an unknown command, option, scenario, competitor, preset or parameter
 * value; a directory that is not a run) are usage errors in every command: one line on stderr
 * saying what was wrong and what is valid, exit status 2, no stack trace. A command reports them
 * by throwing {@link BadInput}; picocli's own parse errors are printed the same way.
 */
@Command(name = "benches.jar", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "ringbench: the BPF ring buffer port raced against its peers. "
                + "With no command: run every scenario (standard preset), then draw the charts.",
        subcommands = {Main.ListCommand.class, Main.RunCommand.class, Main.WakeupCommand.class,
                Main.ChartsCommand.class, Main.SpreadCommand.class, Main.ParityCommand.class, Main.JmhCommand.class, Main.DemoCommand.class})
public final class Main implements Callable<Integer> {
    static List<String> commandLine = List.of();

    public static void main(String[] args) throws Exception {
        // Several suites may run on one machine (and CI beside a session): don't serialise on /tmp/jmh.lock.
        System.setProperty("jmh.ignoreLock", "true");
        if (args.length > 0 && args[0].equals("jmh")) { // JMH's own options, unchanged, even "-p x=y"
            System.exit(JmhPassThrough.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        commandLine = new ArrayList<>(List.of("java", "-jar", "benches.jar"));
        commandLine.addAll(Arrays.asList(args));
        System.exit(commandLine(System.err).execute(args));
    }

    /** The command tree, printing usage errors to {@code err} as one line each. */
    static CommandLine commandLine(PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((e, args) -> usageError(err, e.getCommandLine(), oneLine(e)));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof BadInput) {
                return usageError(err, cmd, e.getMessage());
            }
            throw e;
        });
        return cl;
    }

    private static int usageError(PrintStream err, CommandLine cmd, String message) {
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
        return CommandLine.ExitCode.USAGE;
    }

    /** Picocli's message, with what is valid where picocli knows it (commands, close matches). */
    private static String oneLine(CommandLine.ParameterException e) {
        String message = e.getMessage().replace(System.lineSeparator(), " ").trim();
        CommandLine cmd = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            if (!u.getSuggestions().isEmpty()) {
                message += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
            }
            if (u.isUnknownOption()) {
                message += "; options: " + String.join(", ", cmd.getCommandSpec().options().stream()
                        .map(CommandLine.Model.OptionSpec::longestName).toList());
            } else if (!cmd.getSubcommands().isEmpty()) {
                message += "; commands: " + String.join(", ", cmd.getSubcommands().keySet());
            }
        }
        return message + " (see: " + cmd.getCommandSpec().qualifiedName() + " --help)";
    }

    /** {@code --version}: the project version and commit this jar was built from, and the JDK running it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                    "ringbench " + BuildInfo.version() + " (commit " + BuildInfo.commit() + ")",
                    "JDK " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                            + " (" + System.getProperty("java.home") + ")"};
        }
    }

    @Override
    public Integer call() throws Exception {
        RunCommand run = new RunCommand();
        run.preset = Preset.STANDARD;
        int rc = run.call();
        return rc != 0 ? rc : ChartsCommand.draw(run.lastRunDirectory);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List scenarios, competitors and presets.")
    static final class ListCommand implements Callable<Integer> {
        @Option(names = "--ids", description = "Print only the scenario ids, one per line (for scripts).")
        boolean idsOnly;

        @Override
        public Integer call() {
            if (idsOnly) {
                Scenario.ids().forEach(System.out::println);
                return 0;
            }
            System.out.println("Scenarios:");
            for (Scenario s : Scenario.values()) {
                System.out.printf("  %-18s %s%n", s.id(), s.question());
            }
            System.out.println("Competitors:");
            for (ChannelKind k : ChannelKind.values()) {
                String unavailable = k.unavailableReason();
                System.out.printf("  %-24s %s; JVM flags: %s%s%n", k, k.capabilities(),
                        k.library().jvmArgs().isEmpty() ? "none" : String.join(" ", k.library().jvmArgs()),
                        unavailable == null ? "" : "; unavailable here: " + unavailable);
            }
            System.out.println("Presets:");
            for (Preset p : Preset.values()) {
                long ms = RunPlan.of(Scenario.values(), p, EnumSet.noneOf(ChannelKind.class), defaultProducers())
                        .estimateMillis(0);
                System.out.printf("  %-9s forks %d, warm-up %d x %d ms, measurement %d x %d ms; every scenario: estimated %s"
                                + " (run --dry-run --preset %s: per scenario)%n", p.name().toLowerCase(), p.forks(),
                        p.warmupIterations(), p.warmupMillis(), p.iterations(), p.measurementMillis(), minutes(ms),
                        p.name().toLowerCase());
            }
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run scenarios (all when none is named).")
    static final class RunCommand implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "SCENARIO",
                description = "Scenario ids (see list), or regular expressions found in an id or a JMH class name "
                        + "(as JMH selects benchmarks; case ignored).")
        List<String> scenarios = new ArrayList<>();

        @Option(names = "--preset", description = "smoke, standard or full (default: ${DEFAULT-VALUE}).",
                converter = PresetConverter.class)
        Preset preset = Preset.STANDARD;

        @Option(names = "--competitors", split = ",", paramLabel = "KIND",
                description = "Competitors to include, by name or regular expression (default: all; see list).")
        List<String> competitors = new ArrayList<>();

        @Option(names = "--producers", paramLabel = "N",
                description = "Largest producer count in sweeps: 1, 2, 4, ... N (default: twice the cores, at least 4;"
                        + " here ${DEFAULT-VALUE}).")
        int producers = defaultProducers();

        @Option(names = {"-p", "--param"}, paramLabel = "NAME=V1,V2",
                description = "A JMH @Param's values, replacing the preset's, in every named scenario that has it "
                        + "(as JMH's -p; `producers` sets a sweep's counts).")
        List<String> params = new ArrayList<>();

        @Option(names = "--out", description = "Base directory for results (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("results");

        @Option(names = "--dry-run", description = "Print the plan and its time estimate (per scenario and in total), run nothing.")
        boolean dryRun;

        @Option(names = "--publish", description = "A run for publication: refused when the git tree has uncommitted "
                + "changes; run.json and env.json say published: true.")
        boolean publish;

        Path lastRunDirectory;

        @Override
        public Integer call() throws Exception {
            List<Scenario> chosen = scenarios.isEmpty() ? Scenario.values() : Scenario.select(scenarios);
            Set<ChannelKind> kinds = competitors.isEmpty() ? EnumSet.noneOf(ChannelKind.class)
                    : EnumSet.copyOf(Selection.select("competitor", competitors, List.of(ChannelKind.values()),
                    k -> List.of(k.name())));
            if (producers < 1) {
                throw new BadInput("--producers " + producers + ": must be 1 or more");
            }
            RunPlan plan = RunPlan.of(chosen, preset, kinds, producers, ParamOverrides.parse(params, chosen));
            if (dryRun) {
                for (RunPlan.Step st : plan.steps()) {
                    System.out.printf("%-18s %-10s %s%s: %d combinations%n", st.scenario().id(), st.library(), st.kinds(),
                            st.producers() > 0 ? " producers=" + st.producers() : "", st.combinations());
                }
                plan.leftOut().forEach((sc, why) -> why.forEach(w -> System.out.println(sc.id() + ": left out " + w)));
                printEstimate(plan);
                if (publish) {
                    SuiteRunner.refuseDirtyTree(Environment::gitDirty);
                }
                return 0;
            }
            if (publish) { // before anything is created or run
                SuiteRunner.refuseDirtyTree(Environment::gitDirty);
            }
            if (plan.steps().isEmpty()) {
                List<String> why = new ArrayList<>();
                plan.leftOut().forEach((sc, w) -> w.forEach(x -> why.add(sc.id() + ": " + x)));
                throw new BadInput("nothing to run" + (why.isEmpty() ? "" : ": " + String.join("; ", why)));
            }
            lastRunDirectory = SuiteRunner.runDirectory(out);
            int failures = new SuiteRunner(System.out, ParityReport::write, SpreadReport::write)
                    .run(plan, lastRunDirectory, commandLine, publish);
            return failures == 0 ? 0 : 1;
        }
    }

    @Command(name = "wakeup", mixinStandardHelpOptions = true,
            description = "Compare notification strategies and print a table of them.")
    static final class WakeupCommand implements Callable<Integer> {
        @Option(names = "--preset", converter = PresetConverter.class,
                description = "smoke, standard or full (default: ${DEFAULT-VALUE}).")
        Preset preset = Preset.STANDARD;

        @Option(names = "--out", description = "Base directory for results (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("results");

        @Override
        public Integer call() throws Exception {
            RunCommand run = new RunCommand();
            run.scenarios = List.of(NotificationScenario.ID);
            run.preset = preset;
            run.out = out;
            int rc = run.call();
            WakeupTable.print(run.lastRunDirectory.resolve(NotificationScenario.ID + ".json"), System.out);
            return rc;
        }
    }

    @Command(name = "charts", mixinStandardHelpOptions = true,
            description = "Regenerate the charts from a saved results directory (default: the newest under results/).")
    static final class ChartsCommand implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() {
            String notARun = dir == null ? null : dev.ringbench.benches.charts.Charts.notARun(dir);
            if (notARun != null) {
                throw new BadInput(notARun + "; a run directory is one `run` wrote, e.g. results/<date>_<host>_<commit>");
            }
            return draw(dir);
        }

        /** Draws the charts of {@code dir} (null: the newest run under results/): 0 when any was drawn. */
        static int draw(Path dir) {
            int rc = dev.ringbench.benches.charts.Charts.draw(dir, Path.of("results"), System.out);
            Path run = dir != null ? dir : dev.ringbench.benches.charts.Charts.newest(Path.of("results"));
            if (run != null && java.nio.file.Files.isRegularFile(run.resolve("kernel-bench.json"))) {
                try { // the kernel-bench's charts are the parity report's: drawn is drawn
                    int parity = dev.ringbench.benches.parity.ParityReport.write(run, System.out);
                    rc = rc == 0 ? parity : parity == 0 ? 0 : rc;
                } catch (java.io.IOException e) {
                    System.out.println("parity: cannot write the report: " + e);
                    return 1;
                }
            }
            Path results = dir == null ? Path.of("results") : dir.toAbsolutePath().getParent();
            if (rc == 0 && results != null && results.getFileName() != null
                    && results.getFileName().toString().equals("results")) {
                try {
                    System.out.println("index of " + dev.ringbench.benches.suite.ResultsIndex.write(results)
                            + " runs written to " + results.resolve("README.md"));
                } catch (java.io.IOException e) {
                    System.out.println("could not write the results index: " + e);
                    return 1;
                }
            }
            return rc;
        }
    }

    @Command(name = "spread", mixinStandardHelpOptions = true,
            description = "For every entry of a run's JMH results: median, spread (interquartile range) and spread/median "
                    + "over every iteration of every fork, and whether the run meets the publication criterion (at least "
                    + "80 % of the throughput and kernel-bench entries with a spread below 20 % of the median); "
                    + "writes spread.txt into the run directory.")
    static final class SpreadCommand implements Callable<Integer> {
        @Parameters(arity = "1", paramLabel = "DIR", description = "A run directory (results/<date>_<host>_<commit>).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            String notARun = dev.ringbench.benches.charts.Charts.notARun(dir);
            if (notARun != null) {
                throw new BadInput(notARun + "; a run directory is one `run` wrote, e.g. results/<date>_<host>_<commit>");
            }
            int rc = SpreadReport.write(dir, System.out, true);
            if (rc == 2) {
                throw new BadInput(dir + " holds no JMH results (<scenario>.json)");
            }
            return rc;
        }
    }

    @Command(name = "parity", mixinStandardHelpOptions = true,
            description = "Set a run's kernel-bench results beside the kernel's published numbers and evaluate its "
                    + "conclusions: writes parity.json, parity.txt and charts/parity-*.png into the run directory.")
    static final class ParityCommand implements Callable<Integer> {
        @Parameters(arity = "1", paramLabel = "DIR", description = "A run directory holding kernel-bench.json.")
        Path dir;

        @Override
        public Integer call() throws Exception {
            if (!java.nio.file.Files.isRegularFile(dir.resolve("kernel-bench.json"))) {
                throw new BadInput(dir + " holds no kernel-bench.json; a run of the kernel-bench scenario writes it"
                        + " (java -jar benches.jar run kernel-bench)");
            }
            return dev.ringbench.benches.parity.ParityReport.write(dir, System.out);
        }
    }

    @Command(name = "jmh", description = "Pass the remaining arguments to JMH unchanged (try: jmh -h).")
    static final class JmhCommand implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "ARG")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            return JmhPassThrough.run(args.toArray(String[]::new)); // main() calls it first: see there
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true, description = "A short, self-checking demonstration of the port.")
    static final class DemoCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return new PortDemo(System.out).run();
        }
    }

    /** The default largest producer count of a sweep: twice the cores (oversubscribed once), at least 4. */
    static int defaultProducers() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** The runner's own estimate, per scenario and in total (forks x (fork start + warm-up + measurement) per combination). */
    static void printEstimate(RunPlan plan) {
        Preset p = plan.preset();
        System.out.printf("Estimate, preset %s: %d fork(s) x (%.1f s start + %d x %d ms warm-up + %d x %d ms measurement)"
                        + " = %.1f s per parameter combination%n", p.name().toLowerCase(), p.forks(),
                p.forkOverheadMillis() / 1000.0, p.warmupIterations(), p.warmupMillis(), p.iterations(),
                p.measurementMillis(), p.millisPerCombination() / 1000.0);
        var combos = plan.combinationsByScenario();
        plan.estimateMillisByScenario().forEach((sc, ms) -> System.out.printf("  %-18s %4d combinations  %s%n", sc.id(),
                combos.get(sc), minutes(ms)));
        System.out.printf("%d JMH runs, %d combinations, estimated %s in total%n", plan.steps().size(),
                combos.values().stream().mapToInt(Integer::intValue).sum(), minutes(plan.estimateMillis(0)));
    }

    private static String minutes(long ms) {
        return String.format(java.util.Locale.ROOT, "%d:%02d min", ms / 60_000, ms / 1000 % 60);
    }

    static final class PresetConverter implements CommandLine.ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            for (Preset p : Preset.values()) {
                if (p.name().equalsIgnoreCase(value)) {
                    return p;
                }
            }
            throw new CommandLine.TypeConversionException("unknown preset '" + value + "'; valid: "
                    + String.join(", ", Arrays.stream(Preset.values()).map(p -> p.name().toLowerCase()).toList()));
        }
    }
}
