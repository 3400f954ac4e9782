package dev.tally.admin;

/**
 * The heap clients' state may take in this JVM: {@code dev.tally:type=MemoryBudget,context=<context path>}. Past
 * {@code Limit}, requests that would add state get 507 {@code STORAGE_FULL}.
 */
public interface MemoryBudgetMXBean {

    /** {@code tally.memory.budget}, in bytes. */
    long getLimit();

    /**
     * Bytes charged now: session values (with a share of their session), memory-store counters, and the reservations
     * for the memory cache's bound and the counter MBeans.
     */
    long getUsed();
}
