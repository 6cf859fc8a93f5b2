package dev.ringbench.benches;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as a user meets it: every typo is a usage error (exit 2) of one line that says
 * what was wrong and what is valid, without a stack trace.
 */
class MainTest {
    @TempDir
    Path tmp;

    record Result(int rc, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int rc = Main.commandLine(new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
            return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = { // the messages quote with '
            "run thruput                                   | no scenario matches 'thruput'; valid: throughput, contention",
            "run [                                         | valid: throughput",
            "run throughput --competitors AGRONA_MANY_TO_0 | no competitor matches 'AGRONA_MANY_TO_0'; valid: BPF_RINGBUF_LIBBPF",
            "run --preset smok                             | unknown preset 'smok'; valid: smoke, standard, full",
            "wakeup --preset fast                          | unknown preset 'fast'; valid: smoke, standard, full",
            "run throughput -p payload=big                 | -p payload=big: 'big' is not a whole number",
            "run nmi -p lockEra=SPINLOCK_4_0               | 'SPINLOCK_4_0' is not one of SPINLOCK_5_8, RESILIENT_6_15",
            "run user-ring -p path=NOPE                    | 'NOPE' is not one of USER_RING_DRAIN",
            "run throughput -p paylaod=8                   | no parameter 'paylaod' in throughput; their parameters: throughput payload",
            "run throughput -p payload                     | expected NAME=VALUE",
            "run throughput -p channel=PERFBUF             | choose competitors with --competitors PERFBUF",
            "run contention -p producers=0                 | is not a producer count",
            "run --producers 0                             | --producers 0: must be 1 or more",
            "run --producers many                          | 'many' is not an int",
            "run --frob                                    | Unknown option: '--frob'; options: --preset, --competitors",
            "lsit                                          | commands: list, run, wakeup, charts, spread, parity, jmh, demo",
            "spread /no/such/run                          | /no/such/run",
            "run overwrite --competitors AGRONA_MANY_TO_ONE | nothing to run: overwrite: AGRONA_MANY_TO_ONE: not part of this scenario",
            "run notification -p strategy=WAKEUP_EVENTS:10 --competitors BPF_RINGBUF_LIBBPF | no value of strategy given applies"})
    void aTypoIsOneLineAndExitTwo(String args, String expected) {
        Result r = run(args.trim().split("\\s+"));
        assertEquals(2, r.rc(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @Test
    void aDirectoryThatIsNotARunIsAUsageError() {
        Result r = run("charts", tmp.toString());
        assertEquals(2, r.rc(), r.err());
        assertTrue(r.err().startsWith("benches.jar charts: no results in " + tmp), r.err());
        Result missing = run("charts", tmp.resolve("nope").toString());
        assertEquals(2, missing.rc(), missing.err());
        assertTrue(missing.err().contains("is not a directory"), missing.err());
        Result parity = run("parity", tmp.toString());
        assertEquals(2, parity.rc(), parity.err());
        assertTrue(parity.err().contains(tmp + " holds no kernel-bench.json"), parity.err());
        assertEquals(1, parity.err().lines().count(), parity.err());
    }

    @Test
    void versionNamesTheProjectTheCommitAndTheJdk() {
        Result r = run("--version");
        assertEquals(0, r.rc());
        assertTrue(r.out().startsWith("ringbench 0."), r.out());
        assertTrue(r.out().contains("(commit "), r.out());
        assertFalse(r.out().contains("${"), r.out());
        assertTrue(r.out().contains("JDK ") && r.out().contains(System.getProperty("java.runtime.version")), r.out());
    }

    @Test
    void listShowsCapabilitiesAsWords() {
        Result r = run("list");
        assertEquals(0, r.rc(), r.err());
        assertFalse(r.out().contains("Capabilities["), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("BPF_RINGBUF_LIBBPF")
                && l.contains("reserve/commit, discard, variable length, global order, blocking consumer, multi-producer")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("AGRONA_MANY_TO_ONE")
                && l.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")), r.out());
    }

    @Test
    void scenariosAndCompetitorsByRegularExpression() {
        Result r = run("run", "--dry-run", "--preset", "smoke", "rate|^nmi$", "--competitors", "BPF_RINGBUF_.*,perfbuf");
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("sample-rate") && r.out().contains("nmi "), r.out());
        assertFalse(r.out().contains("throughput ") || r.out().contains("AGRONA"), r.out());
        assertTrue(r.out().contains("[BPF_RINGBUF_LIBBPF, BPF_RINGBUF_BATCHED, PERFBUF]"), r.out());
    }

    @Test
    void paramOverridesAndProducerCountsReachThePlan() {
        Result r = run("run", "--dry-run", "contention", "throughput", "-p", "payload=8", "-p", "producers=2,3",
                "--competitors", "AGRONA_MANY_TO_ONE");
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("producers=2:") && r.out().contains("producers=3:"), r.out());
        assertFalse(r.out().contains("producers=1:") || r.out().contains("producers=8:"), r.out());
        // throughput: 1 payload x 2 benchmark methods
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("throughput") && l.endsWith(": 2 combinations")), r.out());
    }
}
