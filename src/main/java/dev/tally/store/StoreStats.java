package dev.tally.store;

import dev.tally.ops.Metrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Times the operations a store is asked for, by operation and outcome, into {@code tally.store.operations}
 * (Prometheus: {@code tally_store_operations_seconds}, tagged with the store's kind): the store's MBean reads its
 * operations and failures (the 503s: the store did not answer) from these same timers. {@link #counters},
 * {@link #cache} and {@link #sessions} wrap a store so that every call is timed.
 */
public final class StoreStats {

    /** What a call ended with: a value, the store not answering (a 503), or a refusal of Tally's (a limit). */
    enum Outcome {
        OK, UNAVAILABLE, REFUSED;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    /**
     * The in-memory store's operations are counted and timed (count, sum, max) without latency buckets: each takes
     * well under a microsecond, all would fall in the first bucket, and filling them cost more than the operation
     * (1.3 % of a counter increment's CPU samples, under contention for the bucket's counter).
     */
    private static final String MEMORY = "memory";

    private final MeterRegistry registry;
    private final String store;
    /** Timers by operation name and outcome, registered on first use so a scrape shows only what happened. */
    private final Map<String, AtomicReferenceArray<Timer>> timers = new ConcurrentHashMap<>();

    private volatile CoalescingCounterStore coalescing;

    /** Into a registry of its own (tests). */
    public StoreStats() {
        this(new SimpleMeterRegistry(), "none");
    }

    /**
     * @param registry where the timers are kept
     * @param store    the kind of store timed (memory, redis, postgresql...), a tag of every timer
     */
    public StoreStats(MeterRegistry registry, String store) {
        this.registry = registry;
        this.store = store;
    }

    /** Operations asked of the store since the application started, whatever their outcome. */
    public long operations() {
        long sum = 0;
        for (AtomicReferenceArray<Timer> byOutcome : timers.values()) {
            for (int i = 0; i < byOutcome.length(); i++) {
                Timer timer = byOutcome.get(i);
                sum += timer == null ? 0 : timer.count();
            }
        }
        return sum;
    }

    /** Global counter increments the store acknowledged (each gave its request a value). */
    public long acknowledgedIncrements() {
        AtomicReferenceArray<Timer> increments = timers.get("increment");
        Timer ok = increments == null ? null : increments.get(Outcome.OK.ordinal());
        return ok == null ? 0 : ok.count();
    }

    /** Says which store coalesces increments, for {@link #incrementRoundTrips}. */
    public void coalescing(CoalescingCounterStore store) {
        coalescing = store;
    }

    /**
     * Round trips that carried increments, when they are coalesced; -1 when each increment is a round trip of its
     * own (the memory store, or {@code tally.store.maxBatch} 1).
     */
    public long incrementRoundTrips() {
        CoalescingCounterStore store = coalescing;
        return store == null ? -1 : store.roundTrips();
    }

    /** Increments asked of a coalescing store; -1 when increments are not coalesced. */
    public long coalescedIncrements() {
        CoalescingCounterStore store = coalescing;
        return store == null ? -1 : store.increments();
    }

    /** Operations that failed because the store did not answer: each was a 503. */
    public long failures() {
        return timers.values().stream().map(byOutcome -> byOutcome.get(Outcome.UNAVAILABLE.ordinal()))
                .filter(Objects::nonNull).mapToLong(Timer::count).sum();
    }

    private Timer timer(String operation, Outcome outcome) {
        AtomicReferenceArray<Timer> byOutcome = timers.get(operation);
        if (byOutcome == null) {
            byOutcome = timers.computeIfAbsent(operation, o -> new AtomicReferenceArray<>(Outcome.values().length));
        }
        Timer timer = byOutcome.get(outcome.ordinal());
        if (timer == null) {
            // A race registers the same timer twice: the registry hands both the one it holds.
            Timer.Builder builder = Timer.builder("tally.store.operations")
                    .description("Operations asked of the store, by outcome: ok, unavailable (a 503), refused")
                    .tag("store", store)
                    .tag("operation", operation)
                    .tag("outcome", outcome.tag);
            if (!MEMORY.equals(store)) {
                builder.serviceLevelObjectives(Metrics.LATENCY_BUCKETS);
            }
            timer = builder.register(registry);
            byOutcome.set(outcome.ordinal(), timer);
        }
        return timer;
    }

    private <T> T measured(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        Outcome outcome = Outcome.REFUSED;
        try {
            T value = call.get();
            outcome = Outcome.OK;
            return value;
        } catch (StoreUnavailableException e) {
            outcome = Outcome.UNAVAILABLE;
            throw e;
        } finally {
            timer(operation, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private void run(String operation, Runnable call) {
        measured(operation, () -> {
            call.run();
            return null;
        });
    }

    public CounterStore counters(CounterStore store) {
        return new CounterStore() {
            @Override
            public long increment(String name) {
                return measured("increment", () -> store.increment(name));
            }

            @Override
            public long add(String name, int count) {
                return measured("add", () -> store.add(name, count));
            }

            @Override
            public long get(String name) {
                return measured("get", () -> store.get(name));
            }

            @Override
            public long advanceTo(String name, long value) {
                return measured("advance", () -> store.advanceTo(name, value));
            }

            @Override
            public long count() {
                return measured("count", store::count);
            }

            @Override
            public void reset(String name) {
                run("reset", () -> store.reset(name));
            }

            @Override
            public String kind() {
                return store.kind();
            }

            @Override
            public void ping() {
                run("ping", store::ping);
            }
        };
    }

    public CacheStore cache(CacheStore store) {
        return new CacheStore() {
            @Override
            public Optional<String> get(String key) {
                return measured("cache.get", () -> store.get(key));
            }

            @Override
            public void put(String key, String json, Duration ttl) {
                run("cache.put", () -> store.put(key, json, ttl));
            }

            @Override
            public void delete(String key) {
                run("cache.delete", () -> store.delete(key));
            }

            @Override
            public Optional<CacheUsage> usage() {
                return store.usage();
            }

            @Override
            public long evictions() {
                return store.evictions();
            }

            @Override
            public String kind() {
                return store.kind();
            }

            @Override
            public void ping() {
                run("cache.ping", store::ping);
            }
        };
    }

    /**
     * Times each operation of a session store: wrapped inside the coalescing of per-user counters, so that each timed
     * {@code session.add} is one round trip to the store.
     */
    public SessionStore sessions(SessionStore store) {
        return new SessionStore() {
            @Override
            public Outcome create(String id, long timeoutMillis, long maxSessions) {
                return measured("session.create", () -> store.create(id, timeoutMillis, maxSessions));
            }

            @Override
            public Optional<Found> resume(String id, Touch touch) {
                return measured("session.resume", () -> store.resume(id, touch));
            }

            @Override
            public Optional<Long> add(String id, long delta, Touch touch) {
                return measured("session.add", () -> store.add(id, delta, touch));
            }

            @Override
            public boolean resetCounter(String id, Touch touch) {
                return measured("session.reset", () -> store.resetCounter(id, touch));
            }

            @Override
            public Optional<Versioned> get(String id, String key) {
                return measured("session.get", () -> store.get(id, key));
            }

            @Override
            public Outcome put(String id, String key, String expected, String json, String version, int maxKeys,
                    Touch touch) {
                return measured("session.put", () -> store.put(id, key, expected, json, version, maxKeys, touch));
            }

            @Override
            public Outcome remove(String id, String key, String expected, Touch touch) {
                return measured("session.remove", () -> store.remove(id, key, expected, touch));
            }

            @Override
            public void delete(String id) {
                run("session.delete", () -> store.delete(id));
            }

            @Override
            public long live() {
                return measured("session.live", store::live);
            }

            @Override
            public String kind() {
                return store.kind();
            }

            @Override
            public void ping() {
                run("session.ping", store::ping);
            }
        };
    }
}
