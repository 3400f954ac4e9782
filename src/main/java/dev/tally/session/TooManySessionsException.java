package dev.tally.session;

import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;

/**
 * The request needs a new session and the container holds as many as it may (Tomcat's {@code maxActiveSessions}): the
 * server is full, not broken, and the client should come back later.
 */
public class TooManySessionsException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public TooManySessionsException() {
        super(Problem.TOO_MANY_SESSIONS, "The server holds as many sessions as it may; try again later.");
    }
}
