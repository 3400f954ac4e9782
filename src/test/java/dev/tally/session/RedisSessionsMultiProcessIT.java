package dev.tally.session;

import dev.tally.support.TestServers;

/** Sessions in Redis, shared by three stock Tomcat JVMs. */
class RedisSessionsMultiProcessIT extends SessionsInStoreAcrossNodes {

    @Override
    String store() throws Exception {
        return TestServers.redisUrl(getClass().getSimpleName());
    }

    @Override
    String storeName() {
        return "Redis";
    }
}
