package dev.tally.store;

/**
 * One configured store: the counters and the cache it holds, and the resources behind them (a client, a pool),
 * released by {@link #close()} when the application stops so that nothing outlives it.
 */
public interface StoreBackend extends AutoCloseable {

    CounterStore counters();

    CacheStore cache();

    /** Releases every connection, pool and thread of this store. Never throws. */
    @Override
    void close();
}
