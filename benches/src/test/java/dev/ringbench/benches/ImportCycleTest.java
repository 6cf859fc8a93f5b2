package dev.ringbench.benches;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No import cycle among the main classes of every module: the classes of {@code src/main/java}
 * under the project root, each a node, with an edge for every import of another main class and
 * for every use of a class of its own package by its simple name (comments and string literals
 * left out), and for every fully qualified use of another main class. A cycle that stays inside one package is a package's own business; a cycle through
 * classes of two or more packages is an import cycle, and fails this test with the classes it
 * runs through.
 */
class ImportCycleTest {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)(\\.\\*)?\\s*;", Pattern.MULTILINE);
    private static final Pattern WORD = Pattern.compile("\\b[A-Z]\\w*\\b");
    private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.ringbench(?:\\.\\w+)+");

    @Test
    void noCycleThroughTwoPackages() throws IOException {
        Map<String, Set<String>> graph = mainClassGraph(Path.of("..").toAbsolutePath().normalize());
        assertTrue(graph.size() > 100, "main classes found: " + graph.size());
        assertTrue(graph.containsKey("dev.ringbench.competitors.ChannelKind"), "the competitors module is read");
        assertEquals(List.of(), crossPackageCycles(graph), "import cycles through more than one package");
    }

    /**
     * Dependencies point one way between packages too: the packages, each a node, with an edge
     * where a class of one uses a class of another, have no cycle (suite -> parity -> charts ->
     * suite was one: the suite now takes the parity report as a hook from the command line). One
     * kind of edge is left out: a package's use of its own subpackages, as {@code competitors}'
     * factory ({@code ChannelKind}) builds the adapters below it, which implement the interfaces
     * beside it; the class graph above still forbids a cycle through them.
     */
    @Test
    void packagesDependOneWay() throws IOException {
        Map<String, Set<String>> graph = mainClassGraph(Path.of("..").toAbsolutePath().normalize());
        Map<String, Set<String>> packages = new TreeMap<>();
        graph.forEach((c, deps) -> {
            Set<String> to = packages.computeIfAbsent(packageOf(c), k -> new TreeSet<>());
            deps.forEach(d -> to.add(packageOf(d)));
        });
        packages.forEach((p, to) -> to.removeIf(q -> q.equals(p) || q.startsWith(p + ".")));
        List<List<String>> cycles = stronglyConnected(packages).stream().filter(scc -> scc.size() > 1)
                .map(scc -> scc.stream().sorted().toList()).toList();
        assertEquals(List.of(), cycles, "package cycles among the main classes");
    }

    private static String packageOf(String fqn) {
        return fqn.contains(".") ? fqn.substring(0, fqn.lastIndexOf('.')) : "";
    }

    @Test
    void aCycleThroughTwoPackagesIsFound() {
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a.A", new TreeSet<>(Set.of("b.B")));
        g.put("b.B", new TreeSet<>(Set.of("b.C")));
        g.put("b.C", new TreeSet<>(Set.of("a.A")));
        g.put("c.D", new TreeSet<>(Set.of("c.E")));
        g.put("c.E", new TreeSet<>(Set.of("c.D"))); // inside one package: allowed
        List<List<String>> cycles = crossPackageCycles(g);
        assertEquals(List.of(List.of("a.A", "b.B", "b.C")), cycles);
        assertFalse(cycles.toString().contains("c.D"));
    }

    /** Every main class (by qualified name) and the main classes it uses. */
    static Map<String, Set<String>> mainClassGraph(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> modules = Files.list(root)) {
            files = modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).flatMap(ImportCycleTest::javaFiles)
                    .filter(p -> !p.getFileName().toString().equals("package-info.java")).toList();
        }
        Map<String, String> source = new TreeMap<>();
        Map<String, Set<String>> byPackage = new HashMap<>();
        for (Path f : files) {
            String text = stripCommentsAndStrings(Files.readString(f));
            Matcher pm = PACKAGE.matcher(text);
            String pkg = pm.find() ? pm.group(1) : "";
            String name = f.getFileName().toString().replace(".java", "");
            String fqn = pkg.isEmpty() ? name : pkg + "." + name;
            source.put(fqn, text);
            byPackage.computeIfAbsent(pkg, k -> new TreeSet<>()).add(name);
        }
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Map.Entry<String, String> e : source.entrySet()) {
            String fqn = e.getKey();
            String pkg = fqn.contains(".") ? fqn.substring(0, fqn.lastIndexOf('.')) : "";
            String simple = fqn.substring(fqn.lastIndexOf('.') + 1);
            String text = e.getValue();
            Set<String> deps = new TreeSet<>();
            Set<String> words = new TreeSet<>();
            Matcher wm = WORD.matcher(IMPORT.matcher(text).replaceAll(""));
            while (wm.find()) {
                words.add(wm.group());
            }
            Matcher im = IMPORT.matcher(text);
            while (im.find()) {
                String target = im.group(2);
                if (im.group(3) != null) { // wildcard: the classes of that package (or nested members) it names
                    for (String c : byPackage.getOrDefault(target, Set.of())) {
                        if (words.contains(c)) {
                            deps.add(target + "." + c);
                        }
                    }
                    if (source.containsKey(target)) {
                        deps.add(target);
                    }
                    continue;
                }
                // a class, a nested class or a static member: the longest prefix that is a main class
                for (String t = target; t.contains("."); t = t.substring(0, t.lastIndexOf('.'))) {
                    if (source.containsKey(t)) {
                        deps.add(t);
                        break;
                    }
                }
            }
            Matcher qm = QUALIFIED.matcher(IMPORT.matcher(PACKAGE.matcher(text).replaceAll("")).replaceAll(""));
            while (qm.find()) { // a fully qualified use in code
                for (String t = qm.group(); t.contains("."); t = t.substring(0, t.lastIndexOf('.'))) {
                    if (source.containsKey(t)) {
                        deps.add(t);
                        break;
                    }
                }
            }
            for (String c : byPackage.getOrDefault(pkg, Set.of())) {
                if (!c.equals(simple) && words.contains(c)) {
                    deps.add(pkg.isEmpty() ? c : pkg + "." + c);
                }
            }
            deps.remove(fqn);
            graph.put(fqn, deps);
        }
        return graph;
    }

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(p -> p.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text with comments, string and char literals and text blocks blanked out. */
    static String stripCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && s.charAt(i) != c) {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The strongly connected components with classes of more than one package, each sorted. */
    static List<List<String>> crossPackageCycles(Map<String, Set<String>> graph) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> scc : stronglyConnected(graph)) {
            Set<String> packages = new TreeSet<>();
            for (String c : scc) {
                packages.add(c.contains(".") ? c.substring(0, c.lastIndexOf('.')) : "");
            }
            if (packages.size() > 1) {
                out.add(scc.stream().sorted().toList());
            }
        }
        return out;
    }

    /** Tarjan's algorithm, iterative. */
    private static List<List<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> result = new ArrayList<>();
        int[] counter = {0};
        for (String start : graph.keySet()) {
            if (index.containsKey(start)) {
                continue;
            }
            Deque<Map.Entry<String, java.util.Iterator<String>>> work = new ArrayDeque<>();
            index.put(start, counter[0]);
            low.put(start, counter[0]++);
            stack.push(start);
            onStack.add(start);
            work.push(Map.entry(start, graph.getOrDefault(start, Set.of()).iterator()));
            while (!work.isEmpty()) {
                String v = work.peek().getKey();
                java.util.Iterator<String> it = work.peek().getValue();
                if (it.hasNext()) {
                    String w = it.next();
                    if (!graph.containsKey(w)) {
                        continue;
                    }
                    if (!index.containsKey(w)) {
                        index.put(w, counter[0]);
                        low.put(w, counter[0]++);
                        stack.push(w);
                        onStack.add(w);
                        work.push(Map.entry(w, graph.get(w).iterator()));
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                } else {
                    work.pop();
                    if (!work.isEmpty()) {
                        String parent = work.peek().getKey();
                        low.put(parent, Math.min(low.get(parent), low.get(v)));
                    }
                    if (low.get(v).equals(index.get(v))) {
                        List<String> scc = new ArrayList<>();
                        String w;
                        do {
                            w = stack.pop();
                            onStack.remove(w);
                            scc.add(w);
                        } while (!w.equals(v));
                        if (scc.size() > 1) {
                            result.add(scc);
                        }
                    }
                }
            }
        }
        return result;
    }
}
