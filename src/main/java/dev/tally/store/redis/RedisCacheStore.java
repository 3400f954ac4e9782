package dev.tally.store.redis;

import dev.tally.store.CacheStore;
import java.time.Duration;
import java.util.Optional;
import redis.clients.jedis.params.SetParams;

/**
 * Cache values as Redis strings under {@code tally:cache:<key>}, each with its own expiry ({@code SET ... PX}):
 * Redis never serves an expired key and removes them itself.
 */
final class RedisCacheStore implements CacheStore {

    static final String PREFIX = "tally:cache:";

    private final RedisBackend redis;

    RedisCacheStore(RedisBackend redis) {
        this.redis = redis;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(redis.call("GET", jedis -> jedis.get(PREFIX + key)));
    }

    @Override
    public void put(String key, String json, Duration ttl) {
        redis.call("SET", jedis -> jedis.set(PREFIX + key, json, SetParams.setParams().px(ttl.toMillis())));
    }

    @Override
    public void delete(String key) {
        redis.call("DEL", jedis -> jedis.del(PREFIX + key));
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public void ping() {
        redis.ping();
    }
}
