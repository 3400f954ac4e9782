package dev.tally.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisDataException;

/** Which error replies mean "the server is not ready, nothing was run" (a 503), and which are Tally's own bugs. */
class RedisErrorRepliesTest {

    @Test
    void aServerStillLoadingOrFailingOverIsUnavailableNotBroken() {
        for (String reply : new String[] {"LOADING Redis is loading the dataset in memory",
                "BUSY Redis is busy running a script.", "MASTERDOWN Link with MASTER is down",
                "TRYAGAIN Multiple keys request during rehashing of slot",
                "READONLY You can't write against a read only replica."}) {
            assertThat(RedisBackend.isServerNotReady(new JedisDataException(reply))).as(reply).isTrue();
        }
    }

    @Test
    void anyOtherErrorReplyIsNot() {
        for (String reply : new String[] {"WRONGTYPE Operation against a key holding the wrong kind of value",
                "ERR increment or decrement would overflow", "ERR unknown command"}) {
            assertThat(RedisBackend.isServerNotReady(new JedisDataException(reply))).as(reply).isFalse();
        }
    }
}
