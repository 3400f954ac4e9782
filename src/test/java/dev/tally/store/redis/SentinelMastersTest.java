package dev.tally.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.store.StoreUnavailableException;
import dev.tally.support.TestServers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SentinelMastersTest {

    @Test
    void withNoSentinelAnsweringTallyStartsAndRequestsFailFastUntilOneDoes() throws Exception {
        String url = "redis-sentinel://127.0.0.1:" + TestServers.freePort() + ",127.0.0.1:" + TestServers.freePort()
                + "/tally";
        try (RedisBackend backend = RedisBackend.open(url, Duration.ofSeconds(2), 4, null, RedisOptions.DEFAULTS)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> backend.counters().increment("x")).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("no sentinel of").hasMessageContaining("named the master tally");
            // Asked again within the second: the same answer at once, without asking the sentinels again.
            assertThatThrownBy(() -> backend.counters().increment("x")).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("no sentinel of");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
    }
}
