package dev.tally.store;

import dev.tally.store.redis.RedisBackend;
import dev.tally.support.TestServers;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

/**
 * The session store contract on Redis, in database 2 of the test Redis, which only this class uses: the cap tests
 * forget every session of that database's index.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisSessionStoreIT extends SessionStoreContract {

    private String url;
    private RedisBackend backend;

    @BeforeAll
    void open() throws Exception {
        url = TestServers.redisUrl("RedisSessionStoreIT").replaceAll("/1$", "/2");
        backend = RedisBackend.open(url, Duration.ofSeconds(5), 64);
    }

    @AfterAll
    void close() {
        backend.close();
    }

    @Override
    protected SessionStore createStore() {
        return backend.sessions();
    }

    @Override
    protected void forgetAllSessions() {
        URI uri = URI.create(url);
        try (Jedis jedis = new Jedis(uri.getHost(), uri.getPort())) {
            jedis.select(2);
            jedis.del("tally:sessions");
        }
    }
}
