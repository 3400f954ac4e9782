package dev.tally.store;

import dev.tally.store.redis.RedisBackend;
import dev.tally.support.TestServers;
import java.time.Duration;

/**
 * The store contracts on the Redis store, against the machine's Redis (or an embedded one).
 */
class RedisStoresIT extends StoreContractSuite {

    @Override
    StoreBackend open() throws Exception {
        return RedisBackend.open(TestServers.redisUrl("RedisStoresIT"), Duration.ofSeconds(2), 16);
    }
}
