package dev.tally.session;

import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;

/** The session already holds {@code tally.session.maxKeys} keys of data, and this would be a new one. */
public class TooManyKeysException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public TooManyKeysException(int maxKeys) {
        super(Problem.TOO_MANY_KEYS, "A session holds at most " + maxKeys + " keys; delete one first.");
    }
}
