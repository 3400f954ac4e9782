package dev.tally.store;

/**
 * The store already holds as many counters as it is allowed to, and this name would be a new one.
 */
public class CounterLimitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CounterLimitException(int limit) {
        super("the store already holds its limit of " + limit + " counters");
    }
}
