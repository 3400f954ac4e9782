package dev.tally.store.redis;

import dev.tally.store.CounterExhaustedException;
import dev.tally.store.CounterStore;
import java.util.List;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Counters as Redis strings under {@code tally:counter:<name>}. An increment is one {@code INCR}, atomic in Redis
 * for every client of every JVM; at 2^63-1 Redis refuses with an overflow error and the counter stays there.
 */
final class RedisCounterStore implements CounterStore {

    static final String PREFIX = "tally:counter:";

    /**
     * Raise to at least ARGV[1]. Values are compared as decimal strings (longer is larger, then lexicographic):
     * Lua numbers are doubles and would round values near 2^63.
     */
    static final String ADVANCE_SCRIPT = """
            local current = redis.call('GET', KEYS[1]) or '0'
            local wanted = ARGV[1]
            if string.len(wanted) > string.len(current)
                or (string.len(wanted) == string.len(current) and wanted > current) then
              redis.call('SET', KEYS[1], wanted)
              return wanted
            end
            return current
            """;

    private final RedisBackend redis;

    RedisCounterStore(RedisBackend redis) {
        this.redis = redis;
    }

    @Override
    public long increment(String name) {
        redis.requireCountersKept();
        try {
            return redis.call("INCR", jedis -> jedis.incr(PREFIX + name));
        } catch (JedisDataException e) {
            if (e.getMessage() != null && e.getMessage().contains("overflow")) {
                throw new CounterExhaustedException(name);
            }
            throw e;
        }
    }

    @Override
    public long get(String name) {
        String value = redis.call("GET", jedis -> jedis.get(PREFIX + name));
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public long advanceTo(String name, long value) {
        redis.requireCountersKept();
        Object result = redis.call("EVAL", jedis -> jedis.eval(ADVANCE_SCRIPT, List.of(PREFIX + name),
                List.of(Long.toString(Math.max(0, value)))));
        return Long.parseLong(result.toString());
    }

    @Override
    public void reset(String name) {
        redis.call("DEL", jedis -> jedis.del(PREFIX + name));
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
