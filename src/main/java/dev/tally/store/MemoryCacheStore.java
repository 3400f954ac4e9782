package dev.tally.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cache in this JVM, on Caffeine: a per-entry time to live and one weight bound that caps both bytes and entries.
 *
 * <p>Each entry weighs its approximate size in bytes, but never less than {@code maxBytes / maxEntries} (rounded up,
 * or the default 64 MiB and 10 000 would let 10 001 entries in); with the
 * total weight capped at {@code maxBytes}, the cache holds at most {@code maxEntries} entries and at most
 * {@code maxBytes} bytes of keys and values. Caffeine evicts the least valuable entries to stay within the bound.
 * Maintenance runs on the calling thread, so the cache starts no threads of its own.
 */
public class MemoryCacheStore implements CacheStore {

    /** What an entry costs beyond its characters: the cache node, the entry record and two string headers. */
    static final int ENTRY_OVERHEAD_BYTES = 128;

    private final Cache<String, Entry> cache;
    /** Values dropped to stay within the bound (not those that expired). */
    private final LongAdder evictions = new LongAdder();

    public MemoryCacheStore(long maxEntries, long maxBytes) {
        this(maxEntries, maxBytes, Ticker.systemTicker());
    }

    MemoryCacheStore(long maxEntries, long maxBytes, Ticker ticker) {
        long roundedUp = maxBytes / maxEntries + (maxBytes % maxEntries == 0 ? 0 : 1);
        int minWeight = (int) Math.max(1, Math.min(Integer.MAX_VALUE, roundedUp));
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, Entry entry) -> Math.max(minWeight, entry.bytes(key)))
                .expireAfter(new PerEntryTtl())
                .evictionListener((String key, Entry entry, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evictions.increment();
                    }
                })
                .executor(Runnable::run)
                .ticker(ticker)
                .build();
    }

    @Override
    public Optional<String> get(String key) {
        Entry entry = cache.getIfPresent(key);
        return entry == null ? Optional.empty() : Optional.of(entry.json());
    }

    @Override
    public void put(String key, String json, Duration ttl) {
        cache.put(key, new Entry(json, ttl.toNanos()));
    }

    @Override
    public void delete(String key) {
        cache.invalidate(key);
    }

    @Override
    public long evictions() {
        return evictions.sum();
    }

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public void ping() {
        // Always reachable.
    }

    /** Entries and approximate bytes now held, after expired and evicted ones are cleaned up. */
    @Override
    public Optional<CacheUsage> usage() {
        cache.cleanUp();
        long entries = 0;
        long bytes = 0;
        for (var entry : cache.asMap().entrySet()) {
            entries++;
            bytes += entry.getValue().bytes(entry.getKey());
        }
        return Optional.of(new CacheUsage(entries, bytes));
    }

    private record Entry(String json, long ttlNanos) {
        /** The heap the entry takes: characters at one or two bytes each (see MemoryBudget), plus the overhead. */
        int bytes(String key) {
            return (int) Math.min(Integer.MAX_VALUE, ENTRY_OVERHEAD_BYTES + MemoryBudget.stringBytes(key)
                    + MemoryBudget.stringBytes(json));
        }
    }

    private static final class PerEntryTtl implements Expiry<String, Entry> {
        @Override
        public long expireAfterCreate(String key, Entry entry, long currentTime) {
            return entry.ttlNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
            return entry.ttlNanos();
        }

        @Override
        public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
