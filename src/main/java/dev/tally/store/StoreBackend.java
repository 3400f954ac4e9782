package dev.tally.store;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * One configured store: the counters and the cache it holds, and the resources behind them (a client, a pool),
 * released by {@link #close()} when the application stops so that nothing outlives it.
 */
public interface StoreBackend extends AutoCloseable {

    /** The limit on a shared store's distinct counters until {@link #limitCounters} sets one. */
    int DEFAULT_MAX_COUNTERS = 100_000;

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

    /**
     * Limits the distinct counters of a shared store, counted for every JVM that uses it ({@code
     * tally.store.maxCounters}; {@value #DEFAULT_MAX_COUNTERS} until set). The memory store takes its own limit when
     * it is built, and ignores this. Returns this backend.
     */
    default StoreBackend limitCounters(int maxCounters) {
        return this;
    }

    /** Releases every connection, pool and thread of this store. Never throws. */
    @Override
    void close();

    /** Records the figures of the store's own connection pool (HikariCP's) into {@code registry}; most have none. */
    default void bindMetrics(MeterRegistry registry) {
    }
}
