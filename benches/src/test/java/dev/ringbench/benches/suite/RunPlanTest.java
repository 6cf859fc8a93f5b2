package dev.ringbench.benches.suite;

import dev.ringbench.competitors.ChannelKind;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunPlanTest {
    @Test
    void aCompetitorLeftOutIsToldWhatItLacks() {
        RunPlan plan = RunPlan.of(List.of(Scenario.byId("contention"), Scenario.byId("discard")), Preset.SMOKE,
                EnumSet.of(ChannelKind.AGRONA_ONE_TO_ONE, ChannelKind.JCTOOLS_MPSC), 1);
        assertEquals(List.of("AGRONA_ONE_TO_ONE: not supported, lacks multi-producer"), plan.leftOut().get(Scenario.byId("contention")));
        assertEquals(List.of("JCTOOLS_MPSC: not supported, lacks discard"), plan.leftOut().get(Scenario.byId("discard")));
    }

    @Test
    void overridesReplaceThePresetsValuesBeforeThePerKindNarrowing() {
        Map<String, String> o = ParamOverrides.parse(List.of("nmiPercent=10,100"), List.of(Scenario.byId("nmi")));
        RunPlan plan = RunPlan.of(List.of(Scenario.byId("nmi")), Preset.SMOKE,
                EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF, ChannelKind.AGRONA_MANY_TO_ONE), 1, o);
        RunPlan.Step port = plan.steps().stream().filter(s -> s.library() == ChannelKind.Library.RINGBUF).findFirst().orElseThrow();
        RunPlan.Step agrona = plan.steps().stream().filter(s -> s.library() == ChannelKind.Library.AGRONA).findFirst().orElseThrow();
        assertEquals("10,100", port.params().get("nmiPercent"));
        assertEquals("100", agrona.params().get("nmiPercent")); // no NMI context: the last value only
    }

    @Test
    void selectionPrefersAnExactNameThenFindsTheExpression() {
        List<String> all = List.of("ab", "abc", "xabc");
        assertEquals(List.of("ab"), Selection.select("item", List.of("AB"), all, s -> List.of(s)));
        assertEquals(List.of("ab", "abc", "xabc"), Selection.select("item", List.of("b"), all, s -> List.of(s)));
        assertEquals(List.of("abc", "xabc"), Selection.select("item", List.of("xabc", "^abc"), all, s -> List.of(s)));
        BadInput e = assertThrows(BadInput.class, () -> Selection.select("item", List.of("q"), all, s -> List.of(s)));
        assertEquals("no item matches 'q'; valid: ab, abc, xabc", e.getMessage());
        assertEquals(List.of(Scenario.byId("throughput")), Scenario.select(List.of("ThroughputScenario")));
    }
}
