package dev.tally.store.wiring;

import dev.tally.config.InvalidSettingException;
import dev.tally.config.TallyConfig;
import dev.tally.ops.InFlight;
import dev.tally.ops.Metrics;
import dev.tally.store.CacheStore;
import dev.tally.store.CoalescingCounterStore;
import dev.tally.store.CoalescingSessionStore;
import dev.tally.store.CounterStore;
import dev.tally.store.MemoryBackend;
import dev.tally.store.MemoryBudget;
import dev.tally.store.SessionStore;
import dev.tally.store.StoreBackend;
import dev.tally.store.StoreStats;
import dev.tally.store.jdbc.JdbcBackend;
import dev.tally.store.redis.RedisBackend;
import dev.tally.store.redis.RedisOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens the store that the setting {@code tally.store} names, once for the application, and closes it when the
 * application stops. Every counter and cache in the application goes through the two beans produced here. It lives
 * apart from the store contract ({@code dev.tally.store}) because it knows every implementation: the contract's
 * package depends on none of them.
 */
@ApplicationScoped
class StoreProducer {


    @Inject
    TallyConfig config;
    @Inject
    Metrics metrics;
    @Inject
    InFlight inFlight;

    private StoreBackend backend;
    /** The store of tally.session.store when it names a store of its own; null otherwise. */
    private StoreBackend sessionBackend;
    private SessionStore sessionStore;
    private StoreStats stats;
    private MemoryBudget budget;

    @PostConstruct
    void open() {
        budget = new MemoryBudget(config.memoryBudget());
        backend = open(config, budget);
        try {
            stats = new StoreStats(metrics.registry(), backend.counters().kind());
            // What a request that is using the store can take: the application waits that long for those in flight
            // before it closes the store as it stops.
            inFlight.drainAtMost(Duration.ofMillis(config.storeTimeoutMillis() + 1000));
            backend.bindMetrics(metrics.registry());
            openSessionStore();
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private void openSessionStore() {
        String where = config.sessionStore();
        if (where.equals("container")) {
            return;
        }
        StoreBackend holder = backend;
        if (!where.equals("store")) {
            if (where.equals("memory")) {
                throw new InvalidSettingException("Invalid setting tally.session.store: memory is not shared by "
                        + "nodes; use container (the container's sessions), store, or a Redis or SQL store URL");
            }
            sessionBackend = open("tally.session.store", where, config, budget);
            sessionBackend.bindMetrics(metrics.registry());
            holder = sessionBackend;
        }
        try {
            // Timed inside the coalescing: each timed session.add is one round trip. A store of its own has timers
            // tagged with its own kind.
            StoreStats timed = holder == backend ? stats
                    : new StoreStats(metrics.registry(), holder.counters().kind());
            sessionStore = timed.sessions(holder.sessions());
            if (config.storeMaxBatch() > 1) {
                sessionStore = new CoalescingSessionStore(sessionStore, config.storeMaxBatch(), metrics.registry());
            }
        } catch (UnsupportedOperationException e) {
            throw new InvalidSettingException("Invalid setting tally.session.store: that store cannot hold "
                    + "sessions for many nodes");
        }
    }

    @PreDestroy
    void close() {
        try {
            if (sessionBackend != null) {
                sessionBackend.close();
            }
            backend.close();
        } finally {
            JdbcBackend.deregisterDrivers();
        }
    }

    @Produces
    @ApplicationScoped
    CounterStore counterStore() {
        CounterStore counters = backend.counters();
        if (!config.store().equals("memory") && config.storeMaxBatch() > 1) {
            CoalescingCounterStore coalescing = new CoalescingCounterStore(counters, config.storeMaxBatch(),
                    metrics.registry());
            stats.coalescing(coalescing);
            counters = coalescing;
        }
        return stats.counters(counters);
    }

    @Produces
    @ApplicationScoped
    CacheStore cacheStore() {
        return stats.cache(backend.cache());
    }

    /**
     * Where sessions live when {@code tally.session.store} is not {@code container}; empty when it is. The same
     * object for the whole application.
     */
    @Produces
    Optional<SessionStore> sessionStore() {
        return Optional.ofNullable(sessionStore);
    }

    /** The heap clients' state may take in this JVM, shared by the memory store, sessions and MBeans. */
    @Produces
    MemoryBudget memoryBudget() {
        return budget;
    }

    /** What the store was asked for and what failed, for the store's MBean. */
    @Produces
    StoreStats storeStats() {
        return stats;
    }

    /** Redis connections are cheap (one Redis serves thousands); database connections are not. */
    private static int poolSize(TallyConfig config, int storeDefault) {
        return config.storePoolSize() > 0 ? config.storePoolSize() : storeDefault;
    }

    /**
     * The store's password from {@code tally.store.passwordFile}: the file's first line, without its line end; null
     * without the setting. A file kept apart (a Kubernetes or Docker secret, mode 0400) keeps the password off the
     * command line, out of the environment, of context parameters and of every MBean and log that shows those.
     */
    static String password(TallyConfig config) {
        return config.storePasswordFile() == null ? null
                : firstLine("tally.store.passwordFile", config.storePasswordFile());
    }

    /** A secret file's first line, without its line end. */
    private static String firstLine(String setting, String path) {
        Path file = Path.of(path);
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int end = content.indexOf('\n');
            String line = end < 0 ? content : content.substring(0, end);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException | RuntimeException e) {
            throw new InvalidSettingException("Invalid setting " + setting + ": cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** What a Redis store is asked beyond its URL: the replicas to wait for, and TLS. */
    static RedisOptions redisOptions(TallyConfig config) {
        TallyConfig.StoreTls tls = config.storeTls();
        String keyStorePassword = tls.keyStorePasswordFile() == null ? null
                : firstLine("tally.store.tls.keyStorePasswordFile", tls.keyStorePasswordFile());
        return new RedisOptions(config.storeReplicas(), tls.trustStore(), tls.trustStorePassword(), tls.keyStore(),
                keyStorePassword);
    }

    static StoreBackend open(TallyConfig config, MemoryBudget budget) {
        return open("tally.store", config.store(), config, budget);
    }

    /** The store at {@code store}, named by the setting {@code setting}. */
    static StoreBackend open(String setting, String store, TallyConfig config, MemoryBudget budget) {
        Duration timeout = Duration.ofMillis(config.storeTimeoutMillis());
        if (store.equals("memory")) {
            return new MemoryBackend(config.maxCounters(), config.cacheMaxEntries(), config.cacheMaxBytes(), budget);
        }
        if (RedisBackend.handles(store)) {
            return RedisBackend.open(store, timeout, poolSize(config, 64), password(config), redisOptions(config))
                    .limitCounters(config.storeMaxCounters());
        }
        if (store.startsWith("jdbc:")) {
            return JdbcBackend.forUrl(store, timeout, poolSize(config, 16), password(config))
                    .limitCounters(config.storeMaxCounters());
        }
        if (store.startsWith("java:")) {
            return JdbcBackend.forJndi(store).limitCounters(config.storeMaxCounters());
        }
        // Only the part before ':' is named: the rest of a store URL may hold a password.
        int colon = store.indexOf(':');
        throw new InvalidSettingException("Invalid setting " + setting + ": '" + (colon < 0 ? store : store.substring(0,
                colon)) + "' is not a store (memory, redis://, rediss://, redis-sentinel://, redis-cluster://, "
                + "jdbc:postgresql:, jdbc:mariadb:, jdbc:h2:, java:comp/env/...)");
    }
}
