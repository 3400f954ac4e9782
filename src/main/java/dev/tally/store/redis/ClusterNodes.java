package dev.tally.store.redis;

import dev.tally.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * counter, a cache entry, a session's hash), so none spans slots; the index of live sessions is kept by commands of
 * its own (see RedisSessionStore).
 *
 * <p>Like {@link SentinelMasters}, it is {@linkplain BuiltOnFirstUse built on first use}. No background thread is
 * started (no periodic topology refresh): the client learns a new topology from the redirections and failures that
 * show it.
 */
final class ClusterNodes implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterNodes.class.getName());
    /**
     * Attempts of one command: the cluster client's (redirections and resends after a connection failure), and the
     * redirections a change that waits for replicas follows here, before it gives up (a slot moving twice is rare).
     */
    private static final int MAX_REDIRECTIONS = 5;

    private final JedisClientConfig client;
    private final BuiltOnFirstUse<Client> built;

    /** The slots' owners and their pools, and the client that routes commands by them. */
    private record Client(ClusterConnectionProvider nodes, JedisCluster cluster) implements AutoCloseable {

        @Override
        public void close() {
            cluster.close(); // and the provider's pools
        }
    }

    ClusterNodes(ClusterAddress address, JedisClientConfig client, GenericObjectPoolConfig<Connection> config,
            Duration timeout) {
        this.client = client;
        this.built = new BuiltOnFirstUse<>("no node of " + address.nodes() + " gave the cluster's slots", () -> {
            ClusterConnectionProvider nodes = new ClusterConnectionProvider(address.nodes(), client, config);
            // Redirections and retries of one command stay within the store's timeout in all.
            Client ready = new Client(nodes, new JedisCluster(nodes, MAX_REDIRECTIONS, timeout));
            LOG.info(() -> "Redis Cluster: " + nodes.getPrimaryNodesConnectionMap().size() + " masters, "
                    + nodes.getNodes().size() + " nodes");
            return ready;
        });
    }

    /** The cluster client, which routes each command by its key. */
    JedisCluster client() {
        return built.get().cluster();
    }

    /**
     * Runs {@code command} on a connection to the master of {@code key}'s slot, following MOVED and ASK here, since
     * the command is followed by others on the same connection ({@code WAIT}): the cluster client would send each on
     * a connection of its own.
     */
    <T> T onSlotOf(String key, Function<Jedis, T> command) {
        ClusterConnectionProvider nodes = built.get().nodes();
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
        List<T> results = new ArrayList<>();
        for (ConnectionPool pool : built.get().nodes().getPrimaryNodesConnectionMap().values()) {
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

    @Override
    public void close() {
        built.close();
    }
}
