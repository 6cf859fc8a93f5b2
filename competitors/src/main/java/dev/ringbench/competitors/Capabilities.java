package dev.ringbench.competitors;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a channel can do, declared by its adapter.
 *
 * @param variableLength   records use only the bytes they need (false: fixed-size slots)
 * @param reserveCommit    a producer can reserve space, write in place, then commit
 * @param discard          a reserved record can be given up and the consumer never sees it
 * @param globalOrder      the consumer sees records in one order across all producers (the order
 *                         space was reserved in)
 * @param blockingConsumer the consumer can sleep until woken, rather than spin or poll
 * @param multiProducer    more than one producer may share the channel
 */
public record Capabilities(boolean variableLength, boolean reserveCommit, boolean discard,
                           boolean globalOrder, boolean blockingConsumer, boolean multiProducer) {
    /** Each capability's word, in the order {@link #words()} lists them. */
    private static final String[] WORDS = {"reserve/commit", "discard", "variable length", "global order",
            "blocking consumer", "multi-producer"};

    /** The capabilities this channel has, as words ({@code reserve/commit, discard, ...}). */
    public List<String> words() {
        List<String> w = new ArrayList<>();
        boolean[] f = flags();
        for (int i = 0; i < f.length; i++) {
            if (f[i]) {
                w.add(WORDS[i]);
            }
        }
        return w;
    }

    /**
     * What this channel lacks that {@code need} asks for, as words: each missing capability that
     * alone would satisfy it, or, when no single one would, every missing one. Empty when
     * {@code need} is already satisfied.
     */
    public List<String> lacking(Predicate<Capabilities> need) {
        if (need.test(this)) {
            return List.of();
        }
        boolean[] f = flags();
        List<String> single = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < f.length; i++) {
            if (!f[i]) {
                missing.add(WORDS[i]);
                boolean[] g = f.clone();
                g[i] = true;
                if (need.test(of(g))) {
                    single.add(WORDS[i]);
                }
            }
        }
        return single.isEmpty() ? missing : single;
    }

    /** The capabilities as words, or "none". */
    @Override
    public String toString() {
        List<String> w = words();
        return w.isEmpty() ? "none" : String.join(", ", w);
    }

    /** The flags in {@link #WORDS}' order. */
    private boolean[] flags() {
        return new boolean[] {reserveCommit, discard, variableLength, globalOrder, blockingConsumer, multiProducer};
    }

    private static Capabilities of(boolean[] f) {
        return new Capabilities(f[2], f[0], f[1], f[3], f[4], f[5]);
    }
}
