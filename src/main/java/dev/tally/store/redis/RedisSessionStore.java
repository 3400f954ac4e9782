package dev.tally.store.redis;

import dev.tally.store.CorruptSessionException;
import dev.tally.store.CounterExhaustedException;
import dev.tally.store.SessionStore;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Sessions in Redis: one hash per session, {@code tally:session:<hashed id>}, whose time to live is the session's idle
 * timeout, and one sorted set, {@code tally:sessions}, of every session by the time it expires (for the cap on live
 * sessions across nodes). The hash's fields: {@code fmt} (1), {@code created} (ms), {@code fresh} (present until the
 * client comes back), {@code n} (the per-user counter), {@code k} (how many data keys), and per data key
 * {@code d:<key>} (the JSON text) and {@code v:<key>} (its version).
 *
 * <p>Every operation is one Lua script, which Redis runs atomically, and which checks that the session is alive
 * before it writes: so an increment is one {@code HINCRBY} on a live session, a data write a compare-and-set of one
 * field, and no write revives a session that expired. Times are Redis's own ({@code TIME}), so node clocks do not
 * matter. A script is sent by its SHA-1 ({@code EVALSHA}) and in full only when Redis does not know it yet.
 */
final class RedisSessionStore implements SessionStore {

    static final String PREFIX = "tally:session:";
    static final String INDEX = "tally:sessions";

    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /** KEYS: session, index. ARGV: timeout ms, max sessions, member. */
    private static final RedisScript CREATE = new RedisScript(NOW + """
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%d', now))
            if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return 'FULL' end
            if redis.call('EXISTS', KEYS[1]) == 1 then return 'TAKEN' end
            redis.call('HSET', KEYS[1], 'fmt', '1', 'created', string.format('%d', now), 'fresh', '1')
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            redis.call('ZADD', KEYS[2], string.format('%d', now + tonumber(ARGV[1])), ARGV[3])
            return 'OK'
            """);

    /**
     * The start of every script on one session: it ends the script with {'GONE'} if the session is not there, with
     * {'CORRUPT', why} if its key is not a session of Tally's, and else extends it if the touch (ARGV[1], timeout ms,
     * 0 for none; ARGV[2], touch interval ms) says so, leaving its time to live in {@code ttl}. KEYS: session, index.
     * ARGV[3]: the member in the index. A script's own arguments start at ARGV[4].
     */
    private static final String LIVE_SESSION = NOW + """
            local head = redis.call('HMGET', KEYS[1], 'fmt', 'fresh')
            if not head[1] then
              if redis.call('EXISTS', KEYS[1]) == 1 then return {'CORRUPT', 'no format'} end
              return {'GONE'}
            end
            if head[1] ~= '1' then return {'CORRUPT', 'format ' .. head[1]} end
            local timeout = tonumber(ARGV[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if timeout > 0 and (head[2] or ttl < 0 or ttl < timeout - tonumber(ARGV[2])) then
              if head[2] then redis.call('HDEL', KEYS[1], 'fresh') end
              redis.call('PEXPIRE', KEYS[1], timeout)
              redis.call('ZADD', KEYS[2], string.format('%d', now + timeout), ARGV[3])
              ttl = timeout
            end
            """;

    /** Answers created, counter, data keys, time to live. */
    private static final RedisScript RESUME = new RedisScript(LIVE_SESSION + """
            local v = redis.call('HMGET', KEYS[1], 'created', 'n', 'k')
            return {'OK', v[1] or '0', v[2] or '0', v[3] or '0', tostring(ttl)}
            """);

    /**
     * ARGV[4]: delta. Answers the new value, read back as a string: Lua holds HINCRBY's integer reply as a double,
     * which rounds values near 2^63.
     */
    private static final RedisScript ADD = new RedisScript(LIVE_SESSION + """
            redis.call('HINCRBY', KEYS[1], 'n', ARGV[4])
            return {'OK', redis.call('HGET', KEYS[1], 'n')}
            """);

    private static final RedisScript RESET = new RedisScript(LIVE_SESSION + """
            redis.call('HSET', KEYS[1], 'n', '0')
            return {'OK'}
            """);

    /** ARGV[4..8]: key, expected version ('*' any, '' none), json, version, max keys. */
    private static final RedisScript PUT = new RedisScript(LIVE_SESSION + """
            local current = redis.call('HGET', KEYS[1], 'v:' .. ARGV[4])
            if ARGV[5] ~= '*' and (current or '') ~= ARGV[5] then return {'CONFLICT'} end
            if not current then
              if tonumber(redis.call('HGET', KEYS[1], 'k') or '0') >= tonumber(ARGV[8]) then
                return {'TOO_MANY_KEYS'}
              end
              redis.call('HINCRBY', KEYS[1], 'k', 1)
            end
            redis.call('HSET', KEYS[1], 'd:' .. ARGV[4], ARGV[6], 'v:' .. ARGV[4], ARGV[7])
            return {'OK'}
            """);

    /** ARGV[4..5]: key, expected version ('*' any, '' none). */
    private static final RedisScript REMOVE = new RedisScript(LIVE_SESSION + """
            local current = redis.call('HGET', KEYS[1], 'v:' .. ARGV[4])
            if ARGV[5] ~= '*' and (current or '') ~= ARGV[5] then return {'CONFLICT'} end
            if current then
              redis.call('HDEL', KEYS[1], 'd:' .. ARGV[4], 'v:' .. ARGV[4])
              redis.call('HINCRBY', KEYS[1], 'k', -1)
            end
            return {'OK'}
            """);

    /** KEYS: session, index. ARGV: member. */
    private static final RedisScript DELETE = new RedisScript("""
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return 1
            """);

    /** KEYS: index. */
    private static final RedisScript LIVE = new RedisScript(NOW + """
            return redis.call('ZCOUNT', KEYS[1], '(' .. string.format('%d', now), '+inf')
            """);

    private final RedisBackend redis;

    RedisSessionStore(RedisBackend redis) {
        this.redis = redis;
    }

    @Override
    public Outcome create(String id, long timeoutMillis, long maxSessions) {
        return Outcome.valueOf(run("creating a session", CREATE, List.of(PREFIX + id, INDEX),
                List.of(Long.toString(timeoutMillis), Long.toString(maxSessions), id)).toString());
    }

    @Override
    public Optional<Found> resume(String id, Touch touch) {
        List<?> reply = onSession("resuming a session", id, touch, RESUME);
        if (reply == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Found(Long.parseLong(reply.get(1).toString()),
                    Long.parseLong(reply.get(2).toString()), Integer.parseInt(reply.get(3).toString()),
                    Long.parseLong(reply.get(4).toString())));
        } catch (NumberFormatException e) {
            throw corrupted(id, "a field that is not a number", e);
        }
    }

    @Override
    public Optional<Long> add(String id, long delta, Touch touch) {
        try {
            List<?> reply = onSession("changing a session's counter", id, touch, ADD, Long.toString(delta));
            return reply == null ? Optional.empty() : Optional.of(Long.parseLong(reply.get(1).toString()));
        } catch (JedisDataException e) {
            if (String.valueOf(e.getMessage()).contains("overflow")) {
                throw new CounterExhaustedException("session", delta > 0);
            }
            throw e;
        }
    }

    @Override
    public boolean resetCounter(String id, Touch touch) {
        return onSession("resetting a session's counter", id, touch, RESET) != null;
    }

    @Override
    public Optional<Versioned> get(String id, String key) {
        List<String> fields;
        try {
            fields = redis.call("HMGET", jedis -> jedis.hmget(PREFIX + id, "d:" + key, "v:" + key));
        } catch (JedisDataException e) {
            if (String.valueOf(e.getMessage()).startsWith("WRONGTYPE")) {
                throw corrupted(id, e.getMessage(), e);
            }
            throw e;
        }
        if (fields.get(0) == null && fields.get(1) == null) {
            return Optional.empty();
        }
        if (fields.get(0) == null || fields.get(1) == null) {
            throw corrupted(id, "a data value without its version, or a version without its value", null);
        }
        return Optional.of(new Versioned(fields.get(0), fields.get(1)));
    }

    @Override
    public Outcome put(String id, String key, String expected, String json, String version, int maxKeys,
            Touch touch) {
        return outcome(onSession("writing session data", id, touch, PUT, key, expected == null ? "*" : expected,
                json, version, Integer.toString(maxKeys)));
    }

    @Override
    public Outcome remove(String id, String key, String expected, Touch touch) {
        return outcome(onSession("removing session data", id, touch, REMOVE, key,
                expected == null ? "*" : expected));
    }

    private static Outcome outcome(List<?> reply) {
        return reply == null ? Outcome.GONE : Outcome.valueOf(reply.get(0).toString());
    }

    @Override
    public void delete(String id) {
        run("deleting a session", DELETE, List.of(PREFIX + id, INDEX), List.of(id));
    }

    @Override
    public long live() {
        return (Long) run("counting sessions", LIVE, List.of(INDEX), List.of());
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public void ping() {
        redis.pingWrites();
    }

    /**
     * Runs a script. Every script but resuming and counting changes what a client is given back (a session created,
     * a counter, data), so waits for {@code tally.store.replicas} ({@link RedisBackend#write}).
     */
    private Object run(String what, RedisScript script, List<String> keys, List<String> args) {
        return script == RESUME || script == LIVE ? redis.call(what, jedis -> script.run(jedis, keys, args))
                : redis.write(what, jedis -> script.run(jedis, keys, args));
    }

    /**
     * Runs a script that begins with {@link #LIVE_SESSION} on one session; its reply, or null if the session is gone.
     * A reply or an error reply that shows the session's key is not Tally's (another type; a counter or key count that
     * is not a number) deletes it and becomes a {@link CorruptSessionException}; an overflow stays the caller's.
     */
    private List<?> onSession(String what, String id, Touch touch, RedisScript script, String... args) {
        List<String> arguments = new java.util.ArrayList<>(List.of(
                Long.toString(touch == null ? 0 : touch.timeoutMillis()),
                Long.toString(touch == null ? 0 : touch.touchMillis()), id));
        arguments.addAll(List.of(args));
        List<?> reply;
        try {
            reply = (List<?>) run(what, script, List.of(PREFIX + id, INDEX), arguments);
        } catch (JedisDataException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("WRONGTYPE") || message.contains("not an integer")) {
                throw corrupted(id, message, e);
            }
            throw e;
        }
        return switch (reply.get(0).toString()) {
            case "GONE" -> null;
            case "CORRUPT" -> throw corrupted(id, reply.get(1).toString(), null);
            default -> reply;
        };
    }

    /** Deletes a session that is not Tally's, and says so. */
    private CorruptSessionException corrupted(String id, String what, Throwable cause) {
        delete(id);
        return new CorruptSessionException("redis store: session " + id.substring(0, Math.min(8, id.length()))
                + "... is not Tally's (" + what + "); deleted", cause);
    }
}
