package dev.ringbench.benches;

import dev.ringbench.benches.suite.Preset;
import dev.ringbench.benches.suite.RunPlan;
import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.suite.SuiteRunner;
import dev.ringbench.competitors.ChannelKind;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
 */
@Command(name = "benches.jar", mixinStandardHelpOptions = true,
        description = "ringbench: the BPF ring buffer port raced against its peers. "
                + "With no command: run every scenario (standard preset), then draw the charts.",
        subcommands = {Main.ListCommand.class, Main.RunCommand.class, Main.WakeupCommand.class,
                Main.ChartsCommand.class, Main.ParityCommand.class, Main.JmhCommand.class, Main.DemoCommand.class})
public final class Main implements Callable<Integer> {
    static List<String> commandLine = List.of();

    public static void main(String[] args) throws Exception {
        // Several suites may run on one machine (and CI beside a session): don't serialise on /tmp/jmh.lock.
        System.setProperty("jmh.ignoreLock", "true");
        if (args.length > 0 && args[0].equals("jmh")) { // JMH's own options, unchanged, even "-p x=y"
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        commandLine = new ArrayList<>(List.of("java", "-jar", "benches.jar"));
        commandLine.addAll(Arrays.asList(args));
        System.exit(new CommandLine(new Main()).execute(args));
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
                System.out.printf("  %-24s %s; JVM flags %s%n", k, k.capabilities(), k.library().jvmArgs());
            }
            System.out.println("Presets:");
            for (Preset p : Preset.values()) {
                System.out.printf("  %-9s forks %d, warm-up %d x %d ms, measurement %d x %d ms%n", p.name().toLowerCase(),
                        p.forks(), p.warmupIterations(), p.warmupMillis(), p.iterations(), p.measurementMillis());
            }
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run scenarios (all when none is named).")
    static final class RunCommand implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "SCENARIO", description = "Scenario ids (see list).")
        List<String> scenarios = new ArrayList<>();

        @Option(names = "--preset", description = "smoke, standard or full (default: ${DEFAULT-VALUE}).",
                converter = PresetConverter.class)
        Preset preset = Preset.STANDARD;

        @Option(names = "--competitors", split = ",", description = "Competitors to include (default: all).")
        List<ChannelKind> competitors = new ArrayList<>();

        @Option(names = {"-p", "--producers"}, description = "Largest producer count in sweeps (default: ${DEFAULT-VALUE}).")
        int producers = 8;

        @Option(names = "--out", description = "Base directory for results (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("results");

        @Option(names = "--dry-run", description = "Print the plan and its time estimate, run nothing.")
        boolean dryRun;

        Path lastRunDirectory;

        @Override
        public Integer call() throws Exception {
            List<Scenario> chosen = scenarios.isEmpty() ? List.of(Scenario.values())
                    : scenarios.stream().map(Scenario::byId).toList();
            Set<ChannelKind> kinds = competitors.isEmpty() ? EnumSet.noneOf(ChannelKind.class) : EnumSet.copyOf(competitors);
            RunPlan plan = RunPlan.of(chosen, preset, kinds, producers);
            if (dryRun) {
                for (RunPlan.Step st : plan.steps()) {
                    System.out.printf("%-18s %-10s %s%s: %d combinations%n", st.scenario().id(), st.library(), st.kinds(),
                            st.producers() > 0 ? " producers=" + st.producers() : "", st.combinations());
                }
                plan.leftOut().forEach((sc, why) -> why.forEach(w -> System.out.println(sc.id() + ": left out " + w)));
                System.out.printf("%d JMH runs, estimated %d min%n", plan.steps().size(), plan.estimateMillis(0) / 60_000);
                return 0;
            }
            lastRunDirectory = SuiteRunner.runDirectory(out);
            int failures = new SuiteRunner(System.out).run(plan, lastRunDirectory, commandLine);
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
            run.scenarios = List.of(Scenario.NOTIFICATION.id());
            run.preset = preset;
            run.out = out;
            int rc = run.call();
            WakeupTable.print(run.lastRunDirectory.resolve(Scenario.NOTIFICATION.id() + ".json"), System.out);
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
            return draw(dir);
        }

        /** Draws the charts of {@code dir} (null: the newest run under results/): 0 when any was drawn. */
        static int draw(Path dir) {
            int rc = dev.ringbench.benches.charts.Charts.draw(dir, Path.of("results"), System.out);
            Path run = dir != null ? dir : dev.ringbench.benches.charts.Charts.newest(Path.of("results"));
            if (rc == 0 && run != null && java.nio.file.Files.isRegularFile(run.resolve("kernel-bench.json"))) {
                try { // the kernel-bench's charts are the parity report's
                    rc = dev.ringbench.benches.parity.ParityReport.write(run, System.out);
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

    @Command(name = "parity", mixinStandardHelpOptions = true,
            description = "Set a run's kernel-bench results beside the kernel's published numbers and evaluate its "
                    + "conclusions: writes parity.json, parity.txt and charts/parity-*.png into the run directory.")
    static final class ParityCommand implements Callable<Integer> {
        @Parameters(arity = "1", paramLabel = "DIR", description = "A run directory holding kernel-bench.json.")
        Path dir;

        @Override
        public Integer call() throws Exception {
            return dev.ringbench.benches.parity.ParityReport.write(dir, System.out);
        }
    }

    @Command(name = "jmh", description = "Pass the remaining arguments to JMH unchanged (try: jmh -h).")
    static final class JmhCommand implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "ARG")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            org.openjdk.jmh.Main.main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true, description = "A short, self-checking demonstration of the port.")
    static final class DemoCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return new PortDemo(System.out).run();
        }
    }

    static final class PresetConverter implements CommandLine.ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            return Preset.valueOf(value.toUpperCase());
        }
    }
}
