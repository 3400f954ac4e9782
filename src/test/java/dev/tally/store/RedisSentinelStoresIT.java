package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.store.redis.RedisBackend;
import dev.tally.store.redis.RedisOptions;
import dev.tally.support.RedisCli;
import dev.tally.support.RedisSentinels;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The store contracts on a Redis that Sentinel manages (a master, two replicas and three sentinels of the test's own),
 * reached only through the sentinels' URL, with every change waiting for one replica ({@code tally.store.replicas=1}):
 * counters, cache and sessions in the store behave as on one Redis.
 */
class RedisSentinelStoresIT extends StoreContractSuite {

    private RedisSentinels sentinels;

    @Override
    StoreBackend open() throws Exception {
        sentinels = stoppedAfterAll(RedisSentinels.start().orElse(null));
        Assumptions.assumeTrue(sentinels != null, "no redis-server binary on this machine");
        System.out.println("RedisSentinelStoresIT: a master, two replicas and three sentinels of its own, at "
                + sentinels.url(0));
        return RedisBackend.open(sentinels.url(0), Duration.ofSeconds(5), 16, null,
                new RedisOptions(1, null, null, null, null));
    }

    @Test
    void aChangeThatFewerReplicasHoldThanAskedIsNotGivenOut() {
        String name = "wait-" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisBackend asksTooMuch = RedisBackend.open(sentinels.url(0), Duration.ofMillis(500), 4, null,
                new RedisOptions(3, null, null, null, null))) {
            assertThatThrownBy(() -> asksTooMuch.counters().increment(name))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("2 of the 3 replica(s)");
        }
        // The master (and both replicas) did apply it: the refused value is a gap, and the next one goes above it.
        assertThat(backend().counters().increment(name)).isEqualTo(2);
    }

    @Nested
    class Sessions extends SessionStoreContract {

        @Override
        protected SessionStore createStore() {
            return backend().sessions();
        }

        @Override
        protected void forgetAllSessions() {
            RedisCli.cli(sentinels.masterPort(), "DEL", "tally:sessions");
        }
    }
}
