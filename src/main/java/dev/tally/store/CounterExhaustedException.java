package dev.tally.store;

import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;

/**
 * The counter is at the end of the range of a {@code long} and refuses to go further: it never wraps to a repeated or
 * opposite-signed value. Global counters only go up, to {@link Long#MAX_VALUE}; a per-user counter also goes down, to
 * {@link Long#MIN_VALUE}.
 */
public class CounterExhaustedException extends ProblemException {

    private static final long serialVersionUID = 1L;

    /** A counter at its maximum. */
    public CounterExhaustedException(String name) {
        this(name, true);
    }

    /** @param atMaximum whether the counter is at its maximum, else at its minimum */
    public CounterExhaustedException(String name, boolean atMaximum) {
        super(Problem.COUNTER_EXHAUSTED, "counter '" + name + "' is at its " + (atMaximum ? "maximum, "
                + Long.MAX_VALUE : "minimum, " + Long.MIN_VALUE));
    }
}
