package dev.tally.problem;

/** Nothing is held under what the client asked for (a cache key, a session data key). */
public class NotFoundException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String detail) {
        super(Problem.NOT_FOUND, detail);
    }
}
