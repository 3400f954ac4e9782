package dev.tally.store;

/**
 * The store holds something under a session's name that is not a session of Tally's: another format, another type
 * of key, a value edited by hand. The store has already deleted it; the caller goes on as if there were no session,
 * and logs it. Never an answer of its own: the user gets a fresh state, not an error.
 */
public class CorruptSessionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, naming the session only by the first characters of its hashed id */
    public CorruptSessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
