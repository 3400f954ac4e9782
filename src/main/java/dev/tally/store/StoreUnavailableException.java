package dev.tally.store;

import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;

/**
 * The store could not be reached, or did not answer in time. The operation may or may not have been applied.
 * The message names the store's kind and what failed, for the log; it never carries credentials, and the client is
 * told only that the store is not answering.
 */
public class StoreUnavailableException extends ProblemException {

    private static final long serialVersionUID = 1L;

    /** What the client is told, whatever failed. */
    public static final String DETAIL =
            "The store is not answering; the request may or may not have been applied. Try again.";

    /** @param message what failed, for the log */
    public StoreUnavailableException(String message, Throwable cause) {
        super(Problem.STORE_UNAVAILABLE, DETAIL, message, cause);
    }
}
