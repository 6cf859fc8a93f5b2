package dev.ringbench.competitors;

/**
 * One thing a channel can do, with its word for humans: {@code list} prints these words, and a
 * scenario that leaves a kind out names the ones it lacks.
 */
public enum Capability {
    /** A producer can reserve space, write in place, then commit. */
    RESERVE_COMMIT("reserve/commit"),
    /** A reserved record can be given up and the consumer never sees it. */
    DISCARD("discard"),
    /** Records use only the bytes they need (without it: fixed-size slots). */
    VARIABLE_LENGTH("variable length"),
    /** The consumer sees records in one order across all producers (the order space was reserved in). */
    GLOBAL_ORDER("global order"),
    /** The consumer can sleep until woken, rather than spin or poll. */
    BLOCKING_CONSUMER("blocking consumer"),
    /** More than one producer may share the channel. */
    MULTI_PRODUCER("multi-producer");

    private final String word;

    Capability(String word) {
        this.word = word;
    }

    /** The capability in words ({@code "reserve/commit"}, {@code "multi-producer"}, ...). */
    public String word() {
        return word;
    }

    @Override
    public String toString() {
        return word;
    }
}
