package dev.tally.admin;

import dev.tally.ops.Metrics;
import dev.tally.session.SessionStats;
import dev.tally.session.StoreSessions;
import dev.tally.store.CacheStore;
import dev.tally.store.CacheUsage;
import dev.tally.store.MemoryBudget;
import dev.tally.store.StoreStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The figures the MBeans show, as meters of the application's registry: each gauge and counter here reads the same
 * number its MBean attribute reads (the sessions' and the cache's tallies, the memory budget, the counter increments
 * the store timed), so the admin console and a Prometheus scrape never disagree and nothing is counted twice. Meters
 * a layer records itself (requests, store operations, batch sizes, cache lookups, the connection pool) are
 * registered where they are recorded.
 */
@ApplicationScoped
class MetricsBinder {

    @Inject
    Metrics metrics;
    @Inject
    SessionStats sessions;
    @Inject
    StoreSessions storeSessions;
    @Inject
    CacheStore cache;
    @Inject
    MemoryBudget budget;
    @Inject
    StoreStats stats;

    void start(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
        MeterRegistry registry = metrics.registry();
        String where = storeSessions.kind();
        if (where.equals("container")) {
            counter(registry, "tally.sessions.started", "Container sessions created on this node",
                    sessions, SessionStats::containerCreated);
            ended(registry, "expired", SessionStats::containerExpired);
            ended(registry, "invalidated", SessionStats::containerInvalidated);
        } else {
            gauge(registry, "tally.sessions.live", "Live sessions in the session store, of all nodes",
                    storeSessions, StoreSessions::live);
            gauge(registry, "tally.sessions.max", "Live sessions the store may hold (tally.session.maxSessions)",
                    storeSessions, StoreSessions::maxSessions);
            counter(registry, "tally.sessions.started", "Sessions this node created in the session store",
                    storeSessions, StoreSessions::created);
            counter(registry, "tally.sessions.refused", "Sessions refused because the store held the most it may",
                    storeSessions, StoreSessions::refused);
            counter(registry, "tally.sessions.corrupt", "Sessions found unreadable in the store and started afresh",
                    storeSessions, StoreSessions::corrupt);
        }
        holding(registry, "count", SessionStats::sessionsWithCounter);
        holding(registry, "data", SessionStats::sessionsWithData);
        counter(registry, "tally.increments", "Global counter increments the store acknowledged",
                stats, StoreStats::acknowledgedIncrements);
        if (cache.usage().isPresent()) {
            gauge(registry, "tally.cache.entries", "Values the memory cache holds now", cache,
                    c -> c.usage().map(CacheUsage::entries).orElse(0L));
            gauge(registry, "tally.cache.bytes", "Bytes of keys and values the memory cache holds now", cache,
                    c -> c.usage().map(CacheUsage::bytes).orElse(0L));
            counter(registry, "tally.cache.evictions", "Values the memory cache dropped to stay within its bounds",
                    cache, CacheStore::evictions);
        }
        gauge(registry, "tally.memory.budget.used.bytes", "Heap bytes clients' state takes now, of the budget",
                budget, MemoryBudget::used);
        gauge(registry, "tally.memory.budget.limit.bytes", "Heap bytes clients' state may take (tally.memory.budget)",
                budget, MemoryBudget::limit);
    }

    private void ended(MeterRegistry registry, String reason, ToLongFunction<SessionStats> count) {
        FunctionCounter.builder("tally.sessions.ended", sessions, s -> count.applyAsLong(s))
                .description("Container sessions ended on this node: expired (idle past their timeout) or invalidated")
                .tag("reason", reason).register(registry);
    }

    private void holding(MeterRegistry registry, String state, ToLongFunction<SessionStats> count) {
        Gauge.builder("tally.sessions.holding", sessions, s -> (double) count.applyAsLong(s))
                .description("Sessions on this node holding Tally state: a per-user count, or structured data")
                .tag("state", state).register(registry);
    }

    private static <T> void gauge(MeterRegistry registry, String name, String description, T source,
            ToLongFunction<T> value) {
        Gauge.builder(name, source, s -> (double) value.applyAsLong(s)).description(description).register(registry);
    }

    private static <T> void counter(MeterRegistry registry, String name, String description, T source,
            ToLongFunction<T> value) {
        ToDoubleFunction<T> asDouble = s -> value.applyAsLong(s);
        FunctionCounter.builder(name, source, asDouble).description(description).register(registry);
    }
}
