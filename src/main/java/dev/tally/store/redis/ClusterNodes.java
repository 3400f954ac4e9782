package dev.tally.store.redis;

import dev.tally.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.logging.Logger;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster, through Jedis's {@link JedisCluster}: it learns which master holds which of the 16 384 slots, sends
 * each command to the master of its key's slot, and follows {@code MOVED} and {@code ASK} (a slot migrating, a replica
 * promoted) by itself, within {@code tally.store.timeout} in all. Tally keeps every atomic operation on one key (a
 * counter, a cache entry, a session's hash with its shard of the session index), so none spans slots.
 *
 * <p>Like {@link SentinelMasters}, it is built on first use, and while no node answers requests fail at once with 503,
 * trying again at most once a second. No background thread is started (no periodic topology refresh): the client
 * learns a new topology from the redirections and failures that show it.
 */
final class ClusterNodes implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterNodes.class.getName());
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Redirections a change that waits for replicas follows before it gives up (a slot moving twice is rare). */
    private static final int MAX_REDIRECTIONS = 5;

    private final ClusterAddress address;
    private final JedisClientConfig client;
    private final GenericObjectPoolConfig<Connection> config;
    private final Duration timeout;
    private final ReentrantLock building = new ReentrantLock();
    private volatile ClusterConnectionProvider provider;
    private volatile JedisCluster cluster;
    private volatile boolean closed;
    private long nextAttempt = System.nanoTime();
    private String lastFailure = "not asked yet";

    ClusterNodes(ClusterAddress address, JedisClientConfig client, GenericObjectPoolConfig<Connection> config,
            Duration timeout) {
        this.address = address;
        this.client = client;
        this.config = config;
        this.timeout = timeout;
    }

    /** The cluster client, which routes each command by its key. */
    JedisCluster client() {
        JedisCluster built = cluster;
        return built != null ? built : build();
    }

    /**
     * Runs {@code command} on a connection to the master of {@code key}'s slot, following MOVED and ASK here, since
     * the command is followed by others on the same connection ({@code WAIT}): the cluster client would send each on
     * a connection of its own.
     */
    <T> T onSlotOf(String key, Function<Jedis, T> command) {
        client();
        ClusterConnectionProvider nodes = provider;
        int slot = JedisClusterCRC16.getSlot(key);
        HostAndPort asked = null;
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = asked == null ? nodes.getConnectionFromSlot(slot)
                    : nodes.getConnection(asked)) {
                Jedis jedis = new Jedis(connection);
                if (asked != null) {
                    jedis.asking();
                }
                try {
                    return command.apply(jedis);
                } finally {
                    restoreTimeout(connection);
                }
            } catch (JedisMovedDataException moved) {
                nodes.renewSlotCache();
                asked = null;
                if (attempt >= MAX_REDIRECTIONS) {
                    throw new StoreUnavailableException("redis store: slot " + slot + " kept moving", moved);
                }
            } catch (JedisAskDataException ask) {
                asked = ask.getTargetNode();
                if (attempt >= MAX_REDIRECTIONS) {
                    throw new StoreUnavailableException("redis store: slot " + slot + " kept migrating", ask);
                }
            }
        }
    }

    /** Runs {@code command} on every master, in no particular order. */
    <T> List<T> onEveryMaster(Function<Jedis, T> command) {
        client();
        List<T> results = new ArrayList<>();
        for (ConnectionPool pool : provider.getPrimaryNodesConnectionMap().values()) {
            try (Connection connection = pool.getResource()) {
                results.add(command.apply(new Jedis(connection)));
            }
        }
        return results;
    }

    private void restoreTimeout(Connection connection) {
        try {
            connection.setSoTimeout(client.getSocketTimeoutMillis());
        } catch (JedisException broken) {
            // the connection is broken, and the pool drops it
        }
    }

    private JedisCluster build() {
        if (!building.tryLock()) {
            throw unavailable("another request is asking the cluster's nodes for its slots");
        }
        try {
            if (cluster != null) {
                return cluster;
            }
            if (closed) {
                throw unavailable("the store is closed");
            }
            if (System.nanoTime() - nextAttempt < 0) {
                throw unavailable(lastFailure);
            }
            try {
                ClusterConnectionProvider nodes = new ClusterConnectionProvider(address.nodes(), client, config);
                provider = nodes;
                // Redirections and retries of one command stay within the store's timeout in all.
                cluster = new JedisCluster(nodes, MAX_REDIRECTIONS, timeout);
                LOG.info(() -> "Redis Cluster: " + nodes.getPrimaryNodesConnectionMap().size() + " masters, "
                        + nodes.getNodes().size() + " nodes");
                return cluster;
            } catch (JedisException e) {
                nextAttempt = System.nanoTime() + RETRY_NANOS;
                lastFailure = "no node of " + address.nodes() + " gave the cluster's slots (" + e.getMessage() + ")";
                LOG.warning("Redis Cluster: " + lastFailure + "; trying again on a request after 1 s");
                throw unavailable(lastFailure);
            }
        } finally {
            building.unlock();
        }
    }

    private static StoreUnavailableException unavailable(String why) {
        return new StoreUnavailableException("redis store: " + why, null);
    }

    @Override
    public void close() {
        building.lock();
        try {
            closed = true;
            if (cluster != null) {
                cluster.close();
            } else if (provider != null) {
                provider.close();
            }
        } finally {
            building.unlock();
        }
    }
}
