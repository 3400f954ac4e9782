package dev.tally.store;

/**
 * One configured store: the counters and the cache it holds, and the resources behind them (a client, a pool),
 * released by {@link #close()} when the application stops so that nothing outlives it.
 */
public interface StoreBackend extends AutoCloseable {

    CounterStore counters();

    CacheStore cache();

    /**
     * Where sessions are kept when {@code tally.session.store} names this store.
     *
     * @throws UnsupportedOperationException for a store that cannot hold sessions for many nodes (memory)
     */
    default SessionStore sessions() {
        throw new UnsupportedOperationException("this store does not hold sessions");
    }

    /** Releases every connection, pool and thread of this store. Never throws. */
    @Override
    void close();
}
