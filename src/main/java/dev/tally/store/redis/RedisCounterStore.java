package dev.tally.store.redis;

import dev.tally.store.CounterAdmission;
import dev.tally.store.CounterExhaustedException;
import dev.tally.store.CounterStore;
import java.util.List;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * Counters as Redis strings under {@code tally:counter:<name>}. An increment is one {@code INCR}, atomic in Redis
 * for every client of every JVM; at 2^63-1 Redis refuses with an overflow error and the counter stays there.
 *
 * <p>The names of the counters are members of the set {@code tally:counters}, which the limit on distinct counters
 * ({@link CounterAdmission}) counts: a name joins it in one script that checks its size, so every JVM together never
 * takes the set past the limit. Each command touches one key, as Redis Cluster requires.
 */
final class RedisCounterStore implements CounterStore {

    static final String PREFIX = "tally:counter:";
    static final String NAMES = "tally:counters";

    /** Add ARGV[1] to the set KEYS[1] unless it holds ARGV[2] members already; 1 if it is a member afterwards. */
    static final RedisScript ADMIT = new RedisScript("""
            if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
            if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
            redis.call('SADD', KEYS[1], ARGV[1])
            return 1
            """);

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
    private volatile CounterAdmission admission;

    RedisCounterStore(RedisBackend redis, int maxCounters) {
        this.redis = redis;
        limit(maxCounters);
    }

    /** Sets the limit on distinct counters; every JVM using the store should set the same. */
    void limit(int maxCounters) {
        admission = new CounterAdmission(maxCounters, new CounterAdmission.Ledger() {
            @Override
            public boolean holds(String name) {
                if (redis.call("SISMEMBER", jedis -> jedis.sismember(NAMES, name))) {
                    return true;
                }
                // A counter from before the limit existed: counted from now on, even past the limit.
                if (redis.call("EXISTS", jedis -> jedis.exists(PREFIX + name))) {
                    redis.call("SADD", jedis -> jedis.sadd(NAMES, name));
                    return true;
                }
                return false;
            }

            @Override
            public boolean admit(String name, int limit) {
                Object admitted = redis.call("EVALSHA", jedis -> ADMIT.run(jedis, List.of(NAMES),
                        List.of(name, Integer.toString(limit))));
                return Long.valueOf(1).equals(admitted);
            }
        });
    }

    @Override
    public long increment(String name) {
        return add(name, 1);
    }

    @Override
    public long add(String name, int count) {
        redis.requireCountersKept();
        admission.require(name);
        try {
            String key = PREFIX + name;
            return count == 1 ? redis.write("INCR", key, jedis -> jedis.incr(key))
                    : redis.write("INCRBY", key, jedis -> jedis.incrBy(key, count));
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
        admission.require(name);
        Object result = redis.write("EVAL", PREFIX + name, jedis -> jedis.eval(ADVANCE_SCRIPT, List.of(PREFIX + name),
                List.of(Long.toString(Math.max(0, value)))));
        return Long.parseLong(result.toString());
    }

    @Override
    public long count() {
        return redis.call("SCARD", jedis -> jedis.scard(NAMES));
    }

    @Override
    public void reset(String name) {
        // Set to 0, not deleted: the counter keeps its place among the limited names.
        redis.write("SET", PREFIX + name, jedis -> jedis.set(PREFIX + name, "0", SetParams.setParams().xx()));
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
