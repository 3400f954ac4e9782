package dev.tally.store.redis;

import java.util.logging.Logger;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.util.Pool;

/**
 * Connections to the master that Redis Sentinel names, through Jedis's {@link JedisSentinelPool}: it asks the sentinels
 * where the master is, listens to each for {@code +switch-master}, and from then on opens connections to the new
 * master and drops those to the old one. Following a failover is the client's work, not Tally's. The pool can only be
 * built once a sentinel answers, so it is {@linkplain BuiltOnFirstUse built on first use}.
 */
final class SentinelMasters implements RedisBackend.Masters {

    private static final Logger LOG = Logger.getLogger(SentinelMasters.class.getName());

    private final BuiltOnFirstUse<JedisSentinelPool> pool;

    SentinelMasters(SentinelAddress address, GenericObjectPoolConfig<Jedis> config, JedisClientConfig master,
            JedisClientConfig sentinel) {
        this.pool = new BuiltOnFirstUse<>("no sentinel of " + address.sentinels() + " named the master "
                + address.master(), () -> {
                    JedisSentinelPool built = new JedisSentinelPool(address.master(), address.sentinels(), config,
                            master, sentinel);
                    LOG.info(() -> "Redis Sentinel: master " + address.master() + " at "
                            + built.getCurrentHostMaster());
                    return built;
                });
    }

    @Override
    public Pool<Jedis> pool() {
        return pool.get();
    }

    /** Stops the pool and its listener threads (one per sentinel). */
    @Override
    public void close() {
        pool.close();
    }
}
