package dev.tally.store;

/**
 * Adding this would take the state clients keep in this JVM past {@code tally.memory.budget}; nothing was added, and
 * nothing already held was dropped.
 */
public class MemoryFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MemoryFullException(long limit) {
        super("the state clients keep in this JVM is at its budget of " + limit + " bytes");
    }
}
