package dev.ringbench.benches.suite;

/**
 * Something the user typed that names nothing valid: an unknown scenario, competitor, preset or
 * parameter value, or a directory that is not a run. The message is one line saying what was
 * wrong and what is valid; the command line prints it and exits with status 2, without a stack
 * trace (as picocli's own usage errors).
 */
public final class BadInput extends IllegalArgumentException {
    public BadInput(String message) {
        super(message);
    }
}
