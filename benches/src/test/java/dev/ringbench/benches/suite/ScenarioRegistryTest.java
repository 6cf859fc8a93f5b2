package dev.ringbench.benches.suite;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scenarios are found through JMH's benchmark list, and their counts come from it. */
class ScenarioRegistryTest {
    @Test
    void everyScenarioClassIsFoundInOrder() {
        List<String> ids = Scenario.ids();
        assertTrue(ids.containsAll(List.of("throughput", "contention", "notification", "sample-rate", "discard", "nmi",
                "reserve-vs-output", "latency", "memory-efficiency", "ordering", "overwrite", "recovery",
                "kernel-bench", "user-ring")), ids.toString());
        assertEquals(List.of("throughput", "contention", "notification"), ids.subList(0, 3));
        List<Scenario> all = Scenario.values();
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).order() < all.get(i).order(), "not in order: " + all);
        }
        for (Scenario s : Scenario.values()) {
            assertTrue(s.benchmarkClass().startsWith("dev.ringbench.benches.scenarios."), s.benchmarkClass());
            assertTrue(s.paramNames().contains("channel"), s.id() + " has no channel @Param");
            assertFalse(s.question().isBlank(), s.id());
            assertTrue(s.benchmarkMethods() >= 1, s.id() + ": no benchmark in JMH's list");
            for (Preset p : Preset.values()) {
                assertTrue(s.paramNames().containsAll(s.params(p).keySet()), s.id() + " " + p + ": " + s.params(p));
            }
        }
    }

    @Test
    void benchmarkCountsComeFromJmhsList() {
        assertEquals(2, Scenario.byId("throughput").benchmarkMethods()); // parallel (a group) and backToBack
        assertEquals(4, Scenario.byId("overwrite").benchmarkMethods()); // 1 and 2 producers, overwrite and normal
        assertEquals(2, Scenario.byId("recovery").benchmarkMethods()); // recover, recoverConcurrent (a group)
        assertEquals(1, Scenario.byId("notification").benchmarkMethods()); // one group
    }

    @Test
    void idsAndClassNamesAreUnique() {
        Set<String> names = new TreeSet<>(Scenario.benchmarkClassNames());
        assertEquals(Scenario.values().size(), names.size());
        assertEquals(Scenario.values().size(), Set.copyOf(Scenario.ids()).size());
    }
}
