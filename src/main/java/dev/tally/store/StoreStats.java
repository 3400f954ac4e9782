package dev.tally.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts the operations a store was asked for and those that failed because the store did not answer (the 503s),
 * for the store's MBean. {@link #counters} and {@link #cache} wrap a store so that every call is counted; a
 * {@link LongAdder} keeps counting cheap under contention.
 */
public final class StoreStats {

    private final LongAdder operations = new LongAdder();
    private final LongAdder failures = new LongAdder();

    private volatile CoalescingCounterStore coalescing;

    public long operations() {
        return operations.sum();
    }

    /** Says which store coalesces increments, for {@link #incrementRoundTrips}. */
    public void coalescing(CoalescingCounterStore store) {
        coalescing = store;
    }

    /**
     * Round trips that carried increments, when they are coalesced; -1 when each increment is a round trip of its
     * own (the memory store, or {@code tally.store.maxBatch} 1).
     */
    public long incrementRoundTrips() {
        CoalescingCounterStore store = coalescing;
        return store == null ? -1 : store.roundTrips();
    }

    /** Increments asked of a coalescing store; -1 when increments are not coalesced. */
    public long coalescedIncrements() {
        CoalescingCounterStore store = coalescing;
        return store == null ? -1 : store.increments();
    }

    public long failures() {
        return failures.sum();
    }

    private <T> T measured(Supplier<T> operation) {
        operations.increment();
        try {
            return operation.get();
        } catch (StoreUnavailableException e) {
            failures.increment();
            throw e;
        }
    }

    private void run(Runnable operation) {
        measured(() -> {
            operation.run();
            return null;
        });
    }

    public CounterStore counters(CounterStore store) {
        return new CounterStore() {
            @Override
            public long increment(String name) {
                return measured(() -> store.increment(name));
            }

            @Override
            public long add(String name, int count) {
                return measured(() -> store.add(name, count));
            }

            @Override
            public long get(String name) {
                return measured(() -> store.get(name));
            }

            @Override
            public long advanceTo(String name, long value) {
                return measured(() -> store.advanceTo(name, value));
            }

            @Override
            public long count() {
                return measured(store::count);
            }

            @Override
            public void reset(String name) {
                run(() -> store.reset(name));
            }

            @Override
            public String kind() {
                return store.kind();
            }

            @Override
            public void ping() {
                run(store::ping);
            }
        };
    }

    public CacheStore cache(CacheStore store) {
        return new CacheStore() {
            @Override
            public Optional<String> get(String key) {
                return measured(() -> store.get(key));
            }

            @Override
            public void put(String key, String json, Duration ttl) {
                run(() -> store.put(key, json, ttl));
            }

            @Override
            public void delete(String key) {
                run(() -> store.delete(key));
            }

            @Override
            public Optional<CacheUsage> usage() {
                return store.usage();
            }

            @Override
            public String kind() {
                return store.kind();
            }

            @Override
            public void ping() {
                run(store::ping);
            }
        };
    }
}
