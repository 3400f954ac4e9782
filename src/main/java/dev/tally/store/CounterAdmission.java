package dev.tally.store;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The limit on distinct counters of a shared store (Redis, SQL), which every JVM using the store counts against
 * together: without it, anonymous clients inventing names would fill the store's memory or disk, and the store would
 * then refuse the increments of every counter.
 *
 * <p>Only the first increment of a name in a JVM pays for the check; the names a JVM has seen in the store are
 * remembered (up to {@value #REMEMBERED}; past that the check is one indexed lookup a time). A counter keeps its place
 * once created: a reset sets it to 0, it does not remove it. After the store refused a new name as full, further new
 * names are refused for {@value #FULL_MILLIS} ms without asking it to count again.
 */
public final class CounterAdmission {

    /** Names remembered per JVM at most: about 150 bytes each. */
    static final int REMEMBERED = 10_000;
    static final long FULL_MILLIS = 1000;

    /** The store's side of the check. Both may throw {@link StoreUnavailableException}. */
    public interface Ledger {

        /** Whether the store holds a counter of this name (counted against the limit). */
        boolean holds(String name);

        /**
         * Makes the store hold a counter of this name if it holds fewer than {@code limit}. Answers whether it holds
         * one afterwards, which it may also because another client created it meanwhile.
         */
        boolean admit(String name, int limit);
    }

    private final int limit;
    private final Ledger ledger;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private volatile long fullUntilNanos = System.nanoTime();

    public CounterAdmission(int limit, Ledger ledger) {
        this.limit = limit;
        this.ledger = ledger;
    }

    public int limit() {
        return limit;
    }

    /**
     * Returns when the store holds a counter of this name, creating it (at 0) if there is room.
     *
     * @throws CounterLimitException when the store holds none and has no room for one
     */
    public void require(String name) {
        if (known.contains(name)) {
            return;
        }
        if (ledger.holds(name)) {
            remember(name);
            return;
        }
        if (System.nanoTime() - fullUntilNanos < 0) {
            throw new CounterLimitException(limit);
        }
        if (!ledger.admit(name, limit)) {
            fullUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FULL_MILLIS);
            throw new CounterLimitException(limit);
        }
        remember(name);
    }

    private void remember(String name) {
        if (known.size() < REMEMBERED) {
            known.add(name);
        }
    }
}
