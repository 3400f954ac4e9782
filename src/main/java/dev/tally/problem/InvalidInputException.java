package dev.tally.problem;

/** A value a client sent (a name, a key, a number, a time to live) that breaks its rule; the detail states the rule. */
public class InvalidInputException extends ProblemException {

    private static final long serialVersionUID = 1L;

    /** @param problem one of the {@code INVALID_*} problems */
    public InvalidInputException(Problem problem, String rule) {
        super(problem, rule);
        if (problem.status() != 400) {
            throw new IllegalArgumentException(problem + " is not about input");
        }
    }
}
