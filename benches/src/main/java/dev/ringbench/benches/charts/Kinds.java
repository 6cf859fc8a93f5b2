package dev.ringbench.benches.charts;

import java.util.List;

/**
 * The competitor kinds the charts know, by the name results carry in their {@code channel}
 * parameter, in the order series are listed (and, by position, the colour {@link Palette} gives
 * them). The charts name kinds by these strings only, so they draw any run, old or new, without
 * the competitors' classes; the list follows {@code ChannelKind}'s order (a test checks that every
 * kind is here, in that order). A kind is only ever appended, and a retired kind stays, so that
 * colours do not change between runs.
 */
final class Kinds {
    /** Every known kind name, in chart order. */
    static final List<String> NAMES = List.of(
            "BPF_RINGBUF_LIBBPF",
            "BPF_RINGBUF_BATCHED",
            "PERFBUF",
            "DISRUPTOR_BLOCKING",
            "DISRUPTOR_LITE_BLOCKING",
            "DISRUPTOR_SLEEPING",
            "DISRUPTOR_YIELDING",
            "DISRUPTOR_BUSYSPIN",
            "JCTOOLS_MPSC",
            "JCTOOLS_MPSC_BLOCKING",
            "AGRONA_MANY_TO_ONE",
            "AGRONA_ONE_TO_ONE",
            "KERNEL_RINGBUF_LIBBPF",
            "KERNEL_RINGBUF_BATCHED",
            "KERNEL_PERFBUF");

    private Kinds() {
    }

    /** The position of a kind in {@link #NAMES}; -1 for a name that is none (or null). */
    static int index(String name) {
        return name == null ? -1 : NAMES.indexOf(name);
    }

    /** A kind's rank in series order: its position, unknown names last ({@link Integer#MAX_VALUE}). */
    static int rank(String name) {
        int i = index(name);
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}
