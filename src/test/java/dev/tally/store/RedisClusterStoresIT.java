package dev.tally.store;

import dev.tally.store.redis.RedisBackend;
import dev.tally.store.redis.RedisOptions;
import dev.tally.support.RedisClusterProcesses;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * The store contracts on a Redis Cluster of the test's own (three masters, three replicas), with every change waiting
 * for its master's replica ({@code tally.store.replicas=1}): counters, cache entries and sessions spread over the
 * masters' slots, and behave as on one Redis.
 */
class RedisClusterStoresIT extends StoreContractSuite {

    private RedisClusterProcesses cluster;

    @Override
    StoreBackend open() throws Exception {
        cluster = stoppedAfterAll(RedisClusterProcesses.start().orElse(null));
        Assumptions.assumeTrue(cluster != null, "no redis-server binary on this machine");
        System.out.println("RedisClusterStoresIT: three masters and three replicas of its own, at " + cluster.url());
        return RedisBackend.open(cluster.url(), Duration.ofSeconds(5), 16, null,
                new RedisOptions(1, null, null, null, null));
    }

    @Nested
    class Sessions extends SessionStoreContract {

        @Override
        protected SessionStore createStore() {
            return backend().sessions();
        }

        @Override
        protected void forgetAllSessions() {
            URI first = URI.create(cluster.url().replace("redis-cluster://", "redis://").split(",")[0]);
            try (JedisCluster jedis = new JedisCluster(new HostAndPort(first.getHost(), first.getPort()))) {
                jedis.del("tally:sessions");
            }
        }
    }
}
