package dev.ringbench.benches.charts;

import dev.ringbench.competitors.ChannelKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The charts name competitor kinds by string ({@link Kinds}), without the competitors' classes:
 * every {@link ChannelKind} must be among those names, in the enum's order (series order and
 * colours follow it), and no charts source may use a class of {@code dev.ringbench.competitors}.
 */
class KindsTest {
    @Test
    void everyChannelKindIsAKnownNameInEnumOrder() {
        List<String> known = new ArrayList<>();
        for (ChannelKind k : ChannelKind.values()) {
            assertTrue(Kinds.NAMES.contains(k.name()), k + " missing from Kinds.NAMES: it would be drawn grey, last");
            known.add(k.name());
        }
        List<String> inChartOrder = Kinds.NAMES.stream().filter(known::contains).toList();
        assertEquals(known, inChartOrder, "Kinds.NAMES lists the kinds in ChannelKind's order");
        assertEquals(Kinds.NAMES.size(), new HashSet<>(Kinds.NAMES).size(), "no name twice");
    }

    @Test
    void unknownNamesComeLastAndGrey() {
        assertEquals(Integer.MAX_VALUE, Kinds.rank("NO_SUCH_KIND"));
        assertEquals(-1, Kinds.index(null));
        assertEquals(Palette.of("NO_SUCH_KIND"), Palette.of("ANOTHER_UNKNOWN"));
    }

    @Test
    void chartsSourcesUseNoCompetitorsClass() throws IOException {
        Path dir = Path.of("src/main/java/dev/ringbench/benches/charts");
        assertTrue(Files.isDirectory(dir), "run from the benches module: " + dir.toAbsolutePath());
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (Files.readString(p).contains("dev.ringbench.competitors.")) {
                    offenders.add(p.getFileName().toString());
                }
            }
        }
        assertEquals(List.of(), offenders, "charts classes that use dev.ringbench.competitors");
    }
}
