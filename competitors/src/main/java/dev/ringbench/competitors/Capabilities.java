package dev.ringbench.competitors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a channel can do: a set of {@link Capability}s, with one accessor per capability so that a
 * scenario can state what it needs as a predicate ({@code Capabilities::discard}). Each
 * {@code ChannelKind} states its set once; its channels report the same.
 *
 * @param variableLength   {@link Capability#VARIABLE_LENGTH}
 * @param reserveCommit    {@link Capability#RESERVE_COMMIT}
 * @param discard          {@link Capability#DISCARD}
 * @param globalOrder      {@link Capability#GLOBAL_ORDER}
 * @param blockingConsumer {@link Capability#BLOCKING_CONSUMER}
 * @param multiProducer    {@link Capability#MULTI_PRODUCER}
 */
public record Capabilities(boolean variableLength, boolean reserveCommit, boolean discard,
                           boolean globalOrder, boolean blockingConsumer, boolean multiProducer) {

    /** The capabilities in {@code set}. */
    public static Capabilities of(Set<Capability> set) {
        return new Capabilities(set.contains(Capability.VARIABLE_LENGTH), set.contains(Capability.RESERVE_COMMIT),
                set.contains(Capability.DISCARD), set.contains(Capability.GLOBAL_ORDER),
                set.contains(Capability.BLOCKING_CONSUMER), set.contains(Capability.MULTI_PRODUCER));
    }

    /** Whether this channel has {@code c}. */
    public boolean has(Capability c) {
        return switch (c) {
            case RESERVE_COMMIT -> reserveCommit;
            case DISCARD -> discard;
            case VARIABLE_LENGTH -> variableLength;
            case GLOBAL_ORDER -> globalOrder;
            case BLOCKING_CONSUMER -> blockingConsumer;
            case MULTI_PRODUCER -> multiProducer;
        };
    }

    /** The capabilities as a set, in {@link Capability}'s order. */
    public Set<Capability> set() {
        EnumSet<Capability> s = EnumSet.noneOf(Capability.class);
        for (Capability c : Capability.values()) {
            if (has(c)) {
                s.add(c);
            }
        }
        return Collections.unmodifiableSet(s);
    }

    /** The capabilities this channel has, as words ({@code reserve/commit, discard, ...}). */
    public List<String> words() {
        return set().stream().map(Capability::word).toList();
    }

    /**
     * What this channel lacks that {@code need} asks for: each missing capability that alone would
     * satisfy it, or, when no single one would, every missing one. Empty when {@code need} is
     * already satisfied.
     */
    public List<Capability> missing(Predicate<Capabilities> need) {
        if (need.test(this)) {
            return List.of();
        }
        Set<Capability> have = set();
        List<Capability> single = new ArrayList<>();
        List<Capability> missing = new ArrayList<>();
        for (Capability c : Capability.values()) {
            if (!has(c)) {
                missing.add(c);
                EnumSet<Capability> with = EnumSet.of(c);
                with.addAll(have);
                if (need.test(of(with))) {
                    single.add(c);
                }
            }
        }
        return single.isEmpty() ? missing : single;
    }

    /** {@link #missing} as words. */
    public List<String> lacking(Predicate<Capabilities> need) {
        return missing(need).stream().map(Capability::word).toList();
    }

    /** The capabilities as words, or "none". */
    @Override
    public String toString() {
        List<String> w = words();
        return w.isEmpty() ? "none" : String.join(", ", w);
    }
}
