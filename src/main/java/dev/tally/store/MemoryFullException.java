package dev.tally.store;

import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;

/**
 * Adding this would take the state clients keep in this JVM past {@code tally.memory.budget}; nothing was added, and
 * nothing already held was dropped.
 */
public class MemoryFullException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public MemoryFullException(long limit) {
        super(Problem.STORAGE_FULL, "The server holds as much state as its memory budget allows; nothing was added."
                + " Try again later, when sessions have expired.", "the state clients keep in this JVM is at its budget"
                + " of " + limit + " bytes", null);
    }
}
