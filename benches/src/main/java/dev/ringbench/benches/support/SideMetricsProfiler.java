package dev.ringbench.benches.support;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The JMH profiler that turns {@link SideMetrics} into secondary metrics: after each iteration
 * (its threads and iteration tear-downs done) one result per reported name, averaged over
 * iterations and forks. Runs in the forked JVM. Enable with
 * {@code -prof dev.ringbench.benches.support.SideMetricsProfiler}; the suite's {@code run} and
 * {@code jmh} commands always do.
 */
public final class SideMetricsProfiler implements InternalProfiler {
    @Override
    public String getDescription() {
        return "ringbench side metrics: per-iteration ratios, percentiles and CPU time the scenarios report";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        SideMetrics.clear();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        List<Result> results = new ArrayList<>();
        SideMetrics.take().forEach((name, v) -> results.add(new ScalarResult(name, v.value(), v.unit(), AggregationPolicy.AVG)));
        return results;
    }
}
