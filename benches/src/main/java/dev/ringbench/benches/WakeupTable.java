package dev.ringbench.benches;

import java.io.PrintStream;
import java.nio.file.Path;

/** Prints the notification scenario's results as a table. */
final class WakeupTable {
    private WakeupTable() {
    }

    static void print(Path json, PrintStream out) {
        out.println("wake-up table: " + json + " (table not built yet)");
    }
}
