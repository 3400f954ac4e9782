package dev.tally.store.wiring;

import dev.tally.config.InvalidSettingException;
import dev.tally.config.TallyConfig;
import dev.tally.store.CacheStore;
import dev.tally.store.CounterStore;
import dev.tally.store.MemoryBackend;
import dev.tally.store.MemoryBudget;
import dev.tally.store.StoreBackend;
import dev.tally.store.StoreStats;
import dev.tally.store.jdbc.JdbcBackend;
import dev.tally.store.redis.RedisBackend;
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

    private StoreBackend backend;
    private final StoreStats stats = new StoreStats();
    private MemoryBudget budget;

    @PostConstruct
    void open() {
        budget = new MemoryBudget(config.memoryBudget());
        backend = open(config, budget);
    }

    @PreDestroy
    void close() {
        try {
            backend.close();
        } finally {
            JdbcBackend.deregisterDrivers();
        }
    }

    @Produces
    @ApplicationScoped
    CounterStore counterStore() {
        return stats.counters(backend.counters());
    }

    @Produces
    @ApplicationScoped
    CacheStore cacheStore() {
        return stats.cache(backend.cache());
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
        if (config.storePasswordFile() == null) {
            return null;
        }
        Path file = Path.of(config.storePasswordFile());
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int end = content.indexOf('\n');
            String line = end < 0 ? content : content.substring(0, end);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException | RuntimeException e) {
            throw new InvalidSettingException("Invalid setting tally.store.passwordFile: cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    static StoreBackend open(TallyConfig config, MemoryBudget budget) {
        String store = config.store();
        Duration timeout = Duration.ofMillis(config.storeTimeoutMillis());
        if (store.equals("memory")) {
            return new MemoryBackend(config.maxCounters(), config.cacheMaxEntries(), config.cacheMaxBytes(), budget);
        }
        if (store.startsWith("redis://") || store.startsWith("rediss://")) {
            return RedisBackend.open(store, timeout, poolSize(config, 64), password(config));
        }
        if (store.startsWith("jdbc:")) {
            return JdbcBackend.forUrl(store, timeout, poolSize(config, 16), password(config));
        }
        if (store.startsWith("java:")) {
            return JdbcBackend.forJndi(store);
        }
        // Only the part before ':' is named: the rest of a store URL may hold a password.
        int colon = store.indexOf(':');
        throw new InvalidSettingException("Invalid setting tally.store: '" + (colon < 0 ? store : store.substring(0,
                colon)) + "' is not a store (memory, redis://, rediss://, jdbc:postgresql:, jdbc:mariadb:, jdbc:h2:, "
                + "java:comp/env/...)");
    }
}
