package dev.tally.store.redis;

import dev.tally.store.CorruptSessionException;
import dev.tally.store.CounterExhaustedException;
import dev.tally.store.SessionStore;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ZAddParams;

/**
 * Sessions in Redis: one hash per session, {@code tally:session:<hashed id>}, whose time to live is the session's idle
 * timeout, and one sorted set, {@code tally:sessions}, of every session by the time it expires (for the cap on live
 * sessions across nodes). In a cluster the two are in different slots, so a script touches only the hash, and the
 * index is kept by a second command (see {@link #CLUSTER_INDEX_TOUCH}). The hash's fields: {@code fmt} (1),
 * {@code created} (ms), {@code fresh} (present until the client comes back), {@code n} (the per-user counter),
 * {@code k} (how many data keys), and per data key {@code d:<key>} (the JSON text) and {@code v:<key>} (its version).
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
              %INDEX_TOUCH%
              ttl = timeout
            end
            """;

    /** In one Redis, the script moves the session's entry in the index itself. */
    private static final String INDEX_TOUCH =
            "redis.call('ZADD', KEYS[2], string.format('%d', now + timeout), ARGV[3])";

    /**
     * In a cluster, a script may touch keys of one slot only, and the session's hash and the index are in two: the
     * script on the session says when the session now expires, as the last element of its reply, and Tally moves the
     * index entry with a second command ({@link #touchIndex}); a session extended at most once per touch interval
     * costs that second command at most once per interval.
     */
    private static final String CLUSTER_INDEX_TOUCH = "touched = now + timeout";

    /** Answers created, counter, data keys, time to live. */
    private static final String RESUME_BODY = """
            local v = redis.call('HMGET', KEYS[1], 'created', 'n', 'k')
            return {'OK', v[1] or '0', v[2] or '0', v[3] or '0', tostring(ttl)}
            """;

    /**
     * ARGV[4]: delta. Answers the new value, read back as a string: Lua holds HINCRBY's integer reply as a double,
     * which rounds values near 2^63.
     */
    private static final String ADD_BODY = """
            redis.call('HINCRBY', KEYS[1], 'n', ARGV[4])
            return {'OK', redis.call('HGET', KEYS[1], 'n')}
            """;

    private static final String RESET_BODY = """
            redis.call('HSET', KEYS[1], 'n', '0')
            return {'OK'}
            """;

    /** ARGV[4..8]: key, expected version ('*' any, '' none), json, version, max keys. */
    private static final String PUT_BODY = """
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
            """;

    /** ARGV[4..5]: key, expected version ('*' any, '' none). */
    private static final String REMOVE_BODY = """
            local current = redis.call('HGET', KEYS[1], 'v:' .. ARGV[4])
            if ARGV[5] ~= '*' and (current or '') ~= ARGV[5] then return {'CONFLICT'} end
            if current then
              redis.call('HDEL', KEYS[1], 'd:' .. ARGV[4], 'v:' .. ARGV[4])
              redis.call('HINCRBY', KEYS[1], 'k', -1)
            end
            return {'OK'}
            """;

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

    /** In a cluster, creating takes two steps, the index first. KEYS: index. ARGV: timeout ms, max, member. */
    private static final RedisScript CLUSTER_CREATE_INDEX = new RedisScript(NOW + """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now))
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 'FULL' end
            if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 'TAKEN' end
            redis.call('ZADD', KEYS[1], string.format('%d', now + tonumber(ARGV[1])), ARGV[3])
            return 'OK'
            """);

    /** Then the session. KEYS: session. ARGV: timeout ms. */
    private static final RedisScript CLUSTER_CREATE_SESSION = new RedisScript(NOW + """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 'TAKEN' end
            redis.call('HSET', KEYS[1], 'fmt', '1', 'created', string.format('%d', now), 'fresh', '1')
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 'OK'
            """);

    /** The scripts on one session, for one Redis or for a cluster. */
    private record OnSession(RedisScript resume, RedisScript add, RedisScript reset, RedisScript put,
            RedisScript remove) {

        static OnSession of(boolean cluster) {
            return new OnSession(script(cluster, RESUME_BODY), script(cluster, ADD_BODY), script(cluster, RESET_BODY),
                    script(cluster, PUT_BODY), script(cluster, REMOVE_BODY));
        }

        /**
         * {@link #LIVE_SESSION} then {@code body}. For a cluster, both run inside a function, whose reply gets, as
         * its last element, when the session now expires if the script extended it, else 0.
         */
        private static RedisScript script(boolean cluster, String body) {
            if (!cluster) {
                return new RedisScript(LIVE_SESSION.replace("%INDEX_TOUCH%", INDEX_TOUCH) + body);
            }
            return new RedisScript("local touched = 0\nlocal function session()\n"
                    + LIVE_SESSION.replace("%INDEX_TOUCH%", CLUSTER_INDEX_TOUCH) + body + """
                    end
                    local reply = session()
                    reply[#reply + 1] = string.format('%d', touched)
                    return reply
                    """);
        }
    }

    private static final OnSession ONE_REDIS = OnSession.of(false);
    private static final OnSession CLUSTER = OnSession.of(true);

    private final RedisBackend redis;
    /** Whether Redis is a cluster: the session's hash and the index are then in different slots. */
    private final boolean cluster;
    private final OnSession scripts;

    RedisSessionStore(RedisBackend redis, boolean cluster) {
        this.redis = redis;
        this.cluster = cluster;
        this.scripts = cluster ? CLUSTER : ONE_REDIS;
    }

    @Override
    public Outcome create(String id, long timeoutMillis, long maxSessions) {
        if (!cluster) {
            return Outcome.valueOf(run("creating a session", CREATE, List.of(PREFIX + id, INDEX),
                    List.of(Long.toString(timeoutMillis), Long.toString(maxSessions), id)).toString());
        }
        // The place under the cap is taken first. If the second step never comes (this JVM stopped, Redis failed),
        // the place stays taken until it expires, after the new session's short timeout.
        Outcome placed = Outcome.valueOf(redis.call("creating a session", jedis -> CLUSTER_CREATE_INDEX.run(jedis,
                List.of(INDEX), List.of(Long.toString(timeoutMillis), Long.toString(maxSessions), id))).toString());
        if (placed != Outcome.OK) {
            return placed;
        }
        return Outcome.valueOf(run("creating a session", CLUSTER_CREATE_SESSION, List.of(PREFIX + id),
                List.of(Long.toString(timeoutMillis))).toString());
    }

    @Override
    public Optional<Found> resume(String id, Touch touch) {
        List<?> reply = onSession("resuming a session", id, touch, scripts.resume());
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
            List<?> reply = onSession("changing a session's counter", id, touch, scripts.add(), Long.toString(delta));
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
        return onSession("resetting a session's counter", id, touch, scripts.reset()) != null;
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
        return outcome(onSession("writing session data", id, touch, scripts.put(), key,
                expected == null ? "*" : expected, json, version, Integer.toString(maxKeys)));
    }

    @Override
    public Outcome remove(String id, String key, String expected, Touch touch) {
        return outcome(onSession("removing session data", id, touch, scripts.remove(), key,
                expected == null ? "*" : expected));
    }

    private static Outcome outcome(List<?> reply) {
        return reply == null ? Outcome.GONE : Outcome.valueOf(reply.get(0).toString());
    }

    @Override
    public void delete(String id) {
        if (cluster) {
            redis.write("deleting a session", PREFIX + id, jedis -> jedis.del(PREFIX + id));
            redis.call("deleting a session", jedis -> jedis.zrem(INDEX, id));
            return;
        }
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
        return script == scripts.resume() || script == LIVE ? redis.call(what, jedis -> script.run(jedis, keys, args))
                : redis.write(what, keys.get(0), jedis -> script.run(jedis, keys, args));
    }

    /** In a cluster: moves the session's entry in the index to when the script said it now expires. */
    private void touchIndex(String id, List<?> reply) {
        long expires = Long.parseLong(reply.get(reply.size() - 1).toString());
        if (expires > 0) {
            redis.call("extending a session", jedis -> jedis.zadd(INDEX, expires, id, ZAddParams.zAddParams().gt()));
        }
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
            reply = (List<?>) run(what, script, cluster ? List.of(PREFIX + id) : List.of(PREFIX + id, INDEX),
                    arguments);
            if (cluster) {
                touchIndex(id, reply);
            }
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
