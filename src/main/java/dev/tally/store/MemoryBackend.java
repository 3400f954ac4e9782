package dev.tally.store;

/**
 * The in-JVM store: nothing to connect to and nothing to release.
 */
public record MemoryBackend(MemoryCounterStore counters, MemoryCacheStore cache) implements StoreBackend {

    public MemoryBackend(int maxCounters, long cacheMaxEntries, long cacheMaxBytes) {
        this(new MemoryCounterStore(maxCounters), new MemoryCacheStore(cacheMaxEntries, cacheMaxBytes));
    }

    @Override
    public void close() {
        // Nothing outlives the web application: the maps go with its class loader.
    }
}
