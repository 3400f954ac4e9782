package dev.tally.store.redis;

import dev.tally.config.InvalidSettingException;
import dev.tally.store.CacheStore;
import dev.tally.store.CounterStore;
import dev.tally.store.SessionStore;
import dev.tally.store.StoreBackend;
import dev.tally.store.StoreUnavailableException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.logging.Logger;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisURIHelper;
import redis.clients.jedis.util.Pool;

/**
 * Counters, cache and sessions in Redis: one host ({@code redis://}), the master that Redis Sentinel names
 * ({@link SentinelMasters}), or a Redis Cluster ({@link ClusterNodes}), through pools of Jedis connections: one
 * connection per command at a time. Each operation has a deadline, {@code tally.store.timeout} after it starts, that
 * bounds waiting for a connection, opening one and the command's read, so a silent Redis fails a request within the
 * timeout instead of pinning its thread. The pools start no thread of their own (no evictor, no JMX; Sentinel's pool
 * has one listener thread per sentinel) and are closed with the application.
 *
 * <p>Tally never retries a command: a timed-out INCR may or may not have been applied, and re-sending it could only
 * skip a number, but the client that asked has already been told it failed. In a cluster the client follows
 * redirections and, after a connection failure, may send a command again to the slot's new master within the
 * timeout: an increment may then count twice for one request (a gap in the numbers, never a number given twice).
 */
public final class RedisBackend implements StoreBackend {

    private static final Logger LOG = Logger.getLogger(RedisBackend.class.getName());
    /** A command always gets at least this long, however long its request waited for a connection. */
    private static final int MIN_COMMAND_MILLIS = 100;
    /** How much longer than a WAIT's own timeout its connection waits for the answer. */
    private static final int WAIT_REPLY_MARGIN_MILLIS = 500;

    /** Written by every health check, so that a Redis that refuses writes (OOM, READONLY) is reported DOWN. */
    static final String HEALTH_KEY = "tally:health";
    private static final long HEALTH_KEY_MILLIS = 60_000;
    static final int POLICY_CHECK_SECONDS = 10;

    /** Where connections come from: one host's pool or Sentinel's; null for a cluster. */
    private final Masters masters;
    /** The cluster; null for one host or Sentinel. */
    private final ClusterNodes cluster;
    private volatile long policyCheckedAt = System.nanoTime() - TimeUnit.SECONDS.toNanos(POLICY_CHECK_SECONDS + 1);
    private volatile boolean policyReadable = true;
    /** The eviction policy that can evict counters, or null while it cannot (or cannot be read). */
    private volatile String evictingPolicy;
    private final Semaphore connections;
    private final long timeoutNanos;
    private final int replicas;
    private final RedisCounterStore counters;
    private final RedisCacheStore cache;
    private final RedisSessionStore sessions;

    private RedisBackend(Masters masters, ClusterNodes cluster, int poolSize, Duration timeout, int replicas) {
        this.masters = masters;
        this.cluster = cluster;
        this.connections = new Semaphore(poolSize);
        this.timeoutNanos = timeout.toNanos();
        this.replicas = replicas;
        this.counters = new RedisCounterStore(this, DEFAULT_MAX_COUNTERS);
        this.cache = new RedisCacheStore(this);
        this.sessions = new RedisSessionStore(this, cluster != null);
    }

    /** Whether {@code url} names a Redis store: one host, Sentinel's master, or a cluster, with or without TLS. */
    public static boolean handles(String url) {
        return url.startsWith("redis://") || url.startsWith("rediss://") || SentinelAddress.matches(url)
                || ClusterAddress.matches(url);
    }

    /**
     * @param url      {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}
     * @param timeout  what one operation may take in all: waiting for a free connection (at most half of it),
     *                 opening one (a quarter for connecting, a quarter for AUTH or SELECT), and the command
     * @param poolSize connections at most
     */
    public static RedisBackend open(String url, Duration timeout, int poolSize) {
        return open(url, timeout, poolSize, null);
    }

    /**
     * As {@link #open(String, Duration, int)}, with the password given apart from the URL (read from
     * {@code tally.store.passwordFile}); it wins over one in the URL. Null for none.
     */
    public static RedisBackend open(String url, Duration timeout, int poolSize, String password) {
        return open(url, timeout, poolSize, password, RedisOptions.DEFAULTS);
    }

    /**
     * As {@link #open(String, Duration, int, String)}, with {@code url} also a Sentinel URL ({@link SentinelAddress})
     * or a Cluster URL ({@link ClusterAddress}), and the replicas to wait for and TLS set-up of {@code options}.
     */
    public static RedisBackend open(String url, Duration timeout, int poolSize, String password,
            RedisOptions options) {
        // Opening a connection (connect, then AUTH or SELECT) has a quarter of the timeout for each step; each
        // command then gets what is left of its request's timeout (see call).
        int quarter = (int) Math.max(100, timeout.toMillis() / 4);
        GenericObjectPoolConfig<Jedis> config = poolConfig(poolSize);
        int millis = (int) timeout.toMillis();
        String waits = options.replicas() == 0 ? "" : ", each change waits for " + options.replicas() + " replica(s)";
        if (ClusterAddress.matches(url)) {
            ClusterAddress address = ClusterAddress.parse(url);
            // A command's socket may wait the whole timeout: the cluster client sets no deadline per command, but
            // bounds its redirections and retries of one command to the timeout in all.
            JedisClientConfig client = client(quarter, (int) timeout.toMillis(), address.user(),
                    password != null ? password : address.password(), 0, address.tls(), options);
            GenericObjectPoolConfig<Connection> nodePools = poolConfig(poolSize);
            RedisBackend backend = new RedisBackend(null, new ClusterNodes(address, client, nodePools, timeout),
                    poolSize, timeout, options.replicas());
            LOG.info(() -> "Redis store: the cluster at " + address.nodes() + ", timeout " + millis + " ms, up to "
                    + poolSize + " connections per node" + waits);
            return backend;
        }
        if (SentinelAddress.matches(url)) {
            SentinelAddress address = SentinelAddress.parse(url);
            JedisClientConfig master = client(quarter, quarter, address.user(),
                    password != null ? password : address.password(), address.database(), address.tls(), options);
            JedisClientConfig sentinel = client(quarter, quarter, null, null, 0, address.tls(), options);
            RedisBackend backend = new RedisBackend(new SentinelMasters(address, config, master, sentinel), null,
                    poolSize, timeout, options.replicas());
            LOG.info(() -> "Redis store: the master the sentinels " + address.sentinels() + " name "
                    + address.master() + ", timeout " + millis + " ms, up to " + poolSize + " connections" + waits);
            return backend;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("Invalid setting tally.store: not a valid redis:// URL");
        }
        if (!JedisURIHelper.isValid(uri)) {
            throw new InvalidSettingException("Invalid setting tally.store: a redis:// URL needs a host and a port");
        }
        JedisClientConfig client = client(quarter, quarter, JedisURIHelper.getUser(uri),
                password != null ? password : JedisURIHelper.getPassword(uri), JedisURIHelper.getDBIndex(uri),
                JedisURIHelper.isRedisSSLScheme(uri), options);
        HostAndPort address = JedisURIHelper.getHostAndPort(uri);
        JedisPool pool = new JedisPool(config, address, client);
        RedisBackend backend = new RedisBackend(new OneHost(pool), null, poolSize, timeout, options.replicas());
        LOG.info(() -> "Redis store at " + address + ", timeout " + millis + " ms, up to "
                + poolSize + " connections" + waits);
        return backend;
    }

    private static JedisClientConfig client(int connectMillis, int socketMillis, String user, String password,
            int database, boolean tls, RedisOptions options) {
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(connectMillis)
                .socketTimeoutMillis(socketMillis)
                .user(user)
                .password(password)
                .database(database)
                .ssl(tls)
                // No CLIENT SETINFO round trips when connecting: Jedis ignores their failure, so against a
                // silent server each would add a whole timeout before the failure is reported.
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        if (tls && options.customTls()) {
            client.sslOptions(options.sslOptions());
        }
        return client.build();
    }

    private static <C> GenericObjectPoolConfig<C> poolConfig(int poolSize) {
        GenericObjectPoolConfig<C> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(poolSize);
        config.setMaxIdle(poolSize);
        config.setMinIdle(0);
        // Waiting for a free connection is done by RedisBackend's semaphore, never inside the pool: a pool with
        // waiters replaces a broken connection on the thread that returns it, which against a silent server adds
        // a whole connect timeout to a request that has already timed out once.
        config.setBlockWhenExhausted(false);
        config.setJmxEnabled(false);
        config.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
        return config;
    }

    @Override
    public RedisBackend limitCounters(int maxCounters) {
        counters.limit(maxCounters);
        return this;
    }

    @Override
    public CounterStore counters() {
        return counters;
    }

    @Override
    public CacheStore cache() {
        return cache;
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    /**
     * Runs one command on a pooled connection. Connection failures and timeouts become
     * {@link StoreUnavailableException}, and the connection that failed is discarded (without a QUIT, which would
     * wait on a silent server). Idle connections are not cleared with it: closing them politely would wait too. An
     * error reply by which Redis refuses to serve (see {@link #refuses}) is unavailability too; any other error reply
     * means Tally sent something wrong, and stays an error.
     */
    <T> T call(String what, Function<JedisCommands, T> command) {
        return run(what, null, command, false);
    }

    /**
     * As {@link #call}, for a change whose value a client is given (an increment, a session's counter or data): with
     * {@code tally.store.replicas} N &gt; 0, the change must also reach N replicas ({@code WAIT N}, on the connection
     * that made it) within what is left of the timeout. Fewer is a {@link StoreUnavailableException}: the change is
     * indeterminate (it is on the master, and may or may not survive a failover), so its value is never given out.
     *
     * @param key the key the change is on: in a cluster, the change and its WAIT go to that key's master
     */
    <T> T write(String what, String key, Function<JedisCommands, T> command) {
        return run(what, key, command, replicas > 0);
    }

    private <T> T run(String what, String key, Function<JedisCommands, T> command, boolean replicated) {
        return guarded(what, deadline -> {
            if (cluster != null) {
                return replicated ? cluster.onSlotOf(key, jedis -> runOn(jedis, what, command, true, deadline))
                        : command.apply(cluster.client());
            }
            try (Jedis jedis = masters.pool().getResource()) {
                return runOn(jedis, what, command, replicated, deadline);
            }
        });
    }

    /**
     * Runs {@code body} (given its deadline) holding one of the connections this JVM may use. Connection failures and
     * timeouts become {@link StoreUnavailableException}, as do the error replies by which Redis refuses to serve.
     */
    private <T> T guarded(String what, LongFunction<T> body) {
        long deadline = System.nanoTime() + timeoutNanos;
        acquireConnection(what, timeoutNanos / 2);
        try {
            return body.apply(deadline);
        } catch (JedisDataException e) {
            if (refuses(e)) {
                throw new StoreUnavailableException("redis store: " + what + " refused: " + e.getMessage(), e);
            }
            throw e;
        } catch (JedisException e) {
            throw new StoreUnavailableException("redis store: " + what + " failed: " + e.getMessage(), e);
        } finally {
            connections.release();
        }
    }

    /** One command on one connection, with what is left of the timeout, then the WAIT if asked. */
    private <T> T runOn(Jedis jedis, String what, Function<JedisCommands, T> command, boolean replicated,
            long deadline) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        jedis.getConnection().setSoTimeout((int) Math.max(MIN_COMMAND_MILLIS, left));
        T result = command.apply(jedis);
        if (replicated) {
            awaitReplicas(jedis, what, deadline);
        }
        return result;
    }

    /** Runs a server command (CONFIG GET) on the master, or on every master of a cluster; failures as {@link #call}. */
    private <T> List<T> onEveryMaster(String what, Function<Jedis, T> command) {
        return guarded(what, deadline -> {
            if (cluster != null) {
                return cluster.onEveryMaster(command);
            }
            try (Jedis jedis = masters.pool().getResource()) {
                jedis.getConnection().setSoTimeout((int) Math.max(MIN_COMMAND_MILLIS,
                        TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                return List.of(command.apply(jedis));
            }
        });
    }

    private void awaitReplicas(Jedis jedis, String what, long deadline) {
        // WAIT with a timeout of 0 would block for ever: it always gets at least MIN_COMMAND_MILLIS, and the socket
        // a little longer, so that Redis's own answer at its timeout arrives before the socket gives up.
        long waitMillis = Math.max(MIN_COMMAND_MILLIS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        jedis.getConnection().setSoTimeout((int) waitMillis + WAIT_REPLY_MARGIN_MILLIS);
        long acknowledged = jedis.waitReplicas(replicas, waitMillis);
        if (acknowledged < replicas) {
            throw new StoreUnavailableException("redis store: " + what + " reached " + acknowledged + " of the "
                    + replicas + " replica(s) tally.store.replicas asks for within " + waitMillis + " ms; the change "
                    + "is on the master and may not survive a failover, so its value is not given out", null);
        }
    }

    /**
     * Error replies by which Redis refuses to serve a command without having run it, because of its own state or its
     * operator's settings, never because of what Tally sent: a 503 and health DOWN, not a 500.
     * <ul>
     *   <li>not ready: LOADING (replaying its append-only file; found by StoreOutageIT), BUSY (a script running),
     *       MASTERDOWN, TRYAGAIN, READONLY, CLUSTERDOWN (a failover), MISCONF (cannot persist, refuses writes),
     *       NOREPLICAS ({@code min-replicas-to-write} not met);</li>
     *   <li>full: OOM ({@code maxmemory} reached under {@code noeviction}), and {@code ERR max number of clients
     *       reached} (on connecting);</li>
     *   <li>not allowed: NOAUTH, WRONGPASS (a password rotated under the running application), NOPERM (an ACL), and on
     *       connecting {@code ERR invalid password} (Redis before 6), {@code ERR AUTH ...} (a password given to a Redis
     *       that has none) and {@code ERR DB index is out of range} (a {@code /db} the server does not have).</li>
     * </ul>
     * Anything else (WRONGTYPE, a syntax error, an unknown command) is Tally's bug and stays a 500.
     */
    static boolean refuses(JedisDataException e) {
        String message = String.valueOf(e.getMessage());
        for (String prefix : REFUSALS) {
            if (message.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static final String[] REFUSALS = {"LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "READONLY", "CLUSTERDOWN",
        "MISCONF", "NOREPLICAS", "OOM", "NOAUTH", "WRONGPASS", "NOPERM", "ERR max number of clients",
        "ERR invalid password", "ERR AUTH", "ERR Client sent AUTH", "ERR DB index is out of range",
        "ERR invalid DB index"};

    private void acquireConnection(String what, long maxWaitNanos) {
        boolean acquired;
        try {
            acquired = connections.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new StoreUnavailableException("redis store: " + what + " failed: no free connection within "
                    + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + " ms", null);
        }
    }

    /**
     * Checks that Redis answers, takes writes, and keeps counters: a small write ({@code maxmemory} reached under
     * {@code noeviction} refuses it with OOM, a replica with READONLY), then the eviction policy.
     */
    void ping() {
        pingWrites();
        checkEvictionPolicy();
        requireCountersKept();
    }

    /** Checks that Redis answers and takes writes (as {@link #ping()}, without the eviction policy). */
    void pingWrites() {
        call("SET", jedis -> jedis.set(HEALTH_KEY, "1", SetParams.setParams().px(HEALTH_KEY_MILLIS)));
        if (cluster != null) {
            // The health key is on one master; every master must answer, or some counters cannot be served.
            onEveryMaster("PING", Jedis::ping);
        }
    }

    /**
     * Refuses to go on when Redis may evict keys that have no time to live, that is counters: an evicted counter
     * starts again from 1 and hands out numbers already given. The policy is read from Redis at most every
     * {@value #POLICY_CHECK_SECONDS} s (and on every health check), since an operator can change it at run time.
     *
     * @throws StoreUnavailableException while {@code maxmemory-policy} is one of {@code allkeys-*}
     */
    void requireCountersKept() {
        if (System.nanoTime() - policyCheckedAt > TimeUnit.SECONDS.toNanos(POLICY_CHECK_SECONDS)) {
            checkEvictionPolicy();
        }
        String policy = evictingPolicy;
        if (policy != null) {
            throw new StoreUnavailableException("redis store: refuses to hand out counter values: maxmemory-policy "
                    + policy + " can evict counters, which would then hand out numbers again; set it to noeviction or "
                    + "a volatile-* policy", null);
        }
    }

    private void checkEvictionPolicy() {
        policyCheckedAt = System.nanoTime();
        if (!policyReadable) {
            return;
        }
        List<Map<String, String>> replies;
        try {
            replies = onEveryMaster("CONFIG GET", jedis -> jedis.configGet("maxmemory-policy"));
        } catch (JedisDataException | StoreUnavailableException e) {
            if (e instanceof StoreUnavailableException && !(e.getCause() instanceof JedisDataException)) {
                throw e;
            }
            // CONFIG renamed or disabled (managed Redis services), or not allowed by an ACL: the rule is the
            // operator's to keep, as the docs say.
            policyReadable = false;
            LOG.warning("Redis does not let Tally read maxmemory-policy (" + e.getMessage() + "); make sure it is "
                    + "noeviction or volatile-*, or counters can be evicted and hand out numbers again");
            return;
        }
        // Every master must keep counters: in a cluster, a counter lives on whichever holds its slot.
        String evicting = replies.stream().map(reply -> reply.getOrDefault("maxmemory-policy", ""))
                .filter(policy -> policy.startsWith("allkeys-")).findFirst().orElse(null);
        if (evicting != null && !evicting.equals(evictingPolicy)) {
            LOG.severe("Redis maxmemory-policy is " + evicting + ": it can evict counters, so Tally refuses to "
                    + "hand out counter values until it is noeviction or volatile-*");
        }
        evictingPolicy = evicting;
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        } else {
            masters.close();
        }
    }

    /** Where connections come from: the pool of one host, or of the master that Sentinel names. */
    interface Masters extends AutoCloseable {

        /** The pool of the current master; a {@link StoreUnavailableException} while none is known. */
        Pool<Jedis> pool();

        @Override
        void close();
    }

    /** One Redis host, at one address for ever. */
    private record OneHost(JedisPool pool) implements Masters {

        @Override
        public void close() {
            pool.close();
        }
    }
}
