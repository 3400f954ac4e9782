package dev.tally.store;

import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;

/**
 * The store already holds as many counters as it is allowed to, and this name would be a new one.
 */
public class CounterLimitException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public CounterLimitException(int limit) {
        super(Problem.TOO_MANY_COUNTERS, "the store already holds its limit of " + limit + " counters");
    }
}
