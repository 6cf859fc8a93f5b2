package dev.ringbench.benches.suite;

/**
 * How long each scenario runs. JMH forks, warm-up and measurement iterations per parameter
 * combination; scenarios choose their parameter values per preset.
 */
public enum Preset {
    /** Proves every scenario runs and writes valid JSON; numbers mean nothing. CI runs this. */
    SMOKE(1, 0, 100, 1, 200),
    /**
     * The default, and the one published: 2 forks, each 1 x 0.4 s warm-up and 5 x 0.4 s measurement:
     * 10 samples per result for the median and interquartile range, from two independent JVMs (a
     * host slow mode takes a whole fork). C2 has compiled these small loops within the warm-up or the
     * first measured iteration, and the quartiles of 10 samples move not at all for up to 2 slow
     * samples at either end. Estimated about 35 minutes for every scenario on 2 cores
     * ({@code run --dry-run} prints the estimate per scenario); the forks' JVM start dominates, which
     * is why more, shorter iterations beat fewer, longer ones here.
     */
    STANDARD(2, 1, 400, 5, 400),
    /** Publication quality: 3 forks, 3 x 2 s warm-up, 5 x 2 s measurement. Hours. */
    FULL(3, 3, 2000, 5, 2000);

    /** Rough cost of starting one forked JVM, for the remaining-time estimate. */
    static final long FORK_OVERHEAD_MS = 1500;

    private final int forks;
    private final int warmupIterations;
    private final int warmupMillis;
    private final int iterations;
    private final int measurementMillis;

    Preset(int forks, int warmupIterations, int warmupMillis, int iterations, int measurementMillis) {
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.warmupMillis = warmupMillis;
        this.iterations = iterations;
        this.measurementMillis = measurementMillis;
    }

    public int forks() {
        return forks;
    }

    public int warmupIterations() {
        return warmupIterations;
    }

    public int warmupMillis() {
        return warmupMillis;
    }

    public int iterations() {
        return iterations;
    }

    public int measurementMillis() {
        return measurementMillis;
    }

    /** The estimate's cost of starting one forked JVM, in milliseconds. */
    public long forkOverheadMillis() {
        return FORK_OVERHEAD_MS;
    }

    /** Estimated wall time of one parameter combination, in milliseconds. */
    public long millisPerCombination() {
        return forks * (FORK_OVERHEAD_MS + (long) warmupIterations * warmupMillis + (long) iterations * measurementMillis);
    }
}
