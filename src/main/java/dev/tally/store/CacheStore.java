package dev.tally.store;

import java.time.Duration;
import java.util.Optional;

/**
 * A shared cache of JSON values with a time to live, like Flask-Caching's {@code cache.set/get}.
 *
 * <p>Values are JSON text, already validated and bounded by the caller; the store keeps them as given. Keys are
 * untrusted input, validated by the caller against {@code [A-Za-z0-9._:-]{1,200}}; a store still treats them as data.
 * Implementations are called concurrently and must be thread-safe. A store may evict entries before they expire to
 * stay within its bounds; an expired entry is never returned.
 *
 * <p>Every method may throw {@link StoreUnavailableException} when the store cannot be reached in time.
 */
public interface CacheStore extends Store {

    /**
     * The value stored under {@code key}, or empty when there is none or it has expired.
     */
    Optional<String> get(String key);

    /**
     * Stores {@code json} under {@code key} for {@code ttl} (positive), replacing any value there.
     */
    void put(String key, String json, Duration ttl);

    /**
     * Removes the value under {@code key}; nothing happens when there is none.
     */
    void delete(String key);

    /**
     * What the cache holds now, when this store keeps count of it: the memory store does, and answers after dropping
     * what has expired; a Redis or SQL store answers empty, since its server keeps (and bounds) the values.
     */
    default Optional<CacheUsage> usage() {
        return Optional.empty();
    }
}
