package dev.tally.store;

import java.time.Duration;
import java.util.Optional;

/**
 * A shared cache of JSON values with a time to live, like Flask-Caching's {@code cache.set/get}.
 *
 * <p>Values are JSON text, already validated and bounded by the caller; the store keeps them as given. Keys are
 * untrusted input, validated by the caller against {@code [A-Za-z0-9._:-]{1,200}}; a store still treats them as data.
 * Implementations are called concurrently and must be thread-safe. An expired entry is never returned. Only the memory
 * store has bounds of Tally's ({@code tally.cache.maxEntries}, {@code tally.cache.maxBytes}) and evicts entries before
 * they expire to stay within them; a Redis or SQL cache holds what clients put until it expires, bounded only by each
 * value's size ({@code tally.cache.maxValueBytes}) and its time to live, and by whatever limits the operator gives
 * that server.
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
     * what has expired; a Redis or SQL store answers empty, since the values are on its server.
     */
    default Optional<CacheUsage> usage() {
        return Optional.empty();
    }

    /**
     * Values dropped to make room for others since the application started, when this store keeps count of it (the
     * memory store); -1 for a Redis or SQL store, whose server decides that on its own.
     */
    default long evictions() {
        return -1;
    }
}
