package dev.tally.config;

/**
 * Every setting of Tally, read once when the application starts. Each is documented here once, as in docs/settings.md:
 * name: meaning [default]. See {@link Settings} for where values come from.
 *
 * @param store              {@code tally.store}: where counters and the cache live [memory]
 * @param storeTimeoutMillis {@code tally.store.timeout}: milliseconds one Redis or SQL operation may take in all,
 *                           waiting for a connection included, before the request fails with 503 [2000]
 * @param storePasswordFile {@code tally.store.passwordFile}: a file whose first line is the Redis or SQL store's
 *                           password, which then need not be in the store URL, and wins over one there [none]
 * @param storePoolSize      {@code tally.store.poolSize}: connections to a Redis or SQL store (URL) at most, per
 *                           JVM [64 for Redis, 16 for SQL]; 0 means the store's default
 * @param storeMaxCounters   {@code tally.store.maxCounters}: distinct counters a Redis or SQL store holds, for every
 *                           JVM that uses it together; a new name past it is refused [100000]
 * @param storeMaxBatch      {@code tally.store.maxBatch}: increments of one counter that one Redis or SQL round trip
 *                           carries at most, when they arrive while one is in flight; 1 sends each on its own [128]
 * @param storeReplicas      {@code tally.store.replicas}: Redis replicas that must hold each change of a counter or
 *                           of a store-held session (WAIT) before its value is given to the client; fewer within
 *                           the timeout is a 503 [0: answer once the master has it]
 * @param storeTls           {@code tally.store.tls.trustStore}, {@code .trustStorePassword}, {@code .keyStore} and
 *                           {@code .keyStorePasswordFile}: for {@code rediss://}, the certificates the server's must
 *                           chain to, and Tally's own certificate for a server that asks for one [the JVM's defaults]
 * @param maxCounters        {@code tally.memory.maxCounters}: distinct counters the memory store holds [100000]
 * @param cacheMaxEntries    {@code tally.cache.maxEntries}: entries the memory cache holds [10000]
 * @param memoryBudget       {@code tally.memory.budget}: bytes of heap that clients' state may take in this JVM in all:
 *                           session values, memory-store counters and cache, counter MBeans; past it, requests that
 *                           would add get 507 STORAGE_FULL [a quarter of the JVM's largest heap, -Xmx]
 * @param cacheMaxBytes      {@code tally.cache.maxBytes}: bytes of keys and values the memory cache holds, reserved
 *                           from the memory budget; at most half of it [64 MiB, or a quarter of the budget if less]
 * @param cacheMaxValueBytes {@code tally.cache.maxValueBytes}: largest cache value accepted, in bytes [65536]
 * @param cacheDefaultTtl    {@code tally.cache.defaultTtl}: seconds a cache value lives when PUT gives no ttl [300]
 * @param sessionMaxKeys     {@code tally.session.maxKeys}: keys of structured data one session holds [100]
 * @param sessionMaxValueBytes {@code tally.session.maxValueBytes}: largest session data value, in bytes [16384]
 * @param sessionNewTimeoutSeconds {@code tally.session.newTimeout}: seconds a session may stay idle until the client
 *                           comes back with its cookie; from then on the container's session-timeout applies [120]
 * @param sessionStore       {@code tally.session.store}: where sessions live: {@code container} (the container's
 *                           HttpSession), {@code store} (the store of tally.store), or a Redis or SQL store URL
 *                           [container]
 * @param sessionMaxSessions {@code tally.session.maxSessions}: live sessions in a session store, of all nodes
 *                           together [10000]
 * @param sessionTouchIntervalSeconds {@code tally.session.touchInterval}: seconds between two writes that extend
 *                           a store-held session's idle timeout while its client reads it [60]
 * @param requestBodyTimeoutMillis {@code tally.request.bodyTimeout}: milliseconds a request body may take to arrive
 *                           in full before the request is refused with 408 and its connection closed [10000]
 * @param jsonMaxDepth       {@code tally.json.maxDepth}: deepest nesting of arrays and objects accepted [64]
 * @param metricsOpenTo      {@code tally.metrics.openTo}: client addresses (IPs and CIDR ranges, comma-separated) that
 *                           may read {@code /metrics} without logging in, such as an internal Prometheus [none: only
 *                           users with the role tally-metrics or tally-admin]
 */
public record TallyConfig(
        String store,
        long storeTimeoutMillis,
        String storePasswordFile,
        int storePoolSize,
        int storeMaxCounters,
        int storeMaxBatch,
        int storeReplicas,
        StoreTls storeTls,
        int maxCounters,
        long memoryBudget,
        long cacheMaxEntries,
        long cacheMaxBytes,
        int cacheMaxValueBytes,
        long cacheDefaultTtl,
        int sessionMaxKeys,
        int sessionMaxValueBytes,
        int sessionNewTimeoutSeconds,
        String sessionStore,
        long sessionMaxSessions,
        int sessionTouchIntervalSeconds,
        long requestBodyTimeoutMillis,
        int jsonMaxDepth,
        AddressRanges metricsOpenTo) {

    /** The longest time to live a cache value may have: 30 days, in seconds. */
    public static final long MAX_TTL_SECONDS = 2_592_000;
    /** The smallest memory budget: room for the default value bounds and a few sessions. */
    static final long MIN_BUDGET = 4L << 20;

    public static TallyConfig from(Settings settings) {
        return from(settings, Runtime.getRuntime().maxMemory());
    }

    /** As {@link #from(Settings)}, in a JVM whose largest heap is {@code maxHeapBytes}. */
    static TallyConfig from(Settings settings, long maxHeapBytes) {
        long budget = settings.integer("tally.memory.budget", Math.max(MIN_BUDGET, maxHeapBytes / 4), MIN_BUDGET,
                Long.MAX_VALUE);
        TallyConfig config = new TallyConfig(
                settings.string("tally.store", "memory"),
                settings.integer("tally.store.timeout", 2000, 100, 60_000),
                settings.string("tally.store.passwordFile", null),
                (int) settings.integer("tally.store.poolSize", 0, 0, 1000),
                (int) settings.integer("tally.store.maxCounters", 100_000, 1, Integer.MAX_VALUE),
                (int) settings.integer("tally.store.maxBatch", 128, 1, 100_000),
                (int) settings.integer("tally.store.replicas", 0, 0, 100),
                new StoreTls(settings.string("tally.store.tls.trustStore", null),
                        settings.string("tally.store.tls.trustStorePassword", null),
                        settings.string("tally.store.tls.keyStore", null),
                        settings.string("tally.store.tls.keyStorePasswordFile", null)),
                (int) settings.integer("tally.memory.maxCounters", 100_000, 1, Integer.MAX_VALUE),
                budget,
                settings.integer("tally.cache.maxEntries", 10_000, 1, Integer.MAX_VALUE),
                settings.integer("tally.cache.maxBytes", Math.min(64L << 20, budget / 4), 1024, Long.MAX_VALUE),
                (int) settings.integer("tally.cache.maxValueBytes", 64 << 10, 1, 16 << 20),
                settings.integer("tally.cache.defaultTtl", 300, 1, MAX_TTL_SECONDS),
                (int) settings.integer("tally.session.maxKeys", 100, 1, 10_000),
                (int) settings.integer("tally.session.maxValueBytes", 16 << 10, 1, 1 << 20),
                (int) settings.integer("tally.session.newTimeout", 120, 1, 86_400),
                settings.string("tally.session.store", "container"),
                settings.integer("tally.session.maxSessions", 10_000, 1, 100_000_000),
                (int) settings.integer("tally.session.touchInterval", 60, 1, 86_400),
                settings.integer("tally.request.bodyTimeout", 10_000, 100, 600_000),
                (int) settings.integer("tally.json.maxDepth", 64, 1, 1000),
                AddressRanges.parse("tally.metrics.openTo", settings.string("tally.metrics.openTo", null)));
        if (config.cacheMaxValueBytes() > config.cacheMaxBytes()) {
            throw new InvalidSettingException("Invalid setting tally.cache.maxValueBytes: it is larger than "
                    + "tally.cache.maxBytes, so no value of that size could be kept");
        }
        if (config.store().equals("memory") && config.cacheMaxBytes() > budget / 2) {
            throw new InvalidSettingException("Invalid setting tally.cache.maxBytes: the memory cache may take at most "
                    + "half of tally.memory.budget (" + budget + " bytes), so that sessions and counters have room");
        }
        if (config.sessionStore().equals("store") && config.store().equals("memory")) {
            throw new InvalidSettingException("Invalid setting tally.session.store: 'store' means the store of "
                    + "tally.store, which is memory: sessions in one JVM's memory are what the container's sessions "
                    + "are already (use container), or set tally.store to a Redis or SQL store");
        }
        // Every Redis form starts so: redis://, rediss://, redis-sentinel://, rediss-cluster://, ...
        if (config.storeReplicas() > 0 && !config.store().startsWith("redis")) {
            throw new InvalidSettingException("Invalid setting tally.store.replicas: it applies to a Redis store "
                    + "(redis://, rediss://, redis-sentinel://, redis-cluster://), and tally.store is not one");
        }
        boolean tls = config.store().startsWith("rediss:") || config.store().startsWith("rediss-");
        if (config.storeTls().any() && !tls) {
            throw new InvalidSettingException("Invalid setting tally.store.tls: it applies to a Redis store over TLS "
                    + "(rediss://, rediss-sentinel://, rediss-cluster://), and tally.store is not one");
        }
        return config;
    }

    /**
     * The TLS settings of a {@code rediss} store; each null when not set. The key store's password is read from a
     * file, like the store's own, so that it is never in a setting that an MBean or a log could show.
     */
    public record StoreTls(String trustStore, String trustStorePassword, String keyStore,
            String keyStorePasswordFile) {

        boolean any() {
            return trustStore != null || trustStorePassword != null || keyStore != null
                    || keyStorePasswordFile != null;
        }

        @Override
        public String toString() {
            return "StoreTls[trustStore=" + trustStore + ", keyStore=" + keyStore + "]";
        }
    }

    /** Whether sessions live in a shared store rather than in the container. */
    public boolean sessionsInStore() {
        return !sessionStore.equals("container");
    }
}
