package dev.ringbench.benches.suite;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The facts a published number needs beside it: machine, OS, JDK, JVM flags, library versions,
 * git commit, preset and command. Written as {@code env.json} in every run directory.
 */
public final class Environment {
    private static final String[][] LIBRARIES = {
            {"org.openjdk.jmh", "jmh-core", "org.openjdk.jmh.runner.Runner"},
            {"com.lmax", "disruptor", "com.lmax.disruptor.RingBuffer"},
            {"org.jctools", "jctools-core", "org.jctools.queues.MpscArrayQueue"},
            {"org.agrona", "agrona", "org.agrona.concurrent.UnsafeBuffer"},
            {"org.hdrhistogram", "HdrHistogram", "org.HdrHistogram.Histogram"},
            {"info.picocli", "picocli", "picocli.CommandLine"},
            {"com.fasterxml.jackson.core", "jackson-databind", "com.fasterxml.jackson.databind.ObjectMapper"}};

    private Environment() {
    }

    /** Everything known about this machine and run. */
    public static Map<String, Object> capture(Preset preset, List<String> command) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("date", Instant.now().toString());
        env.put("host", hostName());
        env.put("cpuModel", cpuModel());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("memoryBytes", memTotalBytes());
        env.put("loadAverageAtStart", loadAverage());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        env.put("javaHome", System.getProperty("java.home"));
        env.put("hostJvmFlags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        env.put("gitCommit", gitCommit());
        env.put("gitDirty", gitDirty());
        env.put("preset", preset.name().toLowerCase());
        env.put("command", String.join(" ", command));
        env.put("libraries", libraryVersions());
        return env;
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String h = System.getenv("HOSTNAME");
            return h != null ? h : "unknown-host";
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** /proc/loadavg's 1, 5 and 15 minute averages: how busy the machine was when the run began. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static long memTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    /** The commit of the working directory's git checkout, or "unknown". */
    public static String gitCommit() {
        String out = run("git", "rev-parse", "--short=12", "HEAD");
        return out.isEmpty() ? "unknown" : out;
    }

    static boolean gitDirty() {
        return !run("git", "status", "--porcelain", "--untracked-files=no").isEmpty();
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "";
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String manifestVersion(String className) {
        try {
            String version = Class.forName(className, false, Environment.class.getClassLoader())
                    .getPackage().getImplementationVersion();
            return version != null ? version : "unknown";
        } catch (ClassNotFoundException | LinkageError e) {
            return "absent";
        }
    }

    private static Map<String, String> libraryVersions() {
        Map<String, String> v = new LinkedHashMap<>();
        for (String[] lib : LIBRARIES) {
            String res = "/META-INF/maven/" + lib[0] + "/" + lib[1] + "/pom.properties";
            try (InputStream in = Environment.class.getResourceAsStream(res)) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    v.put(lib[0] + ":" + lib[1], p.getProperty("version"));
                    continue;
                }
            } catch (IOException e) {
                // fall through to the manifest
            }
            v.put(lib[0] + ":" + lib[1], manifestVersion(lib[2]));
        }
        return v;
    }
}
