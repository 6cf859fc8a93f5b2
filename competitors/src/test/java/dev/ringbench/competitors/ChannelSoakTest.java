package dev.ringbench.competitors;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak of every competitor kind ({@link ChannelSoak}): 1, 2 and 4 producers (1 for a
 * single-producer kind), mixed record sizes, discards where the kind has them, every record
 * checked. {@code mvn test} (and so CI) runs a bounded version: {@value #DEFAULT_RECORDS} records
 * per kind, at most {@value #DEFAULT_SECONDS} s per configuration. {@code scripts/soak.sh channels}
 * runs the long one through these system properties:
 * <ul>
 *   <li>{@code ringbench.soak.records}: records committed per kind (aborted ones not counted),
 *       split evenly over its producer counts;</li>
 *   <li>{@code ringbench.soak.seconds}: time cap per configuration (reaching it ends that
 *       configuration early, which the report says; it is not a failure);</li>
 *   <li>{@code ringbench.soak.kinds}: comma-separated kinds (default: all available here).</li>
 * </ul>
 * Fails on any lost, duplicated, reordered or corrupt record, a discarded record delivered, or a
 * channel whose delivered counter disagrees. Writes the report to {@code target/soak-report.txt}.
 */
class ChannelSoakTest {
    static final long DEFAULT_RECORDS = 300_000;
    static final double DEFAULT_SECONDS = 0.5;

    @Test
    void everyKindDeliversEveryCommittedRecordOnceInOrderIntact() throws Exception {
        long records = Long.getLong("ringbench.soak.records", DEFAULT_RECORDS);
        double seconds = Double.parseDouble(System.getProperty("ringbench.soak.seconds", String.valueOf(DEFAULT_SECONDS)));
        String only = System.getProperty("ringbench.soak.kinds", "");
        List<ChannelKind> kinds = only.isBlank() ? Arrays.asList(ChannelKind.values())
                : Arrays.stream(only.split(",")).map(String::trim).map(ChannelKind::valueOf).toList();
        List<String> report = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long grand = 0;
        report.add(String.format(Locale.ROOT, "channel soak: %,d records per kind, cap %.1f s per configuration", records, seconds));
        for (ChannelKind kind : kinds) {
            String why = kind.unavailableReason();
            if (why != null) {
                report.add(kind + ": left out: " + why);
                continue;
            }
            int[] counts = kind.capabilities().multiProducer() ? new int[] {1, 2, 4} : new int[] {1};
            long perConfig = records / counts.length;
            long kindTotal = 0;
            double kindSeconds = 0;
            boolean capped = false;
            for (int producers : counts) {
                ChannelSoak.Result r = ChannelSoak.run(kind, producers, (perConfig + producers - 1) / producers, seconds);
                report.add("  " + r.line());
                System.out.println(r.line());
                if (!r.clean()) {
                    failures.add(r.line());
                }
                kindTotal += r.delivered();
                kindSeconds += r.seconds();
                capped |= r.timeCapped();
            }
            grand += kindTotal;
            String sum = String.format(Locale.ROOT, "%s: %,d records in %.1f s (%,.0f /s)%s", kind, kindTotal, kindSeconds,
                    kindTotal / Math.max(kindSeconds, 1e-9), capped ? ", time cap reached: short of the target" : "");
            report.add(sum);
            System.out.println(sum);
        }
        report.add(String.format(Locale.ROOT, "total: %,d records; %d configuration(s) failed", grand, failures.size()));
        System.out.println(report.getLast());
        write(report);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void write(List<String> report) throws IOException {
        Path dir = Path.of("target");
        if (Files.isDirectory(dir)) {
            Files.write(dir.resolve("soak-report.txt"), report);
        }
    }
}
