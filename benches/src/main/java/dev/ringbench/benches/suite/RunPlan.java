package dev.ringbench.benches.suite;

import dev.ringbench.competitors.ChannelKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one invocation of the suite will run: for each scenario, the JMH runs (one per library,
 * since each library's forks get only that library's JVM flags, and one per producer count where
 * the scenario sweeps them), and the competitors left out with the reason.
 */
public record RunPlan(Preset preset, List<Step> steps, Map<Scenario, List<String>> leftOut) {

    /** One JMH run. */
    public record Step(Scenario scenario, ChannelKind.Library library, List<ChannelKind> kinds, int producers,
                       Map<String, String> params) {
        /** Parameter combinations JMH will run (channel x every swept parameter). */
        public int combinations() {
            int n = kinds.size();
            for (String v : params.values()) {
                n *= v.split(",").length;
            }
            return n * scenario.benchmarkMethods();
        }
    }

    /** Producer counts a sweeping scenario runs: 1, 2, 4, ... up to {@code max}. */
    public static List<Integer> producerCounts(int max) {
        List<Integer> counts = new ArrayList<>();
        for (int p = 1; p <= max; p *= 2) {
            counts.add(p);
        }
        if (counts.get(counts.size() - 1) != max) {
            counts.add(max);
        }
        return counts;
    }

    /**
     * @param competitors the user's selection (empty: all)
     * @param maxProducers the largest producer count a sweeping scenario runs
     */
    public static RunPlan of(List<Scenario> scenarios, Preset preset, Set<ChannelKind> competitors, int maxProducers) {
        return of(scenarios, preset, competitors, maxProducers, Map.of());
    }

    /**
     * @param overrides the user's {@code @Param} values ({@link ParamOverrides#parse}), replacing the
     *                  preset's where a scenario has the parameter
     */
    public static RunPlan of(List<Scenario> scenarios, Preset preset, Set<ChannelKind> competitors, int maxProducers,
                             Map<String, String> overrides) {
        List<Step> steps = new ArrayList<>();
        Map<Scenario, List<String>> leftOut = new LinkedHashMap<>();
        for (Scenario s : scenarios) {
            // one JMH run per library and per set of parameter values (Scenario.params(preset, kind))
            Map<ChannelKind.Library, Map<Map<String, String>, List<ChannelKind>>> byLibrary =
                    new EnumMap<>(ChannelKind.Library.class);
            List<String> out = new ArrayList<>();
            for (ChannelKind k : competitors) {
                if (!s.kinds().contains(k)) {
                    out.add(k + ": not part of this scenario");
                }
            }
            for (ChannelKind k : s.kinds()) {
                if (!competitors.isEmpty() && !competitors.contains(k)) {
                    continue;
                }
                String unavailable = k.unavailableReason();
                if (unavailable != null) { // e.g. the real kernel's maps without BPF permission
                    out.add(k + ": unavailable here (" + unavailable + ")");
                    continue;
                }
                if (!s.supports(k.capabilities())) {
                    out.add(k + ": not supported, lacks " + String.join(" or ", s.lacking(k.capabilities())));
                    continue;
                }
                Map<String, String> params = s.params(preset, k, overrides);
                String none = params.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey)
                        .findFirst().orElse(null);
                if (none != null) { // e.g. -p strategy=WAKEUP_EVENTS:10 for a ring buffer
                    out.add(k + ": no value of " + none + " given applies to it");
                    continue;
                }
                byLibrary.computeIfAbsent(k.library(), l -> new LinkedHashMap<>())
                        .computeIfAbsent(params, p -> new ArrayList<>()).add(k);
            }
            leftOut.put(s, out);
            List<Integer> producers = !s.sweepsProducers() ? List.of(0) : overrides.containsKey("producers")
                    ? Arrays.stream(overrides.get("producers").split(",")).map(Integer::valueOf).toList()
                    : producerCounts(maxProducers);
            for (var e : byLibrary.entrySet()) {
                for (var g : e.getValue().entrySet()) {
                    for (int p : producers) {
                        steps.add(new Step(s, e.getKey(), g.getValue(), p, g.getKey()));
                    }
                }
            }
        }
        return new RunPlan(preset, steps, leftOut);
    }

    /** Estimated wall time of each scenario's steps, in milliseconds, in plan order. */
    public Map<Scenario, Long> estimateMillisByScenario() {
        Map<Scenario, Long> ms = new LinkedHashMap<>();
        for (Step st : steps) {
            ms.merge(st.scenario(), st.combinations() * preset.millisPerCombination(), Long::sum);
        }
        return ms;
    }

    /** Parameter combinations of each scenario's steps, in plan order. */
    public Map<Scenario, Integer> combinationsByScenario() {
        Map<Scenario, Integer> n = new LinkedHashMap<>();
        for (Step st : steps) {
            n.merge(st.scenario(), st.combinations(), Integer::sum);
        }
        return n;
    }

    /** Estimated wall time of steps {@code from..end}, in milliseconds. */
    public long estimateMillis(int from) {
        long ms = 0;
        for (int i = from; i < steps.size(); i++) {
            ms += steps.get(i).combinations() * preset.millisPerCombination();
        }
        return ms;
    }
}
