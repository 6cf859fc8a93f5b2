package dev.ringbench.benches.kernelbench;

import dev.ringbench.os.WakeMechanism;

import java.util.Arrays;

/**
 * One measurement of the kernel benchmark: a section of {@code run_bench_ringbufs.sh}, its value
 * (the batch of a sample-rate sweep, the producer count of a contention run), and for the
 * perf-buffer rows which consumer runs. Written as a JMH parameter value:
 * {@code <section>[-<value>][+custom][+park]}, for example {@code b2b-sampled}, {@code rate-250},
 * {@code prod-3}, {@code parallel+custom} (pb-custom), {@code b2b+park} (the port woken by
 * park/unpark instead of through the kernel).
 *
 * @param section  the script's section
 * @param value    the swept value of {@link Section#RATE} (batch = rate) and {@link Section#PROD}
 *                 (producers); 0 elsewhere
 * @param custom   perf buffer only: the hand-written {@code pb-custom} consumer instead of
 *                 {@code pb-libbpf} (the ring buffer's consumer is the competitor kind's)
 * @param wake     how a sleeping consumer of the port or the analogue is woken; the kernel rows
 *                 are always {@link WakeMechanism#EVENTFD} (a real epoll)
 */
public record BenchPoint(Section section, int value, boolean custom, WakeMechanism wake) {

    /** The script's sections (all but overwrite mode, which has its own scenario). */
    public enum Section {
        /** "Single-producer, parallel producer". */
        PARALLEL("parallel", false, false, false, false),
        /** "Single-producer, parallel producer, sampled notification" (rate 500). */
        PARALLEL_SAMPLED("parallel-sampled", false, true, false, false),
        /** "Single-producer, back-to-back mode". */
        B2B("b2b", true, false, false, false),
        /** "Single-producer, back-to-back mode", the {@code -sampled} rows. */
        B2B_SAMPLED("b2b-sampled", true, true, false, false),
        /** "... back-to-back, effect of sample rate": {@code --rb-batch-cnt b --rb-sample-rate b}. */
        RATE("rate", true, true, false, true),
        /** "Ringbuf back-to-back, reserve+commit vs output": the output row (reserve is {@link #B2B}). */
        B2B_OUTPUT("b2b-output", true, false, true, false),
        /** "Ringbuf sampled, reserve+commit vs output": the output row (reserve is {@link #PARALLEL_SAMPLED}). */
        SAMPLED_OUTPUT("sampled-output", false, true, true, false),
        /** "consumer/producer competing on the same CPU, low batch count": batch 1, both on CPU 0. */
        SAME_CPU("same-cpu", false, false, false, false),
        /** "Ringbuf, multi-producer contention" / "Perfbuf, multi-producer": batch 50, N producers. */
        PROD("prod", false, false, false, true);

        private final String id;
        private final boolean back2back;
        private final boolean sampled;
        private final boolean useOutput;
        private final boolean valued;

        Section(String id, boolean back2back, boolean sampled, boolean useOutput, boolean valued) {
            this.id = id;
            this.back2back = back2back;
            this.sampled = sampled;
            this.useOutput = useOutput;
            this.valued = valued;
        }

        public String id() {
            return id;
        }

        static Section byId(String id) {
            for (Section s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** The script's default batch ({@code --rb-batch-cnt}) and sample rate ({@code --rb-sample-rate}). */
    public static final int DEFAULT_BATCH = 500;
    public static final int DEFAULT_SAMPLE_RATE = 500;
    /** The multi-producer sections' batch. */
    public static final int PROD_BATCH = 50;

    public BenchPoint {
        if (section.valued != (value > 0)) {
            throw new IllegalArgumentException(section.id + (section.valued ? " needs a positive value" : " takes no value"));
        }
    }

    /** {@code --rb-b2b}. */
    public boolean back2back() {
        return section.back2back;
    }

    /** {@code --rb-sampled}. */
    public boolean sampled() {
        return section.sampled;
    }

    /** {@code --rb-use-output}. */
    public boolean useOutput() {
        return section.useOutput;
    }

    /** {@code --rb-batch-cnt}. */
    public int batch() {
        return switch (section) {
            case RATE -> value;
            case SAME_CPU -> 1;
            case PROD -> PROD_BATCH;
            default -> DEFAULT_BATCH;
        };
    }

    /**
     * {@code --rb-sample-rate}: used only when {@link #sampled()} (the script passes a rate to the
     * same-CPU and perf multi-producer sections without {@code --rb-sampled}, where it changes nothing).
     */
    public int sampleRate() {
        return section == Section.RATE ? value : DEFAULT_SAMPLE_RATE;
    }

    /** Producer threads ({@code -p}). */
    public int producers() {
        return section == Section.PROD ? value : 1;
    }

    /** {@code --prod-affinity 0 --cons-affinity 0}. */
    public boolean sameCpu() {
        return section == Section.SAME_CPU;
    }

    /** The JMH parameter value. */
    @Override
    public String toString() {
        return section.id + (value > 0 ? "-" + value : "") + (custom ? "+custom" : "")
                + (wake == WakeMechanism.PARK ? "+park" : "");
    }

    /**
     * Parses a JMH parameter value.
     *
     * @throws IllegalArgumentException naming what was wrong and what is valid
     */
    public static BenchPoint parse(String s) {
        String[] parts = s.split("\\+", -1);
        boolean custom = false;
        WakeMechanism wake = WakeMechanism.EVENTFD;
        for (int i = 1; i < parts.length; i++) {
            switch (parts[i]) {
                case "custom" -> custom = true;
                case "park" -> wake = WakeMechanism.PARK;
                default -> throw bad(s, "unknown option '+" + parts[i] + "'");
            }
        }
        String head = parts[0];
        Section sec = Section.byId(head);
        int value = 0;
        if (sec == null) {
            int dash = head.lastIndexOf('-');
            sec = dash > 0 ? Section.byId(head.substring(0, dash)) : null;
            if (sec == null || !sec.valued) {
                throw bad(s, "unknown section '" + head + "'");
            }
            try {
                value = Integer.parseInt(head.substring(dash + 1));
            } catch (NumberFormatException e) {
                throw bad(s, "'" + head.substring(dash + 1) + "' is not a number");
            }
        }
        try {
            return new BenchPoint(sec, value, custom, wake);
        } catch (IllegalArgumentException e) {
            throw bad(s, e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String s, String why) {
        return new IllegalArgumentException("kernel-bench point '" + s + "': " + why + "; valid: "
                + String.join(", ", Arrays.stream(Section.values())
                .map(x -> x.id + (x.valued ? "-N" : "")).toList())
                + ", optionally followed by +custom (perf buffer) and +park (port and analogue)");
    }

    /** The script's name of the row this point measures for a consumer ({@code rb-libbpf}, ...). */
    public String scriptRow(String consumer) {
        return switch (section) {
            case RATE -> (consumer.startsWith("rb") ? "rb" : "pb") + "-sampled-" + value;
            case PROD -> consumer + " nr_prod " + value;
            case B2B_OUTPUT -> "output";
            case SAMPLED_OUTPUT -> "output-sampled";
            case B2B_SAMPLED -> consumer + "-sampled";
            default -> consumer;
        };
    }
}
