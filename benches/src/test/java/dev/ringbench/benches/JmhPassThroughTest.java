package dev.ringbench.benches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringbench.benches.suite.BadInput;
import dev.ringbench.competitors.ChannelKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code benches.jar jmh}: JMH's command line, with the fork flags of the selected competitors'
 * libraries. The forked runs are the README's "JMH itself" command, shortened (one fork, no
 * warm-up, one 100 ms iteration): without Agrona's {@code --add-exports} its fork fails with an
 * {@code IllegalAccessError}, and {@code -foe true} turns that into a failed run.
 */
class JmhPassThroughTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void noLock() {
        System.setProperty("jmh.ignoreLock", "true");
    }

    /** One competitor of each library. */
    enum OnePerLibrary {
        BPF_RINGBUF_LIBBPF, AGRONA_MANY_TO_ONE, JCTOOLS_MPSC, DISRUPTOR_BLOCKING, KERNEL_RINGBUF_LIBBPF
    }

    @ParameterizedTest
    @EnumSource(OnePerLibrary.class)
    void aForkedRunOfEachLibrarySucceeds(OnePerLibrary which) throws Exception {
        ChannelKind kind = ChannelKind.valueOf(which.name());
        assumeTrue(kind.unavailableReason() == null, () -> kind + ": " + kind.unavailableReason());
        Path json = tmp.resolve(kind + ".json");
        int rc = JmhPassThrough.run(new String[] {"ThroughputScenario.backToBack", "-p", "channel=" + kind,
                "-p", "payload=64", "-f", "1", "-wi", "0", "-i", "1", "-r", "100ms", "-foe", "true",
                "-rf", "json", "-rff", json.toString()});
        assertEquals(0, rc, kind + ": the forked run failed (see its output above)");
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        assertEquals(1, results.size(), results.toString());
        JsonNode r = results.get(0);
        assertEquals(kind.name(), r.at("/params/channel").asText());
        assertTrue(r.at("/primaryMetric/score").asDouble() > 0, r.toString());
        for (String flag : kind.library().jvmArgs()) {
            assertTrue(containsText(r.get("jvmArgs"), flag), kind + " fork lacks " + flag + ": " + r.get("jvmArgs"));
        }
    }

    @Test
    void flagsAreTheSelectedLibrariesOrAllOfThemOnce() {
        assertEquals(List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"),
                JmhPassThrough.forkFlags(List.of("AGRONA_ONE_TO_ONE", "AGRONA_MANY_TO_ONE")));
        List<String> all = JmhPassThrough.forkFlags(List.of());
        for (ChannelKind.Library l : ChannelKind.Library.values()) {
            assertTrue(all.containsAll(l.jvmArgs()), l + " missing from " + all);
        }
        assertEquals(Set.copyOf(all).size(), all.size(), "a flag twice: " + all);
    }

    @Test
    void anUnknownChannelIsAUsageError() {
        BadInput e = assertThrows(BadInput.class, () -> JmhPassThrough.forkFlags(List.of("AGRONA")));
        assertTrue(e.getMessage().contains("AGRONA_MANY_TO_ONE"), e.getMessage());
        assertEquals(JmhPassThrough.USAGE, run("-p", "channel=NOPE", "ThroughputScenario"));
        assertEquals(JmhPassThrough.USAGE, run("NoSuchScenario"));
        assertEquals(JmhPassThrough.USAGE, run("-f", "x"));
    }

    private static int run(String... args) {
        try {
            return JmhPassThrough.run(args);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode n : array) {
            if (n.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }
}
