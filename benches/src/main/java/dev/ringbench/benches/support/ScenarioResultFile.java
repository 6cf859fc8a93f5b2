package dev.ringbench.benches.support;

import java.util.Map;

/**
 * The extra result file beside a scenario's JMH JSON, for values that are not rates and that JMH
 * would sum over iterations (percentiles, ratios, memory sizes):
 * {@code <run dir>/<scenario-id>-<what>.json}, one object whose keys are the parameter
 * combinations ({@code "channel=X,name=value,..."}, JMH's parameter names sorted) and whose
 * values are objects of plain numbers plus {@code "params"} (the combination again, as strings).
 * Each forked JVM (one per combination) adds its entry; nothing is written when the run directory
 * ({@link dev.ringbench.benches.suite.SuiteRunner#OUT_DIR_PROPERTY}) is not set. Written by
 * {@link ExtraResults#put}, which locks the file while it merges.
 */
public final class ScenarioResultFile {
    private ScenarioResultFile() {
    }

    /** Merges one combination's numbers: see {@link ExtraResults#put}. */
    public static void put(String scenarioId, String what, Map<String, String> params, Map<String, ? extends Number> values) {
        ExtraResults.put(scenarioId, what, params, values);
    }
}
