package dev.ringbench.benches.suite;

import dev.ringbench.competitors.ChannelKind;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The facts a published number needs beside it: machine, OS, JDK, JVM flags, library versions,
 * git commit, preset and command. Written as {@code env.json} in every run directory.
 */
public final class Environment {
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
        env.put("forkJvmFlags", forkJvmFlags());
        env.put("gitCommit", gitCommit());
        env.put("gitDirty", gitDirty());
        env.put("preset", preset.name().toLowerCase());
        env.put("command", String.join(" ", command));
        env.put("cpuFrequencyGovernor", governors());
        env.put("smt", smt());
        env.put("cgroupCpuQuota", cgroupCpuQuota());
        env.put("unprivilegedBpfDisabled", read(Path.of("/proc/sys/kernel/unprivileged_bpf_disabled")));
        env.put("benchesVersion", BuildInfo.version());
        env.put("benchesCommit", BuildInfo.commit());
        env.put("libraries", BuildInfo.libraries());
        env.put("buildPlugins", BuildInfo.plugins());
        return env;
    }

    /**
     * The flags each library's JMH forks get (a step runs one library). RINGBUF's export of
     * jdk.internal.misc is what makes the port's hot path unchecked ({@code MappedAtomics}).
     */
    static Map<String, List<String>> forkJvmFlags() {
        Map<String, List<String>> flags = new LinkedHashMap<>();
        for (ChannelKind.Library l : ChannelKind.Library.values()) {
            flags.put(l.name(), l.jvmArgs());
        }
        return flags;
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

    /** Whether the working directory's checkout has uncommitted changes to tracked files. */
    public static boolean gitDirty() {
        return gitDirty(Path.of("."));
    }

    /**
     * Whether the git checkout holding {@code dir} has uncommitted changes to tracked files
     * ({@code git status --porcelain --untracked-files=no} lists any); false outside a checkout.
     */
    static boolean gitDirty(Path dir) {
        return !run(dir, "git", "status", "--porcelain", "--untracked-files=no").isEmpty();
    }

    private static String run(String... cmd) {
        return run(Path.of("."), cmd);
    }

    private static String run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
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

    /** The CPUs' cpufreq governors (CPU to governor, or one value when all agree), or why not readable. */
    static Object governors() {
        Map<String, String> byCpu = new java.util.TreeMap<>();
        try (var cpus = Files.newDirectoryStream(Path.of("/sys/devices/system/cpu"), "cpu[0-9]*")) {
            for (Path cpu : cpus) {
                Path g = cpu.resolve("cpufreq/scaling_governor");
                if (Files.isReadable(g)) {
                    byCpu.put(cpu.getFileName().toString(), Files.readString(g).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return "not readable (" + e.getMessage() + ")";
        }
        if (byCpu.isEmpty()) {
            return "not readable (no cpufreq in /sys/devices/system/cpu/cpu*/: a VM or no frequency scaling)";
        }
        return new java.util.HashSet<>(byCpu.values()).size() == 1 ? byCpu.values().iterator().next() : byCpu;
    }

    /** Simultaneous multithreading: the kernel's control setting and whether it is active. */
    static String smt() {
        String control = read(Path.of("/sys/devices/system/cpu/smt/control"));
        String active = read(Path.of("/sys/devices/system/cpu/smt/active"));
        return "control " + control + ", active " + active;
    }

    /**
     * This process's cgroup CPU limit: cgroup v1's CFS quota and period (quota -1: none) where the
     * v1 cpu controller holds the process, else cgroup v2's {@code cpu.max} ("max 100000": none;
     * "QUOTA PERIOD" in microseconds) of its own cgroup.
     */
    static String cgroupCpuQuota() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/cgroup"));
        } catch (IOException e) {
            return "not readable (no /proc/self/cgroup)";
        }
        for (String line : lines) { // v1: "4:cpu,cpuacct:/path"
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains("cpu")) {
                for (String mount : new String[] {"cpu", "cpu,cpuacct"}) {
                    Path dir = Path.of("/sys/fs/cgroup", mount, f[2]);
                    if (Files.isReadable(dir.resolve("cpu.cfs_quota_us"))) {
                        return "cgroup v1 " + f[2] + " cfs_quota_us " + read(dir.resolve("cpu.cfs_quota_us"))
                                + ", cfs_period_us " + read(dir.resolve("cpu.cfs_period_us"));
                    }
                }
            }
        }
        for (String line : lines) {
            if (line.startsWith("0::")) {
                String group = line.substring(3);
                Path max = Path.of("/sys/fs/cgroup", group, "cpu.max");
                return Files.isReadable(max) ? "cgroup v2 " + group + " cpu.max " + read(max)
                        : "cgroup v2 " + group + ", no cpu.max (no CPU limit set, or the cpu controller is off)";
            }
        }
        return "not readable";
    }

    /** A small kernel file's contents, trimmed, or "not readable". */
    static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException | RuntimeException e) {
            return "not readable";
        }
    }
}
