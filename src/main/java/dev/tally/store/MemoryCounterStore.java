package dev.tally.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters in this JVM: one {@link AtomicLong} per name. Safe across threads, not across processes or nodes (each
 * JVM has its own), and lost on restart.
 *
 * <p>This is the right version of the naive global {@code param += 1}: the read, the add and the write happen as
 * one compare-and-set, so two requests can never both read 41 and both answer 42.
 */
public class MemoryCounterStore implements CounterStore {

    private final ConcurrentMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int maxCounters;
    private final MemoryBudget budget;

    /**
     * @param maxCounters how many distinct counters this store may hold, so that a client inventing names cannot
     *                    exhaust the heap
     * @param budget      charged {@link #COUNTER_BYTES} for every counter created
     */
    public MemoryCounterStore(int maxCounters, MemoryBudget budget) {
        this.maxCounters = maxCounters;
        this.budget = budget;
    }

    /** What one counter takes: its name (64 characters at most), an AtomicLong and the map's node. */
    static final long COUNTER_BYTES = 64 + 16 + 56 + 48;

    @Override
    public long increment(String name) {
        return add(name, 1);
    }

    @Override
    public long add(String name, int count) {
        AtomicLong counter = counter(name);
        while (true) {
            long current = counter.get();
            if (current > Long.MAX_VALUE - count) {
                throw new CounterExhaustedException(name);
            }
            if (counter.compareAndSet(current, current + count)) {
                return current + count;
            }
        }
    }

    @Override
    public long get(String name) {
        AtomicLong counter = counters.get(name);
        return counter == null ? 0 : counter.get();
    }

    @Override
    public long advanceTo(String name, long value) {
        return counter(name).accumulateAndGet(value, Math::max);
    }

    @Override
    public long count() {
        return counters.size();
    }

    @Override
    public void reset(String name) {
        // Set to 0 rather than removed: an increment that already holds this AtomicLong must land on the live
        // counter, not on a detached copy.
        AtomicLong counter = counters.get(name);
        if (counter != null) {
            counter.set(0);
        }
    }

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public void ping() {
        // Always reachable.
    }

    private AtomicLong counter(String name) {
        AtomicLong existing = counters.get(name);
        if (existing != null) {
            return existing;
        }
        if (size.incrementAndGet() > maxCounters) {
            size.decrementAndGet();
            throw new CounterLimitException(maxCounters);
        }
        try {
            budget.charge(COUNTER_BYTES);
        } catch (MemoryFullException e) {
            size.decrementAndGet();
            throw e;
        }
        AtomicLong created = new AtomicLong();
        AtomicLong raced = counters.putIfAbsent(name, created);
        if (raced != null) {
            size.decrementAndGet();
            budget.release(COUNTER_BYTES);
            return raced;
        }
        return created;
    }
}
