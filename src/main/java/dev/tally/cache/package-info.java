/**
 * The shared cache, like Flask-Caching: {@link dev.tally.cache.SharedCache} (the service: keys, times to live) over
 * the configured {@link dev.tally.store.CacheStore}, and its servlet at {@code /api/cache/*}.
 */
package dev.tally.cache;
