package dev.tally.admin;

/** The store behind counters and cache: {@code dev.tally:type=Store,context=<context path>}. */
public interface StoreMXBean {

    /** memory, redis, postgresql, mariadb or h2; never the URL. */
    String getKind();

    /** Whether the store answers now (asked within its timeout). */
    boolean isReachable();

    /** Store operations since the application started. */
    long getOperations();

    /** Of those, the ones that failed because the store did not answer (each a 503). */
    long getFailures();
}
