package dev.tally.store;

/**
 * The in-JVM store: nothing to connect to and nothing to release.
 */
public record MemoryBackend(MemoryCounterStore counters, MemoryCacheStore cache) implements StoreBackend {

    /**
     * Reserves the cache's bound from {@code budget} at once; each counter is charged to it as it is created.
     *
     * @throws MemoryFullException when the cache's bound does not fit in the budget
     */
    public MemoryBackend(int maxCounters, long cacheMaxEntries, long cacheMaxBytes, MemoryBudget budget) {
        this(new MemoryCounterStore(maxCounters, budget), reserved(budget, cacheMaxBytes,
                new MemoryCacheStore(cacheMaxEntries, cacheMaxBytes)));
    }

    private static MemoryCacheStore reserved(MemoryBudget budget, long bytes, MemoryCacheStore cache) {
        budget.charge(bytes);
        return cache;
    }

    @Override
    public void close() {
        // Nothing outlives the web application: the maps go with its class loader.
    }
}
