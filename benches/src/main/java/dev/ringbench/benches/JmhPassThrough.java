package dev.ringbench.benches;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.suite.Selection;
import dev.ringbench.benches.support.SideMetricsProfiler;
import dev.ringbench.competitors.ChannelKind;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code java -jar benches.jar jmh ARGS}: JMH's own command line, with JMH's options and meanings,
 * plus the JVM flags the selected competitors' libraries need in the forks (on JDK 25 Agrona
 * needs {@code jdk.internal.misc} exported, JCTools {@code sun.misc.Unsafe} memory access, the
 * port and the kernel native access). The competitors are the {@code -p channel=...} values;
 * without that parameter every library's flags are added (all of them are harmless on JDK 25 to
 * code that does not need them). They go before any {@code -jvmArgsPrepend} of the user's.
 *
 * <p>What JMH itself reports as a usage error (a bad option, no benchmark matching, an unknown
 * channel) becomes one line on stderr and {@link #USAGE} as the exit status, as picocli's errors
 * in the other commands. Listing and help ({@code -h}, {@code -l}, {@code -lp}, {@code -lprof},
 * {@code -lrf}) are JMH's, unchanged.
 */
final class JmhPassThrough {
    /** Exit status of a usage error (picocli's {@code ExitCode.USAGE}). */
    static final int USAGE = 2;
    /** Exit status when JMH itself failed (as {@code org.openjdk.jmh.Main}). */
    static final int FAILED = 1;

    private JmhPassThrough() {
    }

    /** Runs JMH with {@code args}; returns the exit status (0 when JMH ran). */
    static int run(String[] args) throws Exception {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            return usage(e.getMessage() + " (see: java -jar benches.jar jmh -h)");
        }
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
                || cmd.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return 0;
        }
        List<String> flags;
        try {
            flags = forkFlags(cmd.getParameter("channel").orElse(List.of()));
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        List<String> prepend = new ArrayList<>(flags);
        prepend.addAll(cmd.getJvmArgsPrepend().orElse(List.of()));
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd).jvmArgsPrepend(prepend.toArray(String[]::new));
        if (cmd.getProfilers().stream().noneMatch(p -> p.getKlass().equals(SideMetricsProfiler.class.getName()))) {
            options.addProfiler(SideMetricsProfiler.class); // the scenarios' side metrics, as in the suite's runs
        }
        Runner runner = new Runner(options.build());
        try {
            Collection<RunResult> results = runner.run();
            return results.isEmpty() && cmd.shouldFailOnError().orElse(false) ? FAILED : 0;
        } catch (NoBenchmarksException e) {
            return usage("no benchmark matches '" + String.join("', '", cmd.getIncludes()) + "'; scenario classes: "
                    + String.join(", ", Scenario.benchmarkClassNames()) + " (list every benchmark: jmh -l)");
        } catch (RunnerException e) {
            System.err.println("jmh: " + e.getMessage());
            return FAILED;
        }
    }

    /**
     * The JVM flags the forks need for these {@code channel} values (none given: every library's),
     * each once, in library order.
     *
     * @throws IllegalArgumentException naming the valid values, for a value that is no competitor
     */
    static List<String> forkFlags(Collection<String> channels) {
        Set<ChannelKind.Library> libraries = EnumSet.noneOf(ChannelKind.Library.class);
        if (channels.isEmpty()) {
            Collections.addAll(libraries, ChannelKind.Library.values());
        }
        for (String c : channels) {
            libraries.add(Selection.exactly("competitor", "-p channel=", c, ChannelKind.class).library());
        }
        Set<String> flags = new LinkedHashSet<>(); // libraries share flags (each is one token: --flag=value)
        libraries.forEach(l -> flags.addAll(l.jvmArgs()));
        return List.copyOf(flags);
    }

    private static int usage(String message) {
        System.err.println("benches.jar jmh: " + message);
        return USAGE;
    }
}
