package dev.tally.store;

/**
 * The store could not be reached, or did not answer in time. The operation may or may not have been applied.
 * The message names the store's kind and what failed; it never carries credentials.
 */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
