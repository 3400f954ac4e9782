package dev.tally.store.redis;

import dev.tally.store.StoreUnavailableException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.Pool;

/**
 * Connections to the master that Redis Sentinel names, through Jedis's {@link JedisSentinelPool}: it asks the sentinels
 * where the master is, listens to each for {@code +switch-master}, and from then on opens connections to the new
 * master and drops those to the old one. Following a failover is the client's work, not Tally's.
 *
 * <p>Tally adds one thing: the application starts while no sentinel answers (they start later, or are being restarted),
 * as it does while a single Redis is down. Jedis's pool can only be built once a sentinel has named the master, so it
 * is built on first use, and while it cannot be, requests fail at once with 503, trying again at most once a second;
 * a request never waits behind another that is trying.
 */
final class SentinelMasters implements RedisBackend.Masters {

    private static final Logger LOG = Logger.getLogger(SentinelMasters.class.getName());
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SentinelAddress address;
    private final GenericObjectPoolConfig<Jedis> config;
    private final JedisClientConfig master;
    private final JedisClientConfig sentinel;
    private final ReentrantLock building = new ReentrantLock();
    private volatile JedisSentinelPool pool;
    private volatile boolean closed;
    private long nextAttempt = System.nanoTime();
    private String lastFailure = "not asked yet";

    SentinelMasters(SentinelAddress address, GenericObjectPoolConfig<Jedis> config, JedisClientConfig master,
            JedisClientConfig sentinel) {
        this.address = address;
        this.config = config;
        this.master = master;
        this.sentinel = sentinel;
    }

    @Override
    public Pool<Jedis> pool() {
        JedisSentinelPool built = pool;
        if (built != null) {
            return built;
        }
        if (!building.tryLock()) {
            throw unavailable("another request is asking the sentinels where the master is");
        }
        try {
            if (pool != null) {
                return pool;
            }
            if (closed) {
                throw unavailable("the store is closed");
            }
            if (System.nanoTime() - nextAttempt < 0) {
                throw unavailable(lastFailure);
            }
            try {
                pool = new JedisSentinelPool(address.master(), address.sentinels(), config, master, sentinel);
                LOG.info(() -> "Redis Sentinel: master " + address.master() + " at " + pool.getCurrentHostMaster());
                return pool;
            } catch (JedisException e) {
                nextAttempt = System.nanoTime() + RETRY_NANOS;
                lastFailure = "no sentinel of " + address.sentinels() + " named the master " + address.master()
                        + " (" + e.getMessage() + ")";
                LOG.warning("Redis Sentinel: " + lastFailure + "; trying again on a request after 1 s");
                throw unavailable(lastFailure);
            }
        } finally {
            building.unlock();
        }
    }

    private static StoreUnavailableException unavailable(String why) {
        return new StoreUnavailableException("redis store: " + why, null);
    }

    /** Stops the pool and its listener threads (one per sentinel). */
    @Override
    public void close() {
        building.lock();
        try {
            closed = true;
            if (pool != null) {
                pool.close();
            }
        } finally {
            building.unlock();
        }
    }
}
