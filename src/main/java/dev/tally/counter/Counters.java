package dev.tally.counter;

import dev.tally.problem.InvalidInputException;
import dev.tally.problem.Problem;
import dev.tally.store.CounterStore;
import dev.tally.store.Keys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's global counters: one instance for the whole application, shared by every request thread.
 *
 * <p>It holds no count itself. A plain {@code long} field here, incremented with {@code count += 1}, would lose
 * updates as soon as two requests interleave the read and the write, and would be one copy per JVM. Every count
 * lives in the {@link CounterStore}, where an increment is one atomic operation.
 */
@ApplicationScoped
public class Counters {

    private CounterStore store;
    private Event<CounterUsed> used;
    /** The names announced with {@link CounterUsed}, at most {@link CounterUsed#MAX_NAMES}. */
    private final Set<String> announced = ConcurrentHashMap.newKeySet();

    /** For the CDI proxy. */
    protected Counters() {
    }

    @Inject
    public Counters(CounterStore store, Event<CounterUsed> used) {
        this.store = store;
        this.used = used;
    }

    /** Adds one and returns the new value, unique among every value this counter has handed out since its reset. */
    public long increment(String name) {
        long value = store.increment(valid(name));
        if (!announced.contains(name) && announced.size() < CounterUsed.MAX_NAMES && announced.add(name)) {
            used.fire(new CounterUsed(name));
        }
        return value;
    }

    public long get(String name) {
        return store.get(valid(name));
    }

    /** Raises the counter to at least {@code value}; never lowers it. */
    public long advanceTo(String name, long value) {
        if (value < 0) {
            throw new InvalidInputException(Problem.INVALID_VALUE, "value must be a whole number from 0 to "
                    + Long.MAX_VALUE + ".");
        }
        return store.advanceTo(valid(name), value);
    }

    public void reset(String name) {
        store.reset(valid(name));
    }

    static String valid(String name) {
        if (!Keys.plain(name, 64, false)) {
            throw new InvalidInputException(Problem.INVALID_NAME,
                    "A counter name is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'.");
        }
        return name;
    }
}
