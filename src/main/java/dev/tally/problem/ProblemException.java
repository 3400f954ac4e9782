package dev.tally.problem;

/**
 * A request Tally refuses, as one of the {@link Problem}s. The detail is shown to the client, so it never holds
 * internals. Services throw the subclasses that say what went wrong in their terms ({@link InvalidInputException},
 * {@link NotFoundException}, the store's exceptions); the web layer throws this class itself for what only HTTP knows
 * (a body too large, a method a path does not take).
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Problem problem;
    private final String detail;

    public ProblemException(Problem problem, String detail) {
        super(detail, null, false, false);
        this.problem = problem;
        this.detail = detail;
    }

    /**
     * A problem whose message is for the log, not for the client: the message (and the cause, kept for a debugger)
     * may be logged; the client is shown the detail only.
     */
    protected ProblemException(Problem problem, String detail, String message, Throwable cause) {
        super(message, cause, false, false);
        this.problem = problem;
        this.detail = detail;
    }

    public Problem problem() {
        return problem;
    }

    /** What the client is told. */
    public String detail() {
        return detail;
    }
}
