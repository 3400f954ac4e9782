package dev.tally.store;

/**
 * Named counters shared by every request of the application, and for an external store by every JVM that uses it.
 *
 * <p>Implementations are called concurrently from many request threads and must be thread-safe without help from the
 * caller. An increment is <em>one</em> atomic store operation that returns the new value, so two calls never see the
 * same value (until an explicit {@link #reset}); it is never built from a read followed by a write.
 *
 * <p>Names are untrusted input. Callers validate them against {@code [A-Za-z0-9._-]{1,64}} before calling; a store
 * still treats them as data (bound parameters, never concatenated into a command or statement).
 *
 * <p>Every method may throw {@link StoreUnavailableException} when the store cannot be reached in time. After such a
 * failure an increment may or may not have been applied; a caller must never retry it in a way that could hand out
 * a value twice.
 */
public interface CounterStore extends Store {

    /**
     * Adds one to the counter, creating it at 0 first if it does not exist, and returns the new value.
     *
     * @throws CounterExhaustedException when the counter is at {@link Long#MAX_VALUE}; it stays there
     * @throws CounterLimitException when the counter does not exist and the store holds as many as it may
     */
    long increment(String name);

    /**
     * Adds {@code count} (at least 1) as one atomic store operation and returns the new value: the values
     * new-count+1 .. new are the caller's, each to be handed out once. Many increments of one counter so cost one
     * round trip ({@link CoalescingCounterStore}).
     *
     * @throws CounterExhaustedException when adding {@code count} would pass {@link Long#MAX_VALUE}; nothing is added
     * @throws CounterLimitException when the counter does not exist and the store holds as many as it may
     */
    long add(String name, int count);

    /**
     * The current value of the counter; 0 for a counter that was never incremented. Never creates it.
     */
    long get(String name);

    /**
     * Raises the counter to at least {@code value} (at least 0) and returns its value afterwards. It never lowers a
     * counter, so no value already handed out is handed out again; used to carry a counter over from another store.
     *
     * @throws CounterLimitException when the counter does not exist and the store holds as many as it may
     */
    long advanceTo(String name, long value);

    /**
     * How many distinct counters the store holds, for every JVM that uses it: what its limit on counters counts.
     */
    long count();

    /**
     * Sets the counter back to 0, after which values are handed out again from 1. A missing counter is left missing;
     * an existing one keeps its place among the counters the store may hold.
     */
    void reset(String name);
}
