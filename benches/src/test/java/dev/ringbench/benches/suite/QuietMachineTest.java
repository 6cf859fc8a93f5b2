package dev.ringbench.benches.suite;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quiet-machine guard's rule (other processes above 5 % of one CPU over a scenario; a busy
 * start) and its accounting: other processes' time is the machine's busy time less this process
 * tree's, charged to the scenario that was running.
 */
class QuietMachineTest {
    private static final long S = 1_000_000_000L;

    @Test
    void theRuleIsFivePercentOfOneCpuOverTheScenarioAndLoadAboveOnePointFiveAtTheStart() {
        assertEquals(List.of(), QuietMachine.why(100, 5.0)); // exactly 5 %: quiet
        assertEquals(1, QuietMachine.why(100, 5.1).size());
        assertTrue(QuietMachine.why(100, 5.1).get(0).contains("5.1 % of one CPU"), QuietMachine.why(100, 5.1).toString());
        assertEquals(List.of(), QuietMachine.why(0, 1)); // nothing watched: no verdict
        assertEquals(List.of(), QuietMachine.whyAtStart(3, 0.1, 1.5));
        assertTrue(QuietMachine.whyAtStart(3, 0.1, 1.51).get(0).contains("load average 1.51"));
        assertEquals(1, QuietMachine.whyAtStart(3, 0.3, 0.2).size());
    }

    /** Samples handed out in order: (seconds, machine busy CPU s, our CPU s, load). */
    private static QuietMachine.Probe probe(double[]... samples) {
        Deque<QuietMachine.Sample> q = new ArrayDeque<>();
        for (double[] s : samples) {
            q.add(new QuietMachine.Sample((long) (s[0] * S), s[1], 0, s[2], s[3]));
        }
        return () -> q.isEmpty() ? null : q.poll();
    }

    @Test
    void otherProcessesTimeIsBusyLessOursChargedToTheRunningScenario() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        QuietMachine g = new QuietMachine(probe(
                new double[] {0, 0, 0, 0.5},
                new double[] {3, 3.0, 2.9, 0.6},      // start: 0.1 CPU s in 3 s = 3.3 %: quiet
                new double[] {3, 3.0, 2.9, 0.6},      // scenario a begins
                new double[] {53, 103.0, 100.4, 1.9}, // a ends: busy 100, ours 97.5: 2.5 in 50 s = 5 %: quiet
                new double[] {53, 103.0, 100.4, 1.9}, // b begins
                new double[] {73, 143.0, 138.4, 2.4}), // b: busy 40, ours 38: 2 CPU s in 20 s = 10 %: disturbed
                new PrintStream(err, true), 0);
        g.start();
        g.scenario("a");
        g.endScenario("a");
        g.scenario("b");
        List<String> whyB = g.endScenario("b");
        assertEquals(1, whyB.size(), whyB.toString());
        assertTrue(g.disturbed());
        assertTrue(err.toString().contains("scenario b was disturbed"), err.toString());
        assertFalse(err.toString().contains("scenario a"), err.toString());

        Map<String, Object> sum = g.summary();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> per = (Map<String, Map<String, Object>>) sum.get("scenarios");
        assertEquals(false, per.get("a").get("disturbed"));
        assertEquals(2.5, (double) per.get("a").get("otherCpuSeconds"), 1e-9);
        assertEquals(0.05, (double) per.get("a").get("otherCpuShare"), 1e-9);
        assertEquals(true, per.get("b").get("disturbed"));
        assertEquals(2.0, (double) per.get("b").get("otherCpuSeconds"), 1e-9);
        assertEquals(4.6, (double) sum.get("otherCpuSeconds"), 1e-9); // 0.1 + 2.5 + 2.0
        assertEquals(2.4, (double) sum.get("loadAverageMax"), 1e-9);
        assertEquals(false, sum.get("disturbedAtStart"));
        assertEquals(true, sum.get("disturbed"));
        assertTrue(sum.get("why").toString().contains("b: other processes used 10.0 %"), sum.get("why").toString());
    }

    @Test
    void aBusyStartIsWarnedAboutAndMakesTheRunDisturbed() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        QuietMachine g = new QuietMachine(probe(new double[] {0, 0, 0, 7.4}, new double[] {3, 4.0, 1.0, 7.5}),
                new PrintStream(err, true), 0);
        g.start();
        assertTrue(g.disturbed());
        assertTrue(err.toString().startsWith("WARNING: the machine is not quiet"), err.toString());
        assertTrue(err.toString().contains("load average 7.40"), err.toString());
        assertEquals(true, g.summary().get("disturbedAtStart"));
    }
}
