package dev.ringbench.benches.suite;

/**
 * How long each scenario runs. JMH forks, warm-up and measurement iterations per parameter
 * combination; scenarios choose their parameter values per preset.
 */
public enum Preset {
    /** Proves every scenario runs and writes valid JSON; numbers mean nothing. CI runs this. */
    SMOKE(1, 0, 100, 1, 200),
    /**
     * The default: one fork, 2 x 0.5 s warm-up (C2 has compiled these small loops by then), 3 x 1 s
     * measurement. About 25 minutes for every scenario on 2 cores.
     */
    STANDARD(1, 2, 500, 3, 1000),
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
