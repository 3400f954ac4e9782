package dev.tally.session;

import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;

/** A conditional write found the value under its key changed, gone or present against its {@link WriteCondition}. */
public class PreconditionFailedException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public PreconditionFailedException() {
        super(Problem.PRECONDITION_FAILED, "The value under this key is not the version you named (If-Match) or"
                + " exists against If-None-Match; nothing was changed. Read it again, with its ETag, and retry.");
    }
}
