package dev.tally.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Which error replies mean "the server refuses, because of its state or its settings" (a 503), and which are Tally's
 * own bugs. The replies are Redis 7's own texts.
 */
class RedisErrorRepliesTest {

    @Test
    void aServerThatIsNotReadyFullOrLockedIsUnavailableNotBroken() {
        for (String reply : new String[] {"LOADING Redis is loading the dataset in memory",
                "BUSY Redis is busy running a script.", "MASTERDOWN Link with MASTER is down",
                "TRYAGAIN Multiple keys request during rehashing of slot",
                "READONLY You can't write against a read only replica.",
                "OOM command not allowed when used memory > 'maxmemory'.",
                "WRONGPASS invalid username-password pair or user is disabled.", "NOAUTH Authentication required.",
                "NOPERM User tally has no permissions to run the 'incr' command",
                "ERR max number of clients reached", "ERR DB index is out of range",
                "ERR AUTH <password> called without any password configured for the default user. Are you sure "
                        + "your configuration is correct?",
                "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk.",
                "NOREPLICAS Not enough good replicas to write.", "CLUSTERDOWN The cluster is down"}) {
            assertThat(RedisBackend.refuses(new JedisDataException(reply))).as(reply).isTrue();
        }
    }

    @Test
    void anyOtherErrorReplyIsNot() {
        for (String reply : new String[] {"WRONGTYPE Operation against a key holding the wrong kind of value",
                "ERR increment or decrement would overflow", "ERR unknown command 'INCRX'",
                "ERR value is not an integer or out of range", "ERR syntax error",
                "NOSCRIPT No matching script. Please use EVAL."}) {
            assertThat(RedisBackend.refuses(new JedisDataException(reply))).as(reply).isFalse();
        }
    }
}
