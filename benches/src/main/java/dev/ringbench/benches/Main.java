package dev.ringbench.benches;

import java.io.PrintStream;

/**
 * The program behind {@code java -jar benches.jar}. The JMH suite arrives with issue 4; until then
 * the program runs {@link PortDemo}, a short demonstration of the ring buffer port.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println("usage: java -jar benches.jar");
            out.println("  Runs a short demonstration of the BPF ring buffer port and prints what it did.");
            out.println("  (The benchmark suite and its subcommands are not built yet.)");
            return;
        }
        if (args.length > 0) {
            System.err.println("unknown arguments " + String.join(" ", args)
                    + ": the benchmark suite and its subcommands are not built yet; run without arguments for the demo");
            System.exit(2);
        }
        System.exit(new PortDemo(out).run());
    }
}
