package dev.ringbench.benches.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Entry point of {@code benches.jar}, compiled for Java 17 so that it starts on the default
 * {@code java} of a machine whose JDK 25 is installed beside it. On Java 25+ it runs the program
 * in this JVM; on an older one it finds a JDK 25 and runs the jar again with it, forwarding the
 * arguments, the output and the exit status. Where it looks, in order: {@code $RINGBENCH_JAVA_HOME},
 * {@code $JAVA_HOME}, then every JDK under {@code /usr/lib/jvm}, {@code /usr/java},
 * {@code /opt/java} and {@code /opt} (newest first). If none is found it prints one line saying
 * what to do.
 */
public final class Launcher {
    static final int REQUIRED = 25;
    private static final String MAIN = "dev.ringbench.benches.Main";

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        if (Runtime.version().feature() >= REQUIRED) {
            Class.forName(MAIN).getMethod("main", String[].class).invoke(null, (Object) args);
            return;
        }
        Optional<Path> java = findJava();
        if (java.isEmpty()) {
            System.err.println("benches.jar needs Java " + REQUIRED + "+ (this is Java " + Runtime.version().feature()
                    + "); install a JDK " + REQUIRED + " or set RINGBENCH_JAVA_HOME to one and run the same command again.");
            System.exit(2);
        }
        Path jar = Paths.get(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>();
        cmd.add(java.get().toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        // the port's unchecked hot path (MappedAtomics); on Java 25 the manifest's Add-Exports does it
        cmd.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(jar.toString());
        cmd.add(MAIN);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        System.exit(p.waitFor());
    }

    static Optional<Path> findJava() {
        for (String env : new String[] {"RINGBENCH_JAVA_HOME", "JAVA_HOME"}) {
            String home = System.getenv(env);
            if (home != null && featureOf(Paths.get(home)) >= REQUIRED) {
                return Optional.of(Paths.get(home, "bin", "java"));
            }
        }
        Path best = null;
        int bestFeature = 0;
        for (String root : new String[] {"/usr/lib/jvm", "/usr/java", "/opt/java", "/opt"}) {
            for (Path home : children(Paths.get(root))) {
                int f = featureOf(home);
                if (f >= REQUIRED && f > bestFeature) {
                    best = home;
                    bestFeature = f;
                }
            }
        }
        return Optional.ofNullable(best).map(h -> h.resolve("bin").resolve("java"));
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The feature version a JDK's {@code release} file declares, or 0. */
    static int featureOf(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin").resolve("java")) || !Files.isRegularFile(release)) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
                    String major = v.split("[.+-]")[0];
                    return Integer.parseInt(major.equals("1") ? v.split("\\.")[1] : major);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
