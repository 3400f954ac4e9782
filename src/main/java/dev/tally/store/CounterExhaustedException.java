package dev.tally.store;

/**
 * The counter is at {@link Long#MAX_VALUE} and refuses to go further; it never wraps to a negative or repeated value.
 */
public class CounterExhaustedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CounterExhaustedException(String name) {
        super("counter '" + name + "' is at its maximum, " + Long.MAX_VALUE);
    }
}
