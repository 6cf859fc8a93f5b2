package dev.ringbench.benches.suite;

import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the scenarios: every class in JMH's generated benchmark list ({@code META-INF/BenchmarkList},
 * written by JMH's annotation processor for each {@code @Benchmark}) that declares a
 * {@code public static final} {@link Scenario} field is one; its benchmark count is the number of
 * the list's entries for the class. Nothing else names the scenarios. Read once.
 */
final class ScenarioRegistry {
    private ScenarioRegistry() {
    }

    private record Found(List<Scenario> scenarios, Map<String, Integer> counts, Map<String, Set<String>> names) {
    }

    private static volatile Found found;

    static List<Scenario> all() {
        return found().scenarios();
    }

    /** Entries of JMH's benchmark list for one class (methods or groups, times modes). */
    static int benchmarkCount(String className) {
        return found().counts().getOrDefault(className, 0);
    }

    /** The simple names (method or {@code @Group}) of the class's entries in JMH's benchmark list. */
    static Set<String> benchmarkNames(String className) {
        return found().names().getOrDefault(className, Set.of());
    }

    private static Found found() {
        Found f = found;
        if (f == null) {
            synchronized (ScenarioRegistry.class) {
                f = found;
                if (f == null) {
                    f = discover();
                    found = f;
                }
            }
        }
        return f;
    }

    private static Found discover() {
        OutputFormat silent = OutputFormatFactory.createFormatInstance(new PrintStream(OutputStream.nullOutputStream()),
                VerboseMode.SILENT);
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Set<String>> names = new TreeMap<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList().getAll(silent, List.of())) {
            counts.merge(e.getUserClassQName(), 1, Integer::sum);
            String user = e.getUsername();
            names.computeIfAbsent(e.getUserClassQName(), k -> new TreeSet<>()).add(user.substring(user.lastIndexOf('.') + 1));
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (String className : counts.keySet()) {
            Class<?> c;
            try {
                c = Class.forName(className, true, ScenarioRegistry.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("JMH's benchmark list names " + className + ", which cannot be loaded", e);
            }
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (f.getType() == Scenario.class && Modifier.isStatic(m) && Modifier.isPublic(m) && Modifier.isFinal(m)) {
                    try {
                        Scenario s = (Scenario) f.get(null);
                        if (s.type() != c) {
                            throw new IllegalStateException(c.getName() + "." + f.getName() + " defines scenario "
                                    + s.id() + " for another class, " + s.benchmarkClass());
                        }
                        scenarios.add(s);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        scenarios.sort(Comparator.comparingInt(Scenario::order).thenComparing(Scenario::id));
        Set<String> ids = new LinkedHashSet<>();
        Map<Integer, String> orders = new HashMap<>();
        for (Scenario s : scenarios) {
            if (!ids.add(s.id())) {
                throw new IllegalStateException("two scenarios with id " + s.id());
            }
            String other = orders.put(s.order(), s.id());
            if (other != null) {
                throw new IllegalStateException("scenarios " + other + " and " + s.id() + " have the same order " + s.order());
            }
        }
        return new Found(List.copyOf(scenarios), Map.copyOf(counts), Map.copyOf(names));
    }
}
