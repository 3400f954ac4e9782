package dev.tally.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.commands.ScriptingKeyCommands;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script and its SHA-1, the name by which Redis knows it once loaded: {@code EVALSHA}, and {@code EVAL} once
 * when Redis does not know it yet (after a restart, or a {@code SCRIPT FLUSH}).
 */
record RedisScript(String source, String sha) {

    RedisScript(String source) {
        this(source, sha1(source));
    }

    Object run(ScriptingKeyCommands jedis, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return jedis.eval(source, keys, args);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-1", e);
        }
    }
}
