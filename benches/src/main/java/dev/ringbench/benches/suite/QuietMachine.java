package dev.ringbench.benches.suite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quiet-machine guard: watches, while the suite runs, how much CPU time <em>other</em>
 * processes take, and says which scenarios ran on a machine that was not quiet. On a 2-core
 * machine a background job of a few percent of one CPU is enough to move a result.
 *
 * <p><b>How "other" is measured.</b> Every {@link #PERIOD_MILLIS} ms a daemon thread reads the
 * machine's busy CPU time ({@code /proc/stat}'s first line: user + nice + system + irq + softirq;
 * steal, the hypervisor's other guests, is kept apart) and the CPU time of this JVM and every
 * process below it, its forked JMH JVMs among them ({@code /proc/<pid>/stat} utime + stime +
 * cutime + cstime of this process and its live descendants: a fork that ended and was waited for
 * moves into this process's cutime/cstime, so nothing is counted twice or lost). Other processes'
 * CPU time over an interval is the machine's busy time less ours. It also reads the 1-minute load
 * average ({@code /proc/loadavg}). Cost: one directory walk of /proc every few seconds.
 *
 * <p><b>The rule.</b> A scenario is <em>disturbed</em> when other processes used more than
 * {@link #MAX_OTHER_SHARE} (5 %) of one CPU on average while it ran. The run is disturbed at the
 * start when, during the {@link #START_SAMPLE_MILLIS} ms before the first JMH run, other processes
 * used more than that share, or the 1-minute load average was above {@link #MAX_START_LOAD} (1.5).
 * The run is disturbed when it was at the start or any scenario was. Both are warned about on the
 * runner's error stream and recorded in {@code run.json} ({@link #summary()}).
 */
public final class QuietMachine {
    /** Sampling period of the daemon thread. */
    public static final long PERIOD_MILLIS = 2000;
    /** How long the machine is watched before the first JMH run. */
    public static final long START_SAMPLE_MILLIS = 3000;
    /** Other processes' CPU time above this share of one CPU, over a scenario or the start sample: disturbed. */
    public static final double MAX_OTHER_SHARE = 0.05;
    /** 1-minute load average above this at the start: disturbed. */
    public static final double MAX_START_LOAD = 1.5;
    /** The rule, as run.json and the README state it. */
    public static final String RULE = String.format(Locale.ROOT, "a scenario is disturbed when other processes used more than"
            + " %.0f %% of one CPU on average while it ran; the start is disturbed when they did during the %d s before"
            + " the first JMH run, or the 1-minute load average was above %.1f", MAX_OTHER_SHARE * 100,
            START_SAMPLE_MILLIS / 1000, MAX_START_LOAD);

    /** One reading of the machine: CPU times in seconds, wall time in nanoseconds. */
    public record Sample(long nanos, double busySeconds, double stealSeconds, double ourSeconds, double load1) {
    }

    /** Where samples come from: {@code /proc} on Linux, a fake in tests. */
    @FunctionalInterface
    public interface Probe {
        /** The machine now; null when it cannot be read (not Linux). */
        Sample sample();
    }

    /** One scenario's (or the start's) account. */
    static final class Account {
        double seconds;
        double otherCpuSeconds;
        double stealSeconds;
        double maxLoad;
    }

    private final Probe probe;
    private final PrintStream err;
    private final long startSampleMillis;
    private final Map<String, Account> scenarios = new LinkedHashMap<>();
    private final Account start = new Account();
    private final Account total = new Account();
    private final List<String> startWhy = new ArrayList<>();
    private String loadAtStart = "unknown";
    private String current;
    private Sample last;
    private Thread thread;
    private volatile boolean stopping;

    /** @param err where warnings go (the runner's stderr) */
    public QuietMachine(Probe probe, PrintStream err) {
        this(probe, err, START_SAMPLE_MILLIS);
    }

    /** As above, watching the start for {@code startSampleMillis} (tests: 0). */
    QuietMachine(Probe probe, PrintStream err, long startSampleMillis) {
        this.probe = probe;
        this.err = err;
        this.startSampleMillis = startSampleMillis;
    }

    /** A guard reading this Linux machine's /proc. */
    public static QuietMachine ofThisMachine(PrintStream err) {
        return new QuietMachine(new ProcProbe(ProcessHandle.current().pid()), err);
    }

    // ------------------------------------------------------------------ the rule (pure)

    /** Why an interval of {@code seconds} with other processes' {@code otherCpuSeconds} is disturbed; empty when quiet. */
    static List<String> why(double seconds, double otherCpuSeconds) {
        if (seconds <= 0) {
            return List.of();
        }
        double share = otherCpuSeconds / seconds;
        return share > MAX_OTHER_SHARE ? List.of(String.format(Locale.ROOT,
                "other processes used %.1f %% of one CPU (%.1f CPU s in %.0f s; quiet: at most %.0f %%)",
                share * 100, otherCpuSeconds, seconds, MAX_OTHER_SHARE * 100)) : List.of();
    }

    /** Why the start is disturbed: {@link #why} over the start sample, and a load average above {@link #MAX_START_LOAD}. */
    static List<String> whyAtStart(double seconds, double otherCpuSeconds, double load1) {
        List<String> w = new ArrayList<>(why(seconds, otherCpuSeconds));
        if (load1 > MAX_START_LOAD) {
            w.add(String.format(Locale.ROOT, "load average %.2f at the start (quiet: at most %.1f)", load1, MAX_START_LOAD));
        }
        return w;
    }

    // ------------------------------------------------------------------ watching

    /**
     * Watches the machine for {@link #START_SAMPLE_MILLIS} (sleeping), judges the start (a warning
     * when disturbed), then starts the daemon thread that keeps sampling.
     */
    public void start() throws InterruptedException {
        loadAtStart = Environment.loadAverage();
        Sample a = probe.sample();
        if (a == null) {
            startWhy.add("not measured (no /proc here)");
            return;
        }
        Thread.sleep(startSampleMillis);
        Sample b = probe.sample();
        add(start, a, b);
        startWhy.addAll(whyAtStart(start.seconds, start.otherCpuSeconds, a.load1()));
        if (!startWhy.isEmpty()) {
            err.println("WARNING: the machine is not quiet: " + String.join("; ", startWhy)
                    + ". Results will be marked disturbed.");
        }
        last = b;
        if (startSampleMillis == 0) {
            return; // a test: it ticks by hand
        }
        thread = Thread.ofPlatform().daemon().name("quiet-machine").start(() -> {
            while (!stopping) {
                try {
                    Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                tick();
            }
        });
    }

    /** Takes one sample and charges the interval since the last to the current scenario. */
    synchronized void tick() {
        Sample s = probe.sample();
        if (s == null || last == null) {
            return;
        }
        if (current != null) {
            add(scenarios.computeIfAbsent(current, c -> new Account()), last, s);
        }
        add(total, last, s);
        last = s;
    }

    /** From now on, samples are charged to {@code scenario} (null: to none). Takes a sample first. */
    public void scenario(String scenario) {
        tick();
        synchronized (this) {
            current = scenario;
        }
    }

    /**
     * Ends the watch of {@code scenario} (a sample, then charging stops), and warns when it was disturbed.
     *
     * @return why it was disturbed (empty: quiet or not watched)
     */
    public List<String> endScenario(String scenario) {
        tick();
        List<String> w;
        synchronized (this) {
            current = null;
            Account a = scenarios.get(scenario);
            w = a == null ? List.of() : why(a.seconds, a.otherCpuSeconds);
        }
        if (!w.isEmpty()) {
            err.println("WARNING: scenario " + scenario + " was disturbed: " + String.join("; ", w));
        }
        return w;
    }

    /** Stops the daemon thread. */
    public void stop() {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private static void add(Account acc, Sample a, Sample b) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        double other = Math.max(0, (b.busySeconds() - a.busySeconds()) - (b.ourSeconds() - a.ourSeconds()));
        acc.seconds += seconds;
        acc.otherCpuSeconds += other;
        acc.stealSeconds += Math.max(0, b.stealSeconds() - a.stealSeconds());
        acc.maxLoad = Math.max(acc.maxLoad, Math.max(a.load1(), b.load1()));
    }

    /** Whether the start or any scenario was disturbed. */
    public synchronized boolean disturbed() {
        return !why().isEmpty();
    }

    /**
     * The guard's record for run.json: the rule; load average at start and end and the highest
     * seen; other processes' CPU seconds in total, at the start and per scenario, each with its
     * verdict and reasons.
     */
    public synchronized Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", RULE);
        m.put("disturbed", disturbed());
        m.put("loadAverageAtStart", loadAtStart);
        m.put("loadAverageAtEnd", Environment.loadAverage());
        m.put("loadAverageMax", round(Math.max(start.maxLoad, total.maxLoad)));
        m.put("otherCpuSeconds", round(total.otherCpuSeconds + start.otherCpuSeconds));
        m.put("stealCpuSeconds", round(total.stealSeconds + start.stealSeconds));
        m.put("watchedSeconds", round(total.seconds + start.seconds));
        boolean measuredStart = startWhy.isEmpty() || !startWhy.get(0).startsWith("not measured");
        m.put("disturbedAtStart", measuredStart && !startWhy.isEmpty());
        m.put("startWhy", startWhy);
        m.put("startOtherCpuSeconds", round(start.otherCpuSeconds));
        Map<String, Object> per = new LinkedHashMap<>();
        scenarios.forEach((id, a) -> {
            List<String> w = why(a.seconds, a.otherCpuSeconds);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("seconds", round(a.seconds));
            s.put("otherCpuSeconds", round(a.otherCpuSeconds));
            s.put("otherCpuShare", a.seconds > 0 ? round(a.otherCpuSeconds / a.seconds) : 0);
            s.put("stealCpuSeconds", round(a.stealSeconds));
            s.put("loadAverageMax", round(a.maxLoad));
            s.put("disturbed", !w.isEmpty());
            s.put("why", w);
            per.put(id, s);
        });
        m.put("why", why());
        m.put("scenarios", per);
        return m;
    }

    /** Why the run was disturbed: the start's reasons, then each disturbed scenario's, by id; empty when quiet. */
    public synchronized List<String> why() {
        List<String> all = new ArrayList<>();
        if (!startWhy.isEmpty() && !startWhy.get(0).startsWith("not measured")) {
            all.addAll(startWhy);
        }
        scenarios.forEach((id, a) -> why(a.seconds, a.otherCpuSeconds).forEach(x -> all.add(id + ": " + x)));
        return all;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    // ------------------------------------------------------------------ /proc

    /** Reads /proc: the machine's CPU times, this process tree's, the load average. */
    static final class ProcProbe implements Probe {
        private final long self;
        private final double tick;

        ProcProbe(long self) {
            this.self = self;
            this.tick = 1.0 / clockTicks();
        }

        @Override
        public Sample sample() {
            try {
                long nanos = System.nanoTime();
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is in user)
                long busy = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3])
                        + Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]);
                long steal = cpu.length > 8 ? Long.parseLong(cpu[8]) : 0;
                double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
                return new Sample(nanos, busy * tick, steal * tick, treeTicks() * tick, load);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** utime + stime + cutime + cstime of this process and its live descendants, in clock ticks. */
        private long treeTicks() throws IOException {
            Map<Long, Long> parent = new HashMap<>();
            Map<Long, Long> ticks = new HashMap<>();
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path p : procs) {
                    String stat;
                    try {
                        stat = Files.readString(p.resolve("stat"));
                    } catch (IOException e) {
                        continue; // gone meanwhile
                    }
                    // pid (comm) state ppid ... : fields after the last ')' from state (field 3) on
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    long pid = Long.parseLong(p.getFileName().toString());
                    parent.put(pid, Long.parseLong(f[1]));
                    ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                            + Long.parseLong(f[14]));
                }
            }
            long sum = 0;
            for (var e : ticks.entrySet()) {
                if (isOurs(e.getKey(), parent)) {
                    sum += e.getValue();
                }
            }
            return sum;
        }

        private boolean isOurs(long pid, Map<Long, Long> parent) {
            for (int depth = 0; depth < 64 && pid > 1; depth++) {
                if (pid == self) {
                    return true;
                }
                Long p = parent.get(pid);
                if (p == null) {
                    return false;
                }
                pid = p;
            }
            return pid == self;
        }

        private static long clockTicks() {
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? Long.parseLong(out) : 100;
            } catch (IOException | RuntimeException e) {
                return 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 100;
            }
        }
    }

    // ------------------------------------------------------------------ machine-speed probe

    private static final Pattern DD_SECONDS = Pattern.compile("copied, ([0-9.]+) s");
    /** The JVM-free probe: 10 GiB from /dev/zero to /dev/null in 256 KiB blocks, pinned to one CPU. */
    static final long PROBE_BYTES = 256L * 1024 * 40960;

    /**
     * A JVM-free speed probe of each CPU: {@code taskset -c N dd if=/dev/zero of=/dev/null bs=256k
     * count=40960} (10 GiB, a fraction of a second), as GiB/s per CPU. The host's per-vCPU slow mode
     * shows as one CPU markedly slower than the other, or than at another time. Empty when taskset or
     * dd is missing.
     */
    public static Map<String, Object> speedProbe() {
        Map<String, Object> perCpu = new LinkedHashMap<>();
        int cpus = Runtime.getRuntime().availableProcessors();
        for (int c = 0; c < cpus; c++) {
            try {
                Process p = new ProcessBuilder("taskset", "-c", Integer.toString(c), "dd", "if=/dev/zero",
                        "of=/dev/null", "bs=256k", "count=" + PROBE_BYTES / (256 * 1024)).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    return Map.of();
                }
                Matcher m = DD_SECONDS.matcher(out);
                if (m.find()) {
                    double gib = PROBE_BYTES / (1024.0 * 1024 * 1024) / Double.parseDouble(m.group(1));
                    perCpu.put("cpu" + c, Math.round(gib * 10) / 10.0);
                }
            } catch (IOException | RuntimeException e) {
                return Map.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Map.of();
            }
        }
        return perCpu;
    }
}
