package dev.tally.admin;

/** The store behind counters and cache: {@code dev.tally:type=Store,context=<context path>}. */
public interface StoreMXBean {

    /** memory, redis, postgresql, mariadb or h2; never the URL. */
    String getKind();

    /** Whether the store answers now (asked within its timeout). */
    boolean isReachable();

    /** Distinct counters the store holds, for every JVM that uses it; -1 while it does not answer. */
    long getCounters();

    /** The most it may hold: tally.memory.maxCounters for memory, else tally.store.maxCounters. */
    long getMaxCounters();

    /**
     * Round trips that carried increments, when increments arriving together are sent as one (a Redis or SQL store);
     * -1 otherwise.
     */
    long getIncrementRoundTrips();

    /** Increments those round trips carried; -1 when increments are not coalesced. */
    long getCoalescedIncrements();

    /** Store operations since the application started. */
    long getOperations();

    /** Of those, the ones that failed because the store did not answer (each a 503). */
    long getFailures();
}
