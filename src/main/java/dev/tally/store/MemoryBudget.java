package dev.tally.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap that clients' state may take in this JVM, all of it together: {@code tally.memory.budget} bytes [a quarter
 * of the JVM's largest heap]. Anonymous clients add state (session values, counters of the memory store, counter
 * MBeans, the memory cache); every part of it is charged here, so that a client that keeps adding gets a clear
 * 507 {@code STORAGE_FULL} instead of the JVM running out of heap, which would stop the whole server (an
 * {@code OutOfMemoryError} in the connector's acceptor thread means no connection is ever accepted again).
 *
 * <p>Two kinds of charge: a <em>reservation</em> for a part with a fixed bound, made once at startup (the memory
 * cache's {@code tally.cache.maxBytes}, the counter MBeans' cap), and running charges for state that comes and goes,
 * made as it is added and released as it goes (a session value when its session expires). What is already held is
 * never dropped to make room: past the budget only requests that would add are refused.
 *
 * <p>The sizes are estimates of the heap an item takes (its strings at one or two bytes a character, plus a fixed
 * overhead for the objects around them), erring high. Thread-safe.
 */
public final class MemoryBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(long limit) {
        this.limit = limit;
    }

    /** Bytes in all. */
    public long limit() {
        return limit;
    }

    /** Bytes charged and reserved now. */
    public long used() {
        return used.get();
    }

    /**
     * Charges {@code bytes} if they fit.
     *
     * @throws MemoryFullException when they do not; nothing is charged then
     */
    public void charge(long bytes) {
        long current;
        do {
            current = used.get();
            if (current + bytes > limit) {
                throw new MemoryFullException(limit);
            }
        } while (!used.compareAndSet(current, current + bytes));
    }

    /**
     * Checks that {@code bytes} more would fit, without charging them: for state whose charge comes later from the
     * container's events (a session value, see {@code SessionStats}). Requests that pass at the same moment may go
     * past the limit together, by at most one value each.
     *
     * @throws MemoryFullException when they would not
     */
    public void require(long bytes) {
        if (bytes > 0 && used.get() + bytes > limit) {
            throw new MemoryFullException(limit);
        }
    }

    /** Charges {@code bytes} whether they fit or not: state that is already in the JVM (a session read back). */
    public void add(long bytes) {
        used.addAndGet(bytes);
    }

    /** Gives back what an item that went away was charged. */
    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /**
     * The heap a string's characters take: one byte each while they all fit in Latin-1 (Java's compact strings), two
     * each otherwise (also for the ASCII characters of a string that holds one other).
     */
    public static long stringBytes(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                return 2L * text.length();
            }
        }
        return text.length();
    }
}
