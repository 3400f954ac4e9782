package dev.tally.store;

/**
 * What a cache holds now, as the store counts it.
 *
 * @param entries values held
 * @param bytes   bytes of keys and values held, with the store's per-entry overhead
 */
public record CacheUsage(long entries, long bytes) {
}
