package dev.tally.admin;

/**
 * The shared cache: {@code dev.tally:type=Cache,context=<context path>}. The bounds are the memory store's, the only
 * cache Tally bounds; a Redis or SQL cache keeps its values on its server, unbounded by Tally (each value within
 * {@code tally.cache.maxValueBytes}, each gone after its time to live), and answers -1 for what is held.
 */
public interface CacheMXBean {

    /** Values held now (expired ones dropped first), or -1 when the store does not keep count. */
    long getEntries();

    /** Bytes of keys and values held now, 128 bytes an entry included, or -1 when the store does not keep count. */
    long getBytes();

    /** {@code tally.cache.maxEntries}. */
    long getMaxEntries();

    /** {@code tally.cache.maxBytes}. */
    long getMaxBytes();
}
